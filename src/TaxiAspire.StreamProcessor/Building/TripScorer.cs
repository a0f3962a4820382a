using Microsoft.Extensions.Options;
using TaxiAspire.Scoring;
using TaxiAspire.Trips.Contract;
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

    /// <summary>The score of each trip, in order; <paramref name="inputs"/> are the trips' model inputs, in the same order.</summary>
    public TripScore[] Score(ChampionModel model, IReadOnlyList<TripEvent> trips, IReadOnlyList<FareModelInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trips);
        var fares = model.PredictFares(inputs);
        var scores = new TripScore[trips.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = new TripScore(fares[i], model.Version, IsAnomaly(trips[i].FareAmount, fares[i]));
        }

        return scores;
    }

    internal bool IsAnomaly(decimal fare, decimal prediction)
    {
        var settings = options.Value;
        var error = Math.Abs(fare - prediction);
        return error > settings.AnomalyMinDollars && error > settings.AnomalyMinFraction * prediction;
    }
}
