using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaxiAspire.Data.Schema;
using TaxiAspire.BenchKit;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.IntegrationTests.Processing;

/// <summary>Fresh topics, a fresh migrated database and a consumer group for one processor test, plus its checks.</summary>
internal sealed record ProcessorScenario(
    string BootstrapServers, string Topic, string DeadLetterTopic, string WindowsTopic, string Group, string DatabaseConnectionString, string RunId)
{
    public const int Partitions = 6;

    public static Task<ProcessorScenario> CreateAsync(KafkaFixture kafka, PostgresFixture postgres) =>
        CreateAsync(kafka.BootstrapServers, kafka.CreateTopicAsync, postgres.CreateDatabaseAsync);

    public static async Task<ProcessorScenario> CreateAsync(string bootstrapServers, Func<string, int, Task> createTopic, Func<string, Task<string>> createDatabase)
    {
        ArgumentNullException.ThrowIfNull(createTopic);
        ArgumentNullException.ThrowIfNull(createDatabase);
        var run = Guid.NewGuid().ToString("N")[..10];
        var scenario = new ProcessorScenario(bootstrapServers, $"trips-{run}", $"dlq-{run}", $"windows-{run}", $"processor-{run}",
            await createDatabase("processing"), run);
        await createTopic(scenario.Topic, Partitions);
        await createTopic(scenario.DeadLetterTopic, 2);
        await createTopic(scenario.WindowsTopic, 3);
        var migrated = DatabaseMigrator.Migrate(scenario.DatabaseConnectionString, NullLoggerFactory.Instance);
        Assert.True(migrated.Successful, migrated.Error?.ToString());
        return scenario;
    }

    public Task ProduceAsync(int from, int to, int dirtyEvery) =>
        SyntheticTrips.ProduceAsync(BootstrapServers, Topic, RunId, from, to, dirtyEvery, TestContext.Current.CancellationToken);

    public NpgsqlDataSource OpenDataSource() => NpgsqlDataSource.Create(DatabaseConnectionString);

    /// <summary>Waits until the stored offsets cover <paramref name="messages"/> messages.</summary>
    public async Task WaitUntilStoredAsync(long messages, TimeSpan timeout)
    {
        await using var dataSource = OpenDataSource();
        var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
        using var deadline = new CancellationTokenSource(timeout);
        long stored = 0;
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                stored = await audit.StoredOffsetTotalAsync(Group, Topic, TestContext.Current.CancellationToken);
                if (stored >= messages) return;
            }
            catch (NpgsqlException)
            {
                // The database may be down on purpose in a fault test.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"Only {stored} of {messages} messages were stored within {timeout}.");
    }

    /// <summary>Every valid trip stored once, every reject stored once, every window equal to its recomputation.</summary>
    public async Task AssertExactlyOnceAsync(int messages, int dirtyEvery)
    {
        await using var dataSource = OpenDataSource();
        var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
        var ct = TestContext.Current.CancellationToken;
        var dirty = SyntheticTrips.DirtyCount(messages, dirtyEvery);
        var ids = await audit.TripIdsAsync(ct);
        var expected = Enumerable.Range(0, messages).Where(i => !SyntheticTrips.IsDirty(i, dirtyEvery)).Select(i => SyntheticTrips.TripId(RunId, i)).ToHashSet();

        Assert.Equal(messages, await audit.StoredOffsetTotalAsync(Group, Topic, ct));
        Assert.True(expected.SetEquals(ids), $"expected {expected.Count} trips, stored {ids.Count}; missing {expected.Except(ids).Count()}, unexpected {ids.Except(expected).Count()}");
        Assert.Equal(dirty, await audit.RejectCountAsync(ct));
        Assert.Equal(0, await audit.WindowMismatchesAsync(ct));
    }

    /// <summary>Reads a whole topic (all partitions, from the beginning) until <paramref name="expected"/> messages arrived or a quiet second.</summary>
    public List<ConsumeResult<byte[], byte[]>> ReadAll(string topic, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        var messages = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && messages.Count < expected)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                messages.Add(result);
            }
        }

        // A little longer, to catch a message too many (a window published twice).
        var quietUntil = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        while (DateTime.UtcNow < quietUntil)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
            {
                messages.Add(result);
            }
        }

        consumer.Close();
        return messages;
    }
}
