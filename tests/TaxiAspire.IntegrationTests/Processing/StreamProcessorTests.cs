using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaxiAspire.BenchKit;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.StreamProcessor.Committing;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.IntegrationTests.Processing;

/// <summary>The processor's guarantees, each over the real Kafka protocol and a real PostgreSQL.</summary>
public class StreamProcessorTests(KafkaFixture kafka, PostgresFixture postgres)
{
    private const int DirtyEvery = 20;
    private static readonly string[] DirtyReasons = ["malformed_json", "negative_fare", "invalid_vendor"];

    [Fact]
    public async Task Valid_trips_are_stored_once_rejects_are_dead_lettered_with_reason_and_source_and_closed_windows_are_published_once()
    {
        var scenario = await ProcessorScenario.CreateAsync(kafka, postgres);
        const int messages = 3_000;
        await scenario.ProduceAsync(0, messages, DirtyEvery);
        // The same trips again (a producer that retried everything): nothing may count twice.
        await scenario.ProduceAsync(0, 500, DirtyEvery);
        var total = messages + 500;

        await using (var processor = await ProcessorHost.StartAsync(scenario))
        {
            await scenario.WaitUntilStoredAsync(total, TimeSpan.FromSeconds(30));
            await WaitForPublicationsAsync(scenario);
        }

        await using var dataSource = scenario.OpenDataSource();
        var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(messages - SyntheticTrips.DirtyCount(messages, DirtyEvery), await audit.TripCountAsync(ct));
        Assert.Equal(0, await audit.WindowMismatchesAsync(ct));
        // Rejects are per message (a re-sent bad message is a new bad message), and each is dead-lettered.
        var dirty = SyntheticTrips.DirtyCount(messages, DirtyEvery) + SyntheticTrips.DirtyCount(500, DirtyEvery);
        Assert.Equal(dirty, await audit.RejectCountAsync(ct));

        var deadLetters = scenario.ReadAll(scenario.DeadLetterTopic, dirty, TimeSpan.FromSeconds(15));
        Assert.Equal(dirty, deadLetters.Count);
        Assert.All(deadLetters, d =>
        {
            var reason = Header(d, DeadLetterPublisher.ReasonHeader);
            Assert.Contains(reason, DirtyReasons);
            Assert.Equal(scenario.Topic, Header(d, DeadLetterPublisher.SourceTopicHeader));
            Assert.InRange(int.Parse(Header(d, DeadLetterPublisher.SourcePartitionHeader), CultureInfo.InvariantCulture), 0, ProcessorScenario.Partitions - 1);
            Assert.True(long.Parse(Header(d, DeadLetterPublisher.SourceOffsetHeader), CultureInfo.InvariantCulture) >= 0);
        });

        var (closed, published) = await audit.WindowPublicationsAsync(ct);
        Assert.True(closed > 0, "the watermark closed no window");
        Assert.Equal(closed, published);
        var windowMessages = scenario.ReadAll(scenario.WindowsTopic, (int)closed, TimeSpan.FromSeconds(15));
        var reports = windowMessages.Select(m => JsonSerializer.Deserialize(m.Message.Value, ClosedWindowJsonContext.Default.ClosedWindowReport)!).ToList();
        Assert.Equal(closed, reports.Count);
        Assert.Equal(reports.Count, reports.Select(r => (r.VendorId, r.WindowStart)).Distinct().Count());
        Assert.All(reports, r => Assert.True(r.WindowEnd <= r.Watermark));
    }

    [Fact]
    public async Task Two_replicas_share_the_partitions_and_one_stopping_mid_stream_changes_no_result()
    {
        var scenario = await ProcessorScenario.CreateAsync(kafka, postgres);
        const int messages = 12_000;
        await using var first = await ProcessorHost.StartAsync(scenario);
        await using var second = await ProcessorHost.StartAsync(scenario);
        await scenario.ProduceAsync(0, messages / 3, DirtyEvery);

        // Both replicas take part. (The exact split is not asserted: a cooperative rebalance moves partitions in two
        // steps, and on librdkafka's mock cluster the second step can lag by many seconds; the result below is what counts.)
        await WaitUntilAsync(() => Assigned(first) > 0 && Assigned(second) > 0, TimeSpan.FromSeconds(60), "both replicas own partitions");

        var rest = scenario.ProduceAsync(messages / 3, messages, DirtyEvery);
        await scenario.WaitUntilStoredAsync(messages / 2, TimeSpan.FromSeconds(30));
        await first.StopAsync(); // mid-stream: the rest is still arriving
        await rest;
        await WaitUntilAsync(() => Assigned(second) == ProcessorScenario.Partitions, TimeSpan.FromSeconds(60), "the survivor owns every partition");

        await scenario.WaitUntilStoredAsync(messages, TimeSpan.FromSeconds(40));
        await scenario.AssertExactlyOnceAsync(messages, DirtyEvery);
    }

