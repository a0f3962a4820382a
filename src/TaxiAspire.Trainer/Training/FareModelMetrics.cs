namespace TaxiAspire.Trainer.Training;

/// <summary>How a model did on a holdout: root mean squared and mean absolute error (dollars), R².</summary>
public sealed record FareModelMetrics(double Rmse, double Mae, double RSquared, int Count)
{
    public const string RmseKey = "rmse";
    public const string MaeKey = "mae";
    public const string RSquaredKey = "r2";

    public IReadOnlyDictionary<string, double> ToDictionary(string prefix = "") => new Dictionary<string, double>
    {
        [prefix + RmseKey] = Rmse,
        [prefix + MaeKey] = Mae,
        [prefix + RSquaredKey] = RSquared,
    };

    /// <summary>Better means a lower mean absolute error: the number the processor's drift check watches too.</summary>
    public bool IsBetterThan(FareModelMetrics other, double minImprovement)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Mae < other.Mae - minImprovement;
    }
}
