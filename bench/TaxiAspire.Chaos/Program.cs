// The chaos runner: N trips (dirty ones mixed in) flow while the processor is SIGKILLed K times at random moments and
// restarted, PostgreSQL crashes (immediate stop) once mid-stream, a Kafka broker goes down and up once, and the local
// infrastructure's Kafka restarts once (a new mock cluster with an empty log, grown past the stored offsets before the
// processor is assigned, as after a local-mode AppHost restart). Then it checks that every valid trip is stored exactly
// once, every window equals its recomputation, and the rejects are exactly the dirty messages.
// Prints one JSON object. Usage: TaxiAspire.Chaos [N=200000] [K=5] [seed=42]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using TaxiAspire.BenchKit;
using Confluent.Kafka;
using TaxiAspire.Chaos;
using TaxiAspire.LocalInfrastructure.Kafka;
using TaxiAspire.Trips.Windows;

var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var k = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 42;
const string Topic = "taxi_trips";
const string WindowsTopic = "taxi_trip_windows";
var random = new Random(seed);
var clock = Stopwatch.StartNew();

await using var env = await BenchEnvironment.StartAsync(fsync: true);
// Sized so the mock cluster keeps every message (~5 MiB per partition): ~330 bytes × N / 24 partitions.
(string Topic, int Partitions)[] topics = [(Topic, Math.Max(24, n / 8_000)), ("taxi_trips_dlq", 3), (WindowsTopic, 3)];
foreach (var (topic, partitions) in topics)
{
    env.Kafka.CreateTopic(topic, partitions);
}

var messages = new TripMessages($"chaos{seed}", DirtyEvery: 50, FirstPickup: new DateTime(2026, 3, 2, 6, 0, 0, DateTimeKind.Unspecified));
var settings = new Dictionary<string, string>
{
    ["Trips__FutureTolerance"] = "30.00:00:00",
    ["StreamProcessor__AllowedLateness"] = "00:02:00",
    ["StreamProcessor__WindowDeliveryTimeout"] = "00:00:02",
};
var processor = ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, settings);

// Production spread over ~40 s so that every fault lands mid-stream. The Kafka restart pauses it between slices.
const int Slices = 80;
var produced = 0L;
using var producingGate = new SemaphoreSlim(1, 1);
var producing = Task.Run(async () =>
{
    IProducer<byte[], byte[]>? producer = null;
    MockKafkaCluster? producerCluster = null;
    try
    {
        for (var s = 0; s < Slices; s++)
        {
            await producingGate.WaitAsync();
            try
            {
                if (!ReferenceEquals(producerCluster, env.Kafka))
                {
                    producer?.Dispose();
                    producerCluster = env.Kafka;
                    producer = TripMessages.CreateProducer(producerCluster.BootstrapServers);
                }

                // The Kafka restart may have produced ahead of the slices.
                var from = Math.Max((long)n * s / Slices, Interlocked.Read(ref produced));
                var to = (long)n * (s + 1) / Slices;
                if (to > from)
                {
                    messages.ProduceRange(producer!, Topic, from, to);
                    Interlocked.Exchange(ref produced, to);
                }
            }
            finally
            {
                producingGate.Release();
            }

            await Task.Delay(500);
        }
    }
    finally
    {
        producer?.Dispose();
    }
});

