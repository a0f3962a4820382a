using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Committing;

namespace TaxiAspire.StreamProcessor.Consuming;

/// <summary>
/// The micro-batch loop, in two stages joined by bounded channels: the consume thread fills a batch (until full or
/// caught up with the broker, <see cref="BatchFiller"/>), splits it by partition across the write lanes, decodes and validates each part; each lane commits its parts
/// in order, the parts that queued while it was writing together (<see cref="BatchCommitter"/>). Parsing batch N+1 thus overlaps writing batch N, the lanes
/// write side by side, and when the database falls behind a lane's channel fills and the consume thread stops reading,
/// so memory stays bounded. On shutdown every batch in hand is committed first.
/// </summary>
internal sealed partial class TripStreamWorker(
    IConsumer<byte[]?, byte[]?> consumer,
    BatchFiller filler,
    BatchBuilder batchBuilder,
    BatchCommitter committer,
    PartitionEpochs epochs,
    StreamProcessorMetrics metrics,
    IOptions<StreamProcessorOptions> options,
    TimeProvider timeProvider,
    ILogger<TripStreamWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume() blocks; give the loop its own thread rather than a pool thread.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var lanes = new Channel<BuiltBatch>[settings.WriteLanes];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = Channel.CreateBounded<BuiltBatch>(new BoundedChannelOptions(settings.MaxBatchesInFlight)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        // The write stages are not cancelled by stopping: they drain what was consumed, giving up only if the database
        // stays away longer than the drain timeout (then nothing is lost either: the offsets were not stored).
        using var abandon = new CancellationTokenSource();
        using var onStop = stoppingToken.Register(() => abandon.CancelAfter(settings.ShutdownDrainTimeout));
        var writeStages = lanes.Select(lane => Task.Run(() => WriteStageAsync(settings, lane.Reader, lanes, abandon.Token), CancellationToken.None)).ToArray();
        foreach (var stage in writeStages)
        {
            // A failed write stage must not leave the consume thread waiting for room in a channel forever.
            _ = stage.ContinueWith(_ => abandon.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        var laneOf = new PartitionLanes(lanes.Length);
        consumer.Subscribe(settings.Topic);
        LogStarted(logger, settings.Topic, settings.ConsumerGroup);
        try
        {
            while (!stoppingToken.IsCancellationRequested && !writeStages.Any(stage => stage.IsCompleted))
            {
                var messages = filler.Fill(settings, stoppingToken);
                if (messages.Count == 0) continue;

                foreach (var (lane, part) in laneOf.Split(messages))
                {
                    var built = batchBuilder.Build(settings.ConsumerGroup, part, epochs);
                    // Blocks while the lane is full: the bounded-memory backpressure. Not cancelled by stopping,
                    // since this batch is "in hand" and must be committed.
                    lanes[lane].Writer.WriteAsync(built, abandon.Token).AsTask().GetAwaiter().GetResult();
                }
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            // The database stayed away past the drain timeout; the batch was never stored, so it is read again.
        }
        finally
        {
            foreach (var lane in lanes)
            {
                lane.Writer.TryComplete();
            }

            try
            {
                Task.WhenAll(writeStages).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                LogDrainAbandoned(logger, settings.ShutdownDrainTimeout);
            }
            finally
            {
                CloseConsumer(settings);
            }
        }
    }

    // With the brokers gone librdkafka's close waits for the group coordinator (seen: ~10 s), so it gets a bound.
    // Nothing depends on it finishing: the offsets that count were stored in PostgreSQL with their batches, and a
    // consumer that does not say goodbye only keeps its partitions until the group's session timeout.
    private void CloseConsumer(StreamProcessorOptions settings)
    {
        var close = Task.Run(consumer.Close);
        if (Task.WhenAny(close, Task.Delay(settings.ConsumerCloseTimeout, timeProvider)).GetAwaiter().GetResult() == close)
        {
            close.GetAwaiter().GetResult();
            LogStopped(logger);
            return;
        }

        LogCloseAbandoned(logger, settings.ConsumerCloseTimeout);
        // Destroying the handle waits for that close too. Started here, off the host's thread, it makes the service
        // provider's own Dispose of the consumer a no-op, so the process exits instead of waiting.
        _ = Task.Run(consumer.Dispose);
    }

    private async Task WriteStageAsync(StreamProcessorOptions settings, ChannelReader<BuiltBatch> reader, Channel<BuiltBatch>[] lanes, CancellationToken cancellationToken)
    {
        await foreach (var first in reader.ReadAllAsync(CancellationToken.None))
        {
            // Batches that queued while this lane was writing commit together, up to a full batch: one transaction and
            // one flush to disk instead of one each, so a burst that outpaced the lane does not wait out several commits.
            var built = first;
            while (reader.TryPeek(out var next)
                && built.Messages.Count + next.Messages.Count <= settings.MaxBatchSize
                && built.FollowedBy(next) is { } both)
            {
                reader.TryRead(out _);
                built = both;
            }

            await committer.CommitAsync(settings, built, cancellationToken);
            metrics.BatchesInFlight(lanes.Sum(lane => lane.Reader.Count));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Topic} as group {Group}")]
    private static partial void LogStarted(ILogger logger, string topic, string group);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream processor stopped; consumer closed")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Kafka consumer did not close within {Timeout}; stopped without leaving the group")]
    private static partial void LogCloseAbandoned(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL did not answer within {Timeout} of shutdown; uncommitted batches will be read again by the next owner")]
    private static partial void LogDrainAbandoned(ILogger logger, TimeSpan timeout);
}
