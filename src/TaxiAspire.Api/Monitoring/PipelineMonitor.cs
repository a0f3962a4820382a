using Microsoft.Extensions.Options;
using TaxiAspire.Api.Models;
using TaxiAspire.Api.Stats;
using TaxiAspire.Api.Trips;
using TaxiAspire.Api.Windows;

namespace TaxiAspire.Api.Monitoring;

/// <summary>
/// Reads the pipeline's state once per <see cref="MonitorOptions.RefreshInterval"/> and hands the same snapshot to
/// every dashboard circuit and every <c>/api/stats</c> caller. The database work is therefore fixed per second,
/// however many people watch or poll, and a request never waits on PostgreSQL.
/// </summary>
public sealed partial class PipelineMonitor(
    StatsQueries stats,
    WindowQueries windows,
    TripQueries trips,
    IModelCatalog models,
    IHighWatermarks watermarks,
    IOptions<MonitorOptions> options,
    TimeProvider timeProvider,
    ILogger<PipelineMonitor> logger) : BackgroundService
{
    private const int RecentAnomalies = 10;
    private const int RecentScoredTrips = 40;
    private const int MaxWindows = 2_000;

    private readonly TaskCompletionSource<PipelineSnapshot> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile PipelineSnapshot? _latest;

    /// <summary>Raised after each refresh, on the monitor's thread; handlers must not block.</summary>
    public event Action<PipelineSnapshot>? Refreshed;

    public PipelineSnapshot? Latest => _latest;

    /// <summary>The latest snapshot, waiting for the first one after start-up.</summary>
    public ValueTask<PipelineSnapshot> GetLatestAsync(CancellationToken cancellationToken) =>
        _latest is { } latest ? ValueTask.FromResult(latest) : new ValueTask<PipelineSnapshot>(_first.Task.WaitAsync(cancellationToken));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, timeProvider);
        do
        {
            try
            {
                var snapshot = await ReadAsync(stoppingToken);
                _latest = snapshot;
                _first.TrySetResult(snapshot);
                Refreshed?.Invoke(snapshot);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The last good snapshot stays in place; the next tick tries again.
                LogRefreshFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<PipelineSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var (current, throughput) = await stats.StatsAsync(cancellationToken);
        var withLag = current with { ConsumerLag = [.. current.ConsumerLag.Select(WithLag)] };

        IReadOnlyList<WindowView> recentWindows = [];
        if (current.LastPickupAt is { } lastPickup)
        {
            recentWindows = await windows.WindowsAsync(
                null, lastPickup - options.Value.WindowSpan, lastPickup.AddMinutes(1), MaxWindows, cancellationToken);
        }

        var anomalies = await trips.RecentAnomaliesAsync(RecentAnomalies, cancellationToken);
        var scored = await trips.RecentScoredAsync(RecentScoredTrips, cancellationToken);
        var catalog = await models.GetAsync(cancellationToken);
        return new PipelineSnapshot(withLag, throughput, recentWindows, anomalies, scored, catalog);
    }

    private PartitionLag WithLag(PartitionLag stored)
    {
        if (watermarks.HighWatermark(stored.Topic, stored.Partition) is not { } high)
        {
            return stored;
        }

        // A log that restarted (local mode) can sit behind the stored offset until the processor starts a new epoch.
        return stored with { HighWatermark = high, Lag = high >= stored.StoredOffset ? high - stored.StoredOffset : null };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the pipeline snapshot failed; keeping the previous one")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
