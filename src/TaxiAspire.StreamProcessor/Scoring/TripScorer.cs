using Microsoft.Extensions.Options;
using TaxiAspire.Data.Ingestion;
using TaxiAspire.Scoring;

namespace TaxiAspire.StreamProcessor.Scoring;

/// <summary>
/// Scores a batch's trips with the champion through the shared <see cref="FareScorer"/> (one borrowed prediction engine for the whole
/// batch) and flags fares far from their prediction.
/// </summary>
internal sealed class TripScorer(FareScorer scorer, IOptions<AnomalyOptions> options)
{
    /// <summary>Replaces each trip with a scored copy; leaves them as they are when there is no champion.</summary>
    public void Score(List<StoredTrip> trips)
    {
        ArgumentNullException.ThrowIfNull(trips);
        if (trips.Count == 0 || scorer.Score(trips.ConvertAll(t => t.Trip)) is not { } scored)
        {
            return;
        }

        for (var i = 0; i < trips.Count; i++)
        {
            var prediction = scored.Fares[i];
            trips[i] = trips[i] with { Score = new TripScore(prediction, scored.ModelVersion, IsAnomaly(trips[i].Trip.FareAmount, prediction)) };
        }
    }

    internal bool IsAnomaly(decimal fare, decimal prediction)
    {
        var settings = options.Value;
        var error = Math.Abs(fare - prediction);
        return error > settings.AnomalyMinDollars && error > settings.AnomalyMinFraction * prediction;
    }
}
