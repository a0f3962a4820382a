namespace TaxiAspire.Trainer.Training;

/// <summary>How a model did on a holdout: root mean squared and mean absolute error (dollars), R².</summary>
public sealed record FareModelMetrics(double Rmse, double Mae, double RSquared, int Count)
{
    public const string RmseKey = "rmse";
    public const string MaeKey = "mae";
    public const string RSquaredKey = ModelRegistry.PromotionRecord.HoldoutRSquaredMetric;

    /// <summary>
    /// The one definition of the metrics, for models and baselines alike. R² is against the holdout's own mean, so a
    /// constant prediction can at best reach 0 and anything below 0 does worse than that constant.
    /// </summary>
    public static FareModelMetrics Of(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count == 0 || actual.Count != predicted.Count)
        {
            throw new ArgumentException("Metrics need as many predictions as actual fares, and at least one.", nameof(predicted));
        }

        double mean = actual.Average(), squared = 0, absolute = 0, total = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var error = actual[i] - predicted[i];
            squared += error * error;
            absolute += Math.Abs(error);
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        return new FareModelMetrics(Math.Sqrt(squared / actual.Count), absolute / actual.Count, total > 0 ? 1 - squared / total : 0, actual.Count);
    }

    public IReadOnlyDictionary<string, double> ToDictionary(string prefix = "") => new Dictionary<string, double>
    {
        [prefix + RmseKey] = Rmse,
        [prefix + MaeKey] = Mae,
        [prefix + RSquaredKey] = RSquared,
    };
}
