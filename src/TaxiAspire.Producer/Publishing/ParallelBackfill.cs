using TaxiAspire.Producer.DirtyData;
using TaxiAspire.Producer.Simulation;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Producer.Publishing;

/// <summary>
/// An unpaced backfill on every core: workers take one-hour slices in turn and each generates, encodes (and spoils its
/// share of) its slice's trips and hands them to the shared, thread-safe producer. Encoding JSON costs about as much
/// as producing it, so one thread cannot reach the backfill target on a small machine; two can.
/// </summary>
internal sealed class ParallelBackfill(KafkaTripSink sink, TripValidationOptions validation, TripClock zone, TimeProvider time)
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(2);
    private readonly Lock _progressGate = new();

    public async Task<RunSummary> RunAsync(
        BackfillSlices slices, double dirtyRatio, long? limit, int workers, IRunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);

        var started = time.GetTimestamp();
        var nextSlice = -1;
        long reserved = 0;
        long sent = 0;
        long dirty = 0;

        async Task WorkAsync()
        {
            int slice;
            while ((slice = Interlocked.Increment(ref nextSlice)) < slices.Count && !cancellationToken.IsCancellationRequested)
            {
                var seed = slices.SliceSeed(slice);
                var messages = new TripMessageFactory(new DirtyTripInjector(dirtyRatio, seed, validation), zone, time);
                long sliceSent = 0;
                long sliceDirty = 0;
                foreach (var trip in slices.Trips(slice))
                {
                    if (limit is { } max && Interlocked.Increment(ref reserved) > max) break;
                    var (value, isDirty) = messages.Create(trip);
                    await sink.PublishAsync(trip.TripId!, value, isDirty, cancellationToken);
                    sliceSent++;
                    if (isDirty) sliceDirty++;
                }

                var totalSent = Interlocked.Add(ref sent, sliceSent);
                var totalDirty = Interlocked.Add(ref dirty, sliceDirty);
                lock (_progressGate)
                {
                    progress.Report(totalSent, totalDirty);
                }
            }
        }

        try
        {
            // Dedicated threads: the loop only awaits when Kafka's queue is full.
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(
                WorkAsync, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (Ctrl+C): what was enqueued is still flushed and counted below.
        }

        var undelivered = sink.Flush(FlushTimeout);
        progress.Report(Interlocked.Read(ref sent), Interlocked.Read(ref dirty));
        return new RunSummary(Interlocked.Read(ref sent), Interlocked.Read(ref dirty), sink.DeliveryFailures, undelivered, time.GetElapsedTime(started));
    }
}
