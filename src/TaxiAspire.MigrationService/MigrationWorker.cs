using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using TaxiAspire.Data.Schema;
using TaxiAspire.MigrationService.Topics;

namespace TaxiAspire.MigrationService;

/// <summary>
/// Provisions the topics (when there is a cluster to provision), applies the migrations with retries (the server may
/// still be starting), then stops the host; exit code 1 when either failed, so the services waiting for it never start.
/// </summary>
internal sealed partial class MigrationWorker(
    IOptions<MigrationOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<MigrationWorker> logger,
    IHostApplicationLifetime lifetime,
    TopicProvisioner? topics = null) : BackgroundService
{
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            // A wrong password or a missing database stays wrong: fail at once, naming the setting.
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(ex => !IsPermanent(ex)),
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
            var topicsReady = topics is null || await ProvisionTopicsAsync(topics, stoppingToken);
            var schemaReady = await MigrateAsync(stoppingToken);
            if (!topicsReady || !schemaReady)
            {
                Environment.ExitCode = 1;
            }
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task<bool> ProvisionTopicsAsync(TopicProvisioner provisioner, CancellationToken cancellationToken)
    {
        try
        {
            var problems = await provisioner.ProvisionAsync(cancellationToken);
            foreach (var problem in problems)
            {
                LogTopicProblem(logger, problem);
            }

            return problems.Count == 0;
        }
        catch (KafkaException ex)
        {
            LogKafkaUnreachable(logger, ex.Error.Reason, ex);
            return false;
        }
    }

    private async Task<bool> MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await Retry.ExecuteAsync(
                _ => ValueTask.FromResult(DatabaseMigrator.Migrate(options.Value.ConnectionString, loggerFactory)),
                cancellationToken);
            if (!result.Successful)
            {
                if (result.Error is PostgresException postgres && IsPermanent(postgres))
                {
                    LogRefused(logger, postgres.SqlState, postgres.MessageText);
                }
                else
                {
                    LogFailed(logger, result.ErrorScript?.Name ?? "(unknown script)", result.Error);
                }

                return false;
            }

            var applied = result.Scripts.Count();
            LogApplied(logger, applied);
            return true;
        }
        catch (PostgresException ex) when (IsPermanent(ex))
        {
            LogRefused(logger, ex.SqlState, ex.MessageText);
            return false;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            LogUnreachable(logger, ex);
            return false;
        }
    }

    // 28P01 wrong password, 28000 no such role or not allowed by pg_hba, 3D000 no such database, 42501 no privilege.
    private static bool IsPermanent(NpgsqlException exception) =>
        exception is PostgresException { SqlState: "28P01" or "28000" or "3D000" or "42501" };

    [LoggerMessage(Level = LogLevel.Information, Message = "taxidb is up to date ({Applied} new migration scripts applied)")]
    private static partial void LogApplied(ILogger logger, int applied);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migration script {Script} failed; taxidb is left at the previous version")]
    private static partial void LogFailed(ILogger logger, string script, Exception? exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not reach taxidb to migrate it. Check that PostgreSQL runs and ConnectionStrings__taxidb points at it")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "PostgreSQL refused the migrations ({SqlState}: {Reason}). Check the user, password and database in ConnectionStrings:taxidb (the role needs to own the database or hold CREATE on it, not to create databases)")]
    private static partial void LogRefused(ILogger logger, string sqlState, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Topic check failed: {Problem}")]
    private static partial void LogTopicProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka did not answer the topic check ({Reason}). Check ConnectionStrings:kafka and, for a secured cluster, Kafka:Config:security.protocol, sasl.mechanism, sasl.username and sasl.password")]
    private static partial void LogKafkaUnreachable(ILogger logger, string reason, Exception exception);
}