var kills = 0;
var postgresRestarted = false;
var brokerBounced = false;
var kafkaRestarted = false;
var faults = new List<string>();
for (var i = 0; i < k; i++)
{
    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(2_500, 7_000)));
    if (i == 1 && !postgresRestarted)
    {
        // A crash mid-stream: the processor keeps running and retries; commits whose WAL was still in memory are lost.
        faults.Add($"{clock.Elapsed.TotalSeconds:F1}s postgres crash");
        await env.Postgres.CrashAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await env.Postgres.StartAsync();
        postgresRestarted = true;
        await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1_000, 3_000)));
    }

    await processor.KillAsync();
    processor.Dispose();
    kills++;
    faults.Add($"{clock.Elapsed.TotalSeconds:F1}s kill");

    if (i == 3 && !kafkaRestarted)
    {
        // A local-mode restart: Kafka's log is gone, taxidb keeps the offsets. Only what the processor stored survives
        // a lost log, so production pauses until everything produced is stored; then the new log is grown past the
        // stored offsets before a processor is assigned to it (the race that once skipped trips).
        await producingGate.WaitAsync();
        var before = Interlocked.Read(ref produced);
        processor = ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, settings);
        await ChaosChecks.WaitUntilStoredAsync(env.DatabaseConnectionString, before, TimeSpan.FromMinutes(3));
        await processor.KillAsync();
        processor.Dispose();
        await env.RestartKafkaAsync(topics);
        faults.Add($"{clock.Elapsed.TotalSeconds:F1}s kafka restarted (new log) after {before} messages");
        using (var producer = TripMessages.CreateProducer(env.Kafka.BootstrapServers))
        {
            var ahead = Math.Min(n, before + (before * 3 / 2) + 1_000);
            messages.ProduceRange(producer, Topic, before, ahead);
            Interlocked.Exchange(ref produced, ahead);
        }

        kafkaRestarted = true;
        producingGate.Release();
    }

    processor = ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, settings);
    if (i == 2 && !brokerBounced)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 2_000)));
        faults.Add($"{clock.Elapsed.TotalSeconds:F1}s broker 2 down");
        env.Kafka.SetBrokerDown(2);
        await Task.Delay(TimeSpan.FromSeconds(4));
        env.Kafka.SetBrokerUp(2);
        brokerBounced = true;
    }
}

await producing;
await ChaosChecks.WaitUntilStoredAsync(env.DatabaseConnectionString, n, TimeSpan.FromMinutes(3));
await using var dataSource = NpgsqlDataSource.Create(env.DatabaseConnectionString);
var audit = new PipelineAudit(dataSource, HoppingWindows.Default);

// Let the window publisher drain what the last batches closed, then stop.
await Task.Delay(TimeSpan.FromSeconds(5));
await processor.KillAsync();
processor.Dispose();

var stored = await audit.TripIdsAsync(CancellationToken.None);
var expectedIds = Enumerable.Range(0, n).Where(i => !messages.IsDirty(i)).Select(i => messages.TripId(i)).ToHashSet();
var windowTripSum = await ChaosChecks.WindowTripCountSumAsync(dataSource);
var (closed, published) = await audit.WindowPublicationsAsync(CancellationToken.None);
var windowMessages = ChaosChecks.ReadWindowKeys(env.Kafka.BootstrapServers, WindowsTopic);

var report = new ChaosReport(
    TripsSent: n,
    ValidSent: expectedIds.Count,
    TripsStored: stored.Count,
    Lost: expectedIds.Except(stored).Count(),
    // trips is keyed by trip_id, so a doubled trip would show as a window counted twice: every trip is in
    // WindowsPerEvent windows, so the window counts sum to exactly that many times the stored trips.
    Duplicated: (windowTripSum / HoppingWindows.Default.WindowsPerEvent) - stored.Count + stored.Except(expectedIds).Count(),
    WindowMismatches: await audit.WindowMismatchesAsync(CancellationToken.None),
    RejectsExpected: n - expectedIds.Count,
    RejectsStored: await audit.RejectCountAsync(CancellationToken.None),
    Kills: kills,
    PostgresRestarts: postgresRestarted ? 1 : 0,
    BrokerOutages: brokerBounced ? 1 : 0,
    KafkaRestarts: kafkaRestarted ? 1 : 0,
    WindowsClosed: closed,
    WindowsPublished: windowMessages.Count,
    WindowsPublishedTwice: windowMessages.Count - windowMessages.Distinct().Count(),
    WindowsAwaitingPublication: closed - published,
    Faults: faults,
    Seconds: Math.Round(clock.Elapsed.TotalSeconds, 1));
Console.WriteLine(JsonSerializer.Serialize(report, ChaosJsonContext.Default.ChaosReport));
return report.Lost == 0 && report.Duplicated == 0 && report.WindowMismatches == 0 && report.RejectsExpected == report.RejectsStored ? 0 : 1;
