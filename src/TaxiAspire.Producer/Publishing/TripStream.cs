using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Producer.Publishing;

/// <summary>What a command-line run did.</summary>
internal sealed record RunSummary(long Trips, long Dirty, long DeliveryFailures, int Undelivered, TimeSpan Elapsed)
{
    public double TripsPerSecond => Elapsed > TimeSpan.Zero ? Trips / Elapsed.TotalSeconds : 0;
}

/// <summary>Reports how a run is going: a progress bar on a terminal, log lines otherwise.</summary>
internal interface IRunProgress
{
    void Report(long trips, long dirty);
}

/// <summary>
/// A bounded run (simulate, replay, backfill): trips from a source, paced or as fast as possible, spoiled at the
/// configured share, into Kafka; then a flush so that the summary counts what Kafka acknowledged.
/// </summary>
internal sealed class TripStream(KafkaTripSink sink, TripMessageFactory messages, TimeProvider time)
{
    private const int ProgressEvery = 4096;
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(2);

    public async Task<RunSummary> RunAsync(
        IAsyncEnumerable<TripEvent> trips, RatePacer pacer, long? limit, IRunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trips);
        ArgumentNullException.ThrowIfNull(pacer);
        ArgumentNullException.ThrowIfNull(progress);

        var started = time.GetTimestamp();
        long sent = 0;
        long dirty = 0;
        try
        {
            if (limit is not <= 0)
            {
                await foreach (var trip in trips.WithCancellation(cancellationToken))
                {
                    await pacer.WaitTurnAsync(cancellationToken);
                    var (value, isDirty) = messages.Create(trip);
                    await sink.PublishAsync(trip.TripId!, value, isDirty, cancellationToken);
                    pacer.Sent();
                    sent++;
                    if (isDirty) dirty++;
                    if (sent % ProgressEvery == 0) progress.Report(sent, dirty);
                    if (sent == limit) break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (Ctrl+C): what was enqueued is still flushed and counted below.
        }

        var undelivered = sink.Flush(FlushTimeout);
        progress.Report(sent, dirty);
        return new RunSummary(sent, dirty, sink.DeliveryFailures, undelivered, time.GetElapsedTime(started));
    }
}
