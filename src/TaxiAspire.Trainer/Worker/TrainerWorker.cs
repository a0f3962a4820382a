using Microsoft.Extensions.Options;
using Npgsql;
using TaxiAspire.ModelRegistry;
using TaxiAspire.Trainer.Promotion;
using TaxiAspire.Trainer.Training;

namespace TaxiAspire.Trainer.Worker;

/// <summary>
/// Decides when to train: first as soon as taxidb holds enough trips (waiting, not failing, on an empty database),
/// then on demand, on the schedule, and when the live error drifts above the champion's holdout error. Whatever the
/// trigger, the new version becomes champion only through the <see cref="PromotionGate"/>.
/// </summary>
internal sealed partial class TrainerWorker(
    TrainingDataStore data,
    IModelRegistry registry,
    FareModelTrainer trainer,
    PromotionGate gate,
    TrainingTriggers triggers,
    TrainerStatus status,
    IOptions<TrainingPolicyOptions> trainerOptions,
    IOptions<ModelRegistryOptions> registryOptions,
    TimeProvider timeProvider,
    ILogger<TrainerWorker> logger) : BackgroundService
{
    private DateTimeOffset? _lastRun;
    private DateTimeOffset _driftQuietUntil;

    // The trips in taxidb when an automatic first version was refused, and when: no champion yet.
    private (long Trips, DateTimeOffset At)? _firstVersionRefused;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = trainerOptions.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var asked = triggers.Reader.TryRead(out var requested);
                var trigger = asked ? requested : await DueTriggerAsync(options, stoppingToken);
                if (trigger is not null)
                {
                    await TrainAsync(options, trigger, automatic: !asked, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or HttpRequestException or IOException or InvalidOperationException or ModelNotFoundException
                                           or ModelRegistry.Mlflow.MlflowException or TimeoutException)
            {
                // The database or the registry is away; the next poll tries again.
                LogCycleFailed(logger, ex);
                status.Record(new TrainingOutcome(TrainingStatus.Failed, "poll", timeProvider.GetUtcNow(), 0, Detail: ex.Message));
            }

            // Sleep until the next poll, or until someone asks for a run.
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(options.PollInterval, timeProvider, wake.Token);
            var request = triggers.Reader.WaitToReadAsync(wake.Token).AsTask();
            await Task.WhenAny(delay, request);
            await wake.CancelAsync();
            await Task.WhenAll(delay, request).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private async Task<string?> DueTriggerAsync(TrainingPolicyOptions options, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var champion = await registry.GetByAliasAsync(options.ModelName, ModelRegistryConventions.ChampionAlias, cancellationToken);
        if (champion is null)
        {
            // Cheap check first: counting trips is far less work than loading them.
            var trips = await data.CountAsync(cancellationToken);
            return trips >= options.MinTrainingRows && FirstVersionDue(options, trips, now) ? "initial" : null;
        }

        if (options.Schedule > TimeSpan.Zero && (_lastRun is null ? now - champion.CreatedAt : now - _lastRun.Value) >= options.Schedule)
        {
            return "schedule";
        }

        if (now < _driftQuietUntil || champion.Metric(FareModelMetrics.MaeKey) is not { } championMae)
        {
            return null;
        }

        var (liveMae, scored) = await data.LiveErrorAsync(options.DriftLookback, cancellationToken);
        if (liveMae is { } live && scored >= options.DriftMinScoredTrips && live > championMae * options.DriftFactor)
        {
            LogDrift(logger, live, championMae, options.DriftFactor);
            _driftQuietUntil = now + options.DriftCooldown;
            return "drift";
        }

        return null;
    }

    // After a refused first version, not again at every poll while trips trickle in (each run would register another
    // refused version): once taxidb holds twice the trips it was refused on, or the schedule has passed. An on-demand
    // run ("Train now", POST /retrain) is always made.
    private bool FirstVersionDue(TrainingPolicyOptions options, long trips, DateTimeOffset now)
    {
        if (_firstVersionRefused is not { } refused
            || trips >= 2 * refused.Trips
            || (options.Schedule > TimeSpan.Zero && now - refused.At >= options.Schedule))
        {
            return true;
        }

        LogWaitingAfterRefusal(logger, trips, 2 * refused.Trips);
        return false;
    }

    private async Task TrainAsync(TrainingPolicyOptions options, string trigger, bool automatic, CancellationToken cancellationToken)
    {
        var rows = await data.LoadAsync(options.MaxTrainingRows, cancellationToken);
        // Without this, every automatic trigger on data the gate refuses (each poll while there is no champion, each
        // drift run) would register another copy of the same refused version.
        var run = new TrainingRun(trainer, registry, options, gate, registryOptions.Value.ExperimentName, timeProvider, logger)
        {
            SkipWhenUnchangedSinceRefused = automatic,
        };
        var outcome = await run.ExecuteAsync(rows, trigger, "taxidb", cancellationToken);
        status.Record(outcome);
        if (outcome.Status == TrainingStatus.NotEnoughData)
        {
            LogWaitingForData(logger, outcome.Rows, options.MinTrainingRows);
            return;
        }

        _lastRun = outcome.FinishedAt;
        if (outcome is { Status: TrainingStatus.Registered, Promoted: false, ChampionVersion: null })
        {
            _firstVersionRefused = (await data.CountAsync(cancellationToken), outcome.FinishedAt);
        }
        else if (outcome.Promoted)
        {
            _firstVersionRefused = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for data: {Rows} usable trips, {Needed} needed")]
    private static partial void LogWaitingForData(ILogger logger, int rows, int needed);

    [LoggerMessage(Level = LogLevel.Information, Message = "No champion, and the last version was refused: the next automatic run waits until taxidb holds {Needed} trips (now {Trips}) or the schedule has passed; \"Train now\" trains at once")]
    private static partial void LogWaitingAfterRefusal(ILogger logger, long trips, long needed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live MAE {Live:F3} exceeds the champion's {Champion:F3} × {Factor}: retraining")]
    private static partial void LogDrift(ILogger logger, double live, double champion, double factor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training cycle failed; retrying at the next poll")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception);
}
