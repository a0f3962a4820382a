using Microsoft.Extensions.Options;
using Microsoft.ML;
using Microsoft.ML.Data;
using TaxiAspire.Data.Ingestion;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.StreamProcessor.Scoring;

/// <summary>
/// Scores a batch's trips with the champion in one ML.NET transform (far cheaper than a prediction per trip), on the
/// same <see cref="FareModelInput"/> the trainer trained on, and flags fares far from their prediction.
/// </summary>
internal sealed class TripScorer(ChampionHolder holder, IOptions<ScoringOptions> options)
{
    private readonly MLContext _ml = new();

    /// <summary>Replaces each trip with a scored copy; leaves them as they are when there is no champion.</summary>
    public void Score(List<StoredTrip> trips)
    {
        ArgumentNullException.ThrowIfNull(trips);
        if (trips.Count == 0 || holder.Current is not { } champion)
        {
            return;
        }

        var inputs = trips.Select(t => FareModelInput.From(t.Trip)).ToList();
        var scores = champion.Model.Transform(_ml.Data.LoadFromEnumerable(inputs)).GetColumn<float>(FareModelOutput.ScoreColumn).ToArray();
        for (var i = 0; i < trips.Count; i++)
        {
            var prediction = FareModelOutput.ToFare(scores[i]);
            trips[i] = trips[i] with { Score = new TripScore(prediction, champion.Version, IsAnomaly(trips[i].Trip.FareAmount, prediction)) };
        }
    }

    internal bool IsAnomaly(decimal fare, decimal prediction)
    {
        var settings = options.Value;
        var error = Math.Abs(fare - prediction);
        return error > settings.AnomalyMinDollars && error > settings.AnomalyMinFraction * prediction;
    }
}
