// The chaos runner: N trips (dirty ones mixed in) flow while the processor is SIGKILLed K times at random moments and
// restarted, PostgreSQL crashes (immediate stop) once mid-stream and a Kafka broker goes down and up once. Then it
// checks that every valid trip is stored exactly once, every window equals its recomputation, and the rejects are exactly the dirty messages.
// Prints one JSON object. Usage: TaxiAspire.Chaos [N=200000] [K=5] [seed=42]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using TaxiAspire.BenchKit;
using TaxiAspire.Chaos;
using TaxiAspire.Trips.Windows;

var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var k = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 42;
const string Topic = "taxi_trips";
const string WindowsTopic = "taxi_trip_windows";
const string Group = "stream-processor";
var random = new Random(seed);
var clock = Stopwatch.StartNew();

await using var env = await BenchEnvironment.StartAsync(fsync: true);
// Sized so the mock cluster keeps every message (~5 MiB per partition): ~330 bytes × N / 24 partitions.
env.Kafka.CreateTopic(Topic, Math.Max(24, n / 8_000));
env.Kafka.CreateTopic("taxi_trips_dlq", 3);
env.Kafka.CreateTopic(WindowsTopic, 3);

var messages = new TripMessages($"chaos{seed}", DirtyEvery: 50, FirstPickup: new DateTime(2026, 3, 2, 6, 0, 0, DateTimeKind.Unspecified));
var settings = new Dictionary<string, string>
{
    ["Trips__FutureTolerance"] = "30.00:00:00",
    ["StreamProcessor__AllowedLateness"] = "00:02:00",
    ["StreamProcessor__WindowDeliveryTimeout"] = "00:00:02",
};
var processor = ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, settings);

// Production spread over ~40 s so that every fault lands mid-stream.
var producing = Task.Run(() =>
{
    using var producer = TripMessages.CreateProducer(env.Kafka.BootstrapServers);
    const int Slices = 80;
    for (var s = 0; s < Slices; s++)
    {
        messages.ProduceRange(producer, Topic, (long)n * s / Slices, (long)n * (s + 1) / Slices);
        Thread.Sleep(500);
    }
});

var kills = 0;
var postgresRestarted = false;
var brokerBounced = false;
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
await using var dataSource = NpgsqlDataSource.Create(env.DatabaseConnectionString);
var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
var deadline = Stopwatch.StartNew();
while (deadline.Elapsed < TimeSpan.FromMinutes(3))
{
    try
    {
        if (await audit.StoredOffsetTotalAsync(Group, Topic, CancellationToken.None) >= n) break;
    }
    catch (NpgsqlException)
    {
        // A pooled connection from before the restart.
    }

    await Task.Delay(250);
}

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
    WindowsClosed: closed,
    WindowsPublished: windowMessages.Count,
    WindowsPublishedTwice: windowMessages.Count - windowMessages.Distinct().Count(),
    WindowsAwaitingPublication: closed - published,
    Faults: faults,
    Seconds: Math.Round(clock.Elapsed.TotalSeconds, 1));
Console.WriteLine(JsonSerializer.Serialize(report, ChaosJsonContext.Default.ChaosReport));
return report.Lost == 0 && report.Duplicated == 0 && report.WindowMismatches == 0 && report.RejectsExpected == report.RejectsStored ? 0 : 1;
