using Confluent.Kafka;
using TaxiAspire.BenchKit;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.LocalInfrastructure.Kafka;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.IntegrationTests.Processing;

/// <summary>
/// Local mode keeps taxidb across runs but not the mock cluster's log. After a restart the new log reuses the old
/// offsets for other messages; when it has grown past the stored offsets before the processor is assigned, offsets
/// alone cannot tell the logs apart (the loss seen from outside: trips skipped after a restart).
/// </summary>
public class LogRecreationTests(PostgresFixture postgres)
{
    private const int FirstRun = 600;
    private const int SecondRun = 4_000;
    private const int DirtyEvery = 20;

    [Fact]
    public async Task A_recreated_log_that_grew_past_the_stored_offsets_is_read_from_its_start_and_every_trip_is_stored_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateDatabaseAsync("recreated");
        ProcessorScenario scenario;
        IReadOnlyDictionary<int, long> storedBefore;

        await using (var first = StartCluster())
        {
            scenario = await ProcessorScenario.CreateAsync(first.BootstrapServers, CreateTopic(first), _ => Task.FromResult(database));
            await using (await ProcessorHost.StartAsync(scenario))
            {
                await scenario.ProduceAsync(0, FirstRun, DirtyEvery);
                await scenario.WaitUntilStoredAsync(FirstRun, TimeSpan.FromSeconds(60));
            }

            storedBefore = await StoredNextOffsetsAsync(scenario);
        }

        // The restarted cluster: same topics, a new log, produced past every stored offset before the processor starts.
        await using var second = StartCluster();
        scenario = scenario with { BootstrapServers = second.BootstrapServers };
        await CreateTopic(second)(scenario.Topic, ProcessorScenario.Partitions);
        await CreateTopic(second)(scenario.DeadLetterTopic, 2);
        await CreateTopic(second)(scenario.WindowsTopic, 3);
        await scenario.ProduceAsync(FirstRun, FirstRun + SecondRun, DirtyEvery);
        using (var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = second.BootstrapServers, GroupId = "probe" }).Build())
        {
            foreach (var (partition, next) in storedBefore)
            {
                var high = probe.QueryWatermarkOffsets(new TopicPartition(scenario.Topic, partition), TimeSpan.FromSeconds(10)).High.Value;
                Assert.True(high > next, $"partition {partition}: the new log ({high}) must reach past the stored offset ({next}) for this test to mean anything");
            }
        }

        await using (await ProcessorHost.StartAsync(scenario))
        {
            await WaitForAsync(scenario, FirstRun + SecondRun);
        }

        await using var dataSource = scenario.OpenDataSource();
        var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
        var expected = Enumerable.Range(0, FirstRun + SecondRun)
            .Where(i => !SyntheticTrips.IsDirty(i, DirtyEvery))
            .Select(i => SyntheticTrips.TripId(scenario.RunId, i))
            .ToHashSet();
        var stored = await audit.TripIdsAsync(ct);
        Assert.True(expected.SetEquals(stored), $"expected {expected.Count} trips, stored {stored.Count}; missing {expected.Except(stored).Count()}, unexpected {stored.Except(expected).Count()}");
        Assert.Equal(expected.Count, await audit.TripCountAsync(ct));
        Assert.Equal(SyntheticTrips.DirtyCount(FirstRun + SecondRun, DirtyEvery), await audit.RejectCountAsync(ct));
        Assert.Equal(0, await audit.WindowMismatchesAsync(ct));
    }

    private static MockKafkaCluster StartCluster() => MockKafkaCluster.Start(new MockKafkaClusterOptions { BrokerCount = 3 });

    private static Func<string, int, Task> CreateTopic(MockKafkaCluster cluster) => (name, partitions) =>
    {
        cluster.CreateTopic(name, partitions);
        return Task.CompletedTask;
    };

    private static async Task<IReadOnlyDictionary<int, long>> StoredNextOffsetsAsync(ProcessorScenario scenario)
    {
        await using var dataSource = scenario.OpenDataSource();
        await using var command = dataSource.CreateCommand("SELECT partition, next_offset FROM consumer_offsets WHERE consumer_group = $1 AND topic = $2");
        command.Parameters.Add(new() { Value = scenario.Group });
        command.Parameters.Add(new() { Value = scenario.Topic });
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var offsets = new Dictionary<int, long>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            offsets[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        Assert.Equal(ProcessorScenario.Partitions, offsets.Count);
        return offsets;
    }

    // Offsets restart with the new log, so progress is counted in what is stored: every trip and every reject.
    private static async Task WaitForAsync(ProcessorScenario scenario, int messages)
    {
        await using var dataSource = scenario.OpenDataSource();
        var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
        var ct = TestContext.Current.CancellationToken;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        long stored = 0;
        while (!deadline.IsCancellationRequested)
        {
            stored = await audit.TripCountAsync(ct) + await audit.RejectCountAsync(ct);
            if (stored >= messages) return;
            await Task.Delay(100, ct);
        }

        Assert.Fail($"Only {stored} of {messages} messages were stored within 90 s.");
    }
}
