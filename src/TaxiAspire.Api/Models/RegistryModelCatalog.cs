using System.Globalization;
using Microsoft.Extensions.Options;
using TaxiAspire.ModelRegistry;
using TaxiAspire.Scoring;

namespace TaxiAspire.Api.Models;

/// <summary>
/// The model registry (MLflow or the local folder) seen through <see cref="IModelCatalog"/>. The dashboard asks every
/// second; the registry is asked at most once per <see cref="CacheFor"/>, since versions change only when the trainer
/// registers or promotes one.
/// </summary>
internal sealed class RegistryModelCatalog(IModelRegistry registry, IOptions<ScoringOptions> options, TimeProvider timeProvider) : IModelCatalog
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private volatile Cached? _cached;

    public async Task<ModelCatalogView> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && timeProvider.GetUtcNow() - cached.At < CacheFor)
        {
            return cached.View;
        }

        var name = options.Value.ModelName;
        var versions = await registry.ListVersionsAsync(name, cancellationToken);
        var champion = await registry.GetByAliasAsync(name, ModelRegistryConventions.ChampionAlias, cancellationToken);
        var view = new ModelCatalogView(
            name,
            champion is null ? null : Number(champion.Version),
            [.. versions
                .Where(v => Number(v.Version) is not null)
                .OrderByDescending(v => Number(v.Version))
                .Select(v => new ModelVersionView(
                    v.ModelName,
                    Number(v.Version)!.Value,
                    v.Version == champion?.Version ? [ModelRegistryConventions.ChampionAlias] : [],
                    v.CreatedAt,
                    v.RunId,
                    v.Metrics,
                    v.Tag(PromotionRecord.DecisionTag) is { } decision ? new PromotionView(decision, v.Tag(PromotionRecord.ReasonTag)) : null))]);
        _cached = new Cached(view, timeProvider.GetUtcNow());
        return view;
    }

    // MLflow numbers versions 1, 2, 3…; anything else is not a version this API can address.
    private static int? Number(string version) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    private sealed record Cached(ModelCatalogView View, DateTimeOffset At);
}
