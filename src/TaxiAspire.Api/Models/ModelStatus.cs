using System.Globalization;
using Microsoft.Extensions.Options;
using TaxiAspire.ModelRegistry;
using static System.FormattableString;

namespace TaxiAspire.Api.Models;

/// <summary>
/// The model's state as an operator needs it: the champion, the newest version and the gate's decision on it, the
/// champion against its baseline on live trips, and the warnings that follow.
/// </summary>
public sealed record ModelStatusView(
    string Name,
    int? ChampionVersion,
    ModelVersionView? Latest,
    LiveAccuracyView? Live,
    IReadOnlyList<string> Warnings);

/// <summary>
/// The champion's mean absolute error on the newest trips it scored, beside its baseline's (the training median fare)
/// on the same trips. Absent for a champion trained before the trainer recorded a baseline.
/// </summary>
public sealed record LiveAccuracyView(long ScoredTrips, double? ChampionMae, double? BaselineMae, double BaselineFare, bool BelowBaseline);

/// <summary>Reads <see cref="ModelStatusView"/> from the registry and taxidb, at most once per <see cref="ModelStatusOptions.CacheFor"/>.</summary>
public sealed class ModelStatusReader(IModelCatalog catalog, LiveModelQueries live, IOptions<ModelStatusOptions> options, TimeProvider timeProvider)
{
    private volatile Cached? _cached;

    public async Task<ModelStatusView> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && timeProvider.GetUtcNow() - cached.At < options.Value.CacheFor)
        {
            return cached.View;
        }

        var models = await catalog.GetAsync(cancellationToken);
        var champion = models.Versions.FirstOrDefault(v => v.Version == models.ChampionVersion);
        var latest = models.Versions.MaxBy(v => v.Version);
        var warnings = new List<string>();
        LiveAccuracyView? liveView = null;
        if (champion is not null)
        {
            if (champion.Metrics.TryGetValue(PromotionRecord.HoldoutRSquaredMetric, out var r2) && r2 <= 0)
            {
                warnings.Add(Invariant($"Champion version {champion.Version} predicted its holdout worse than the average fare (R² {r2:F3}): its predictions and the anomalies flagged with them mean little."));
            }

            if (champion.Metrics.TryGetValue(PromotionRecord.BaselineFareMetric, out var baselineFare))
            {
                var comparison = await live.CompareWithBaselineAsync(
                    champion.Version.ToString(CultureInfo.InvariantCulture), baselineFare, options.Value.RecentTrips, cancellationToken);
                var below = comparison.IsBelowBaseline(options.Value.MinScoredTrips);
                liveView = new LiveAccuracyView(comparison.ScoredTrips, comparison.ModelMae, comparison.BaselineMae, baselineFare, below);
                if (below)
                {
                    warnings.Add(Invariant($"Champion version {champion.Version} is doing no better than its baseline on live trips: MAE ${comparison.ModelMae:F2} against ${comparison.BaselineMae:F2} for predicting ${baselineFare:F2} every time, over the last {comparison.ScoredTrips} trips it scored. The fares have changed or make no sense; check the incoming data, then retrain (POST /api/admin/retrain)."));
                }
            }
        }

        var view = new ModelStatusView(models.Name, models.ChampionVersion, latest, liveView, warnings);
        _cached = new Cached(view, timeProvider.GetUtcNow());
        return view;
    }

    private sealed record Cached(ModelStatusView View, DateTimeOffset At);
}
