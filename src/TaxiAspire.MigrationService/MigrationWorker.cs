using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using TaxiAspire.Data.Schema;

namespace TaxiAspire.MigrationService;

/// <summary>Applies the migrations with retries (the server may still be starting), then stops the host.</summary>
internal sealed partial class MigrationWorker(
    IOptions<MigrationOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<MigrationWorker> logger,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(),
            MaxRetryAttempts = 10,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(5),
        })
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var result = await Retry.ExecuteAsync(
                _ => ValueTask.FromResult(DatabaseMigrator.Migrate(options.Value.ConnectionString, loggerFactory)),
                stoppingToken);
            if (!result.Successful)
            {
                LogFailed(logger, result.ErrorScript?.Name ?? "(unknown script)", result.Error);
                Environment.ExitCode = 1;
            }
            else
            {
                var applied = result.Scripts.Count();
                LogApplied(logger, applied);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            LogUnreachable(logger, ex);
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "taxidb is up to date ({Applied} new migration scripts applied)")]
    private static partial void LogApplied(ILogger logger, int applied);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migration script {Script} failed; taxidb is left at the previous version")]
    private static partial void LogFailed(ILogger logger, string script, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not reach taxidb to migrate it. Check that PostgreSQL runs and ConnectionStrings__taxidb points at it")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
