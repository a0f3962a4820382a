using Microsoft.Extensions.Options;
using TaxiAspire.Scoring;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.StreamProcessor.Building;

/// <summary>
/// Scores a batch's trips with the champion (through <see cref="ChampionModel.PredictFares"/>, the path the API uses
/// too) and flags fares far from their prediction: the processor's one addition to scoring.
/// </summary>
internal sealed class TripScorer(ChampionHolder champion, IOptions<AnomalyOptions> options)
{
    /// <summary>The champion scoring now; null until one is loaded.</summary>
    public ChampionModel? Champion => champion.Current;

    /// <summary>Replaces each trip with a scored copy; <paramref name="inputs"/> are the trips' model inputs, in order.</summary>
    public void Score(ChampionModel model, List<StoredTrip> trips, IReadOnlyList<FareModelInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trips);
        var fares = model.PredictFares(inputs);
        for (var i = 0; i < trips.Count; i++)
        {
            var prediction = fares[i];
            trips[i] = trips[i] with { Score = new TripScore(prediction, model.Version, IsAnomaly(trips[i].Trip.FareAmount, prediction)) };
        }
    }

    internal bool IsAnomaly(decimal fare, decimal prediction)
    {
        var settings = options.Value;
        var error = Math.Abs(fare - prediction);
        return error > settings.AnomalyMinDollars && error > settings.AnomalyMinFraction * prediction;
    }
}
