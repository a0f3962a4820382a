using TaxiAspire.Trips.Features;

namespace TaxiAspire.Scoring;

/// <summary>The champion's fares for a list of trips, in the trips' order.</summary>
public sealed record ScoredFares(string ModelName, string ModelVersion, IReadOnlyList<decimal> Fares);

/// <summary>
/// Scores trips with the current champion: the one path from a trip to a fare prediction, for the processor's batches
/// and the API's single trips alike (see <see cref="ChampionModel.PredictFares"/>). Thread-safe.
/// </summary>
public sealed class FareScorer(ChampionHolder holder)
{
    /// <summary>The fares of the trips whose model inputs are <paramref name="trips"/>, by one champion; null when there is no champion to score with.</summary>
    public ScoredFares? Score(IReadOnlyList<FareModelInput> trips)
    {
        ArgumentNullException.ThrowIfNull(trips);
        // One read: the version named is the model that scored, even if the loader swaps the champion meanwhile.
        return holder.Current is { } champion
            ? new ScoredFares(champion.ModelName, champion.Version, champion.PredictFares(trips))
            : null;
    }
}
