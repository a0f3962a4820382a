using Microsoft.Extensions.Options;
using TaxiAspire.Scoring;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Api.Models;

/// <summary>
/// One registered version of the fare model, with the metrics of its evaluation and the trainer's promotion decision
/// (null for versions registered before the trainer recorded one).
/// </summary>
public sealed record ModelVersionView(
    string Name,
    int Version,
    IReadOnlyList<string> Aliases,
    DateTimeOffset? CreatedAt,
    string? RunId,
    IReadOnlyDictionary<string, double> Metrics,
    PromotionView? Promotion = null);

/// <summary>What the trainer's promotion gate decided for a version (<c>promoted</c> or <c>refused</c>) and why.</summary>
public sealed record PromotionView(string Decision, string? Reason);

/// <summary>The registered versions of the fare model and which one is champion.</summary>
public sealed record ModelCatalogView(string Name, int? ChampionVersion, IReadOnlyList<ModelVersionView> Versions);

/// <summary>The champion's estimate for one trip.</summary>
public sealed record FarePrediction(double PredictedFare, string ModelName, int ModelVersion);

/// <summary>
/// What the API needs from the model registry. The model lifecycle builds the registry itself (MLflow or a local
/// folder); an adapter over it implements this small interface, so the API does not depend on how models are stored.
/// </summary>
public interface IModelCatalog
{
    Task<ModelCatalogView> GetAsync(CancellationToken cancellationToken);
}

/// <summary>Scores a trip with the current champion; null when there is no champion to score with.</summary>
public interface IFarePredictor
{
    Task<FarePrediction?> PredictAsync(TripEvent trip, CancellationToken cancellationToken);
}

/// <summary>
/// The catalog when no model registry is configured (no <c>mlflow</c> connection string): no versions, no champion. The endpoints then answer honestly (an empty
/// list, 404 for a champion) instead of inventing a model; predict answers 503 because no champion ever loads.
/// </summary>
internal sealed class UnconfiguredModelCatalog(IOptions<ScoringOptions> options) : IModelCatalog
{
    public Task<ModelCatalogView> GetAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ModelCatalogView(options.Value.ModelName, null, []));
}
