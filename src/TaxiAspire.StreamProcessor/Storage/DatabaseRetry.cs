using Npgsql;
using Polly;
using Polly.Retry;

namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>
/// The processor's one rule for waiting out PostgreSQL: what passes with time is retried with exponential backoff and
/// jitter until the database answers or the caller gives up (its cancellation token). Nothing is skipped meanwhile:
/// the caller simply does not go on.
/// </summary>
internal static class DatabaseRetry
{
    public static ResiliencePipeline Create(Func<OnRetryArguments<object>, ValueTask> onRetry) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(IsRetryable).Handle<TimeoutException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = onRetry,
            })
            .Build();

    // Connection failures, server shutdown (57P01), deadlocks and serialization failures: all pass with time.
    private static bool IsRetryable(NpgsqlException ex) =>
        ex.IsTransient
        || ex.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException
        || ex is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow };
}
