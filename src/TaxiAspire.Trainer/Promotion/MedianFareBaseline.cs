using TaxiAspire.Trainer.Training;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trainer.Promotion;

/// <summary>
/// The naive baseline a new version must beat on the holdout: predict the training part's median fare for every trip.
/// Why this one: it is the best prediction that uses no feature at all under MAE (the median minimises the mean
/// absolute error of a constant), so a model that does not beat it clearly has learned nothing from distance, time or
/// rate code, whatever the fares look like; and it is one number, stored with the version, that the API replays on
/// live trips to tell when a champion has stopped being better than guessing. A fare-per-mile rule would be a higher
/// bar but asks a different question (is the model better than a meter formula?) whose fair margin depends on the city.
/// </summary>
public sealed record MedianFareBaseline(double Fare)
{
    public static MedianFareBaseline Fit(IReadOnlyList<FareModelInput> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (training.Count == 0)
        {
            throw new ArgumentException("The baseline needs at least one training row.", nameof(training));
        }

        var fares = training.Select(r => (double)r.FareAmount).Order().ToList();
        var middle = fares.Count / 2;
        return new MedianFareBaseline(fares.Count % 2 == 1 ? fares[middle] : (fares[middle - 1] + fares[middle]) / 2);
    }

    /// <summary>The baseline's metrics on the holdout the model is judged on (the same rows, the same formulas).</summary>
    public FareModelMetrics Evaluate(IReadOnlyList<FareModelInput> holdout)
    {
        ArgumentNullException.ThrowIfNull(holdout);
        return FareModelMetrics.Of([.. holdout.Select(r => (double)r.FareAmount)], [.. holdout.Select(_ => Fare)]);
    }
}
