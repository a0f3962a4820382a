using System.Globalization;
using TaxiAspire.Scoring;
using TaxiAspire.Trips.Features;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Api.Models;

/// <summary>
/// Scores a request with the champion the shared loader follows, through the same
/// <see cref="ChampionModel.PredictFares"/> the processor scores its batches with; null while no champion is loaded.
/// </summary>
internal sealed class ChampionFarePredictor(FareScorer scorer) : IFarePredictor
{
    public Task<FarePrediction?> PredictAsync(TripEvent trip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trip);
        var scored = scorer.Score([FareModelInput.From(trip)]);
        return Task.FromResult(scored is null
            ? null
            // Both registries number versions 1, 2, 3…
            : new FarePrediction((double)scored.Fares[0], scored.ModelName, int.Parse(scored.ModelVersion, NumberStyles.None, CultureInfo.InvariantCulture)));
    }
}