    [Fact]
    public async Task Graceful_shutdown_commits_every_consumed_message()
    {
        // Batches now close as soon as the consumer has caught up, so a batch can no longer be held open until
        // shutdown; what this checks is that stopping right after consuming commits everything consumed, once.
        var scenario = await ProcessorScenario.CreateAsync(kafka, postgres);
        var processor = await ProcessorHost.StartAsync(scenario, new Dictionary<string, string?>
        {
            ["StreamProcessor:MaxBatchSize"] = "100000",
            ["StreamProcessor:MaxBatchDelay"] = "00:01:00",
        });
        await scenario.ProduceAsync(0, 400, DirtyEvery);
        var consumer = processor.Services.GetRequiredService<IConsumer<byte[]?, byte[]?>>();
        await WaitUntilAsync(() => Consumed(consumer) == 400, TimeSpan.FromSeconds(20), "the processor consumed every message");

        await processor.DisposeAsync();

        await scenario.AssertExactlyOnceAsync(400, DirtyEvery);
    }

    [Fact]
    public async Task Consumption_pauses_with_bounded_memory_while_the_database_is_slower_than_Kafka()
    {
        var scenario = await ProcessorScenario.CreateAsync(kafka, postgres);
        const int batch = 200;
        const int messages = 10_000;
        await using var dataSource = scenario.OpenDataSource();
        await using var processor = await ProcessorHost.StartAsync(scenario, new Dictionary<string, string?>
        {
            ["StreamProcessor:MaxBatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
            ["StreamProcessor:MaxBatchesInFlight"] = "2",
            ["StreamProcessor:WriteLanes"] = "2",
        });
        var consumer = processor.Services.GetRequiredService<IConsumer<byte[]?, byte[]?>>();

        // Hold the offsets table: every batch transaction now waits for this one, as if PostgreSQL were very slow.
        await using (var blocker = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await using var tx = await blocker.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var lockTable = blocker.CreateCommand())
            {
                lockTable.CommandText = "LOCK TABLE consumer_offsets IN EXCLUSIVE MODE";
                await lockTable.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            await scenario.ProduceAsync(0, messages, DirtyEvery);

            // In each of the 2 lanes one batch being written and MaxBatchesInFlight waiting, and one batch held by the
            // consume thread (a batch may hold one lane's partitions only): nothing more is taken from Kafka, although
            // all 10,000 messages are there to take. Watched until the processor has visibly paused, every look
            // checking the bound, so any overshoot fails at once.
            const long bound = ((2 * (1 + 2)) + 1) * batch;
            var paused = await WaitUntilPausedAsync(consumer, dataSource, bound);
            Assert.InRange(paused, batch, bound);

            await tx.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await scenario.WaitUntilStoredAsync(messages, TimeSpan.FromSeconds(40));
        await scenario.AssertExactlyOnceAsync(messages, DirtyEvery);
    }

    /// <summary>
    /// Waits until consumption has paused for the blocked database: a batch write waits on the lock and the consumer's
    /// position has not moved for a second. (Not necessarily every lane: the consume thread stops at the first full
    /// one, and the other may have had nothing to write.) Fails as soon as more than <paramref name="bound"/> messages
    /// were taken.
    /// </summary>
    private static async Task<long> WaitUntilPausedAsync(IConsumer<byte[]?, byte[]?> consumer, NpgsqlDataSource dataSource, long bound)
    {
        var ct = TestContext.Current.CancellationToken;
        var timeout = TimeSpan.FromSeconds(30);
        var watching = Stopwatch.StartNew();
        var still = Stopwatch.StartNew();
        var last = -1L;
        while (true)
        {
            var consumed = Consumed(consumer);
            Assert.True(consumed <= bound, $"{consumed} messages taken from Kafka while the database was blocked (bound {bound})");
            if (consumed != last)
            {
                last = consumed;
                still.Restart();
            }
            else if (still.Elapsed >= TimeSpan.FromSeconds(1) && await WritersWaitingOnLocksAsync(dataSource, ct) > 0)
            {
                return consumed;
            }

            Assert.True(watching.Elapsed < timeout, $"Consumption did not pause within {timeout} ({consumed} messages taken).");
            await Task.Delay(20, ct);
        }
    }

    private static async Task<long> WritersWaitingOnLocksAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    internal static int Assigned(ProcessorHost host) =>
        host.Services.GetRequiredService<IConsumer<byte[]?, byte[]?>>().Assignment.Count;

    // Messages the application has taken from the consumer: the positions past each partition's start (0 here).
    internal static long Consumed(IConsumer<byte[]?, byte[]?> consumer) =>
        consumer.Assignment.Sum(tp => consumer.Position(tp) is { IsSpecial: false } offset ? offset.Value : 0);

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (deadline.IsCancellationRequested) Assert.Fail($"Timed out waiting until {what}.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitForPublicationsAsync(ProcessorScenario scenario)
    {
        await using var dataSource = scenario.OpenDataSource();
        var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!deadline.IsCancellationRequested)
        {
            var (closed, published) = await audit.WindowPublicationsAsync(TestContext.Current.CancellationToken);
            if (closed > 0 && closed == published) return;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail("Closed windows were not all published within 20 s.");
    }

    private static string Header(ConsumeResult<byte[], byte[]> message, string name) =>
        message.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : string.Empty;
}
