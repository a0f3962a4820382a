// The pipeline benchmark: end-to-end trips/s of the stream processor (a child process, as deployed) over 1,000,000
// trips, p50/p99 latency at a steady 5,000 trips/s, the processor's peak memory, and in the same run, on the same
// rows, the ceilings: raw consume rate, raw binary COPY rate, and a naive one-INSERT-per-message consumer.
// Prints one JSON object. Usage: TaxiAspire.Bench [trips=1000000] [steady rate=5000] [steady seconds=20]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using TaxiAspire.Bench;
using TaxiAspire.BenchKit;
using TaxiAspire.Data.Verification;
using TaxiAspire.Trips.Windows;

var trips = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var steadyRate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000;
var steadySeconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
// ~330 bytes a trip and ~5 MiB kept per mock partition: 128 partitions keep 1M trips with room to spare.
var partitions = (int)Math.Max(12, Math.Min(256, trips / 7_800 + 1));
const string Topic = "taxi_trips";
const string SteadyTopic = "taxi_trips_steady";

await using var env = await BenchEnvironment.StartAsync(fsync: true);
env.Kafka.CreateTopic(Topic, partitions);
env.Kafka.CreateTopic(SteadyTopic, 12);
env.Kafka.CreateTopic("taxi_trips_dlq", 3);
env.Kafka.CreateTopic("taxi_trip_windows", 3);
await using var dataSource = NpgsqlDataSource.Create(env.DatabaseConnectionString);
var audit = new PipelineAudit(dataSource, HoppingWindows.Default);
var bulk = new TripMessages("bulk", DirtyEvery: 100, FirstPickup: new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Unspecified));

Console.Error.WriteLine($"producing {trips} trips into {partitions} partitions");
using (var producer = TripMessages.CreateProducer(env.Kafka.BootstrapServers))
{
    bulk.ProduceRange(producer, Topic, 0, trips);
}

Console.Error.WriteLine("ceiling: raw consume");
var rawConsume = Ceilings.RawConsume(env.Kafka.BootstrapServers, Topic, partitions, trips);
Console.Error.WriteLine("ceiling: raw COPY");
var rawCopy = await Ceilings.RawCopyAsync(dataSource, bulk, trips);

Console.Error.WriteLine("processor: end to end");
var settings = new Dictionary<string, string> { ["Trips__FutureTolerance"] = "30.00:00:00", ["StreamProcessor__Topic"] = Topic };
var wall = Stopwatch.StartNew();
long peakMemory;
using (var processor = ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, settings))
{
    peakMemory = await WaitForOffsetsAsync(audit, "stream-processor", Topic, trips, processor);
    await processor.KillAsync();
}

var wallSeconds = wall.Elapsed.TotalSeconds;
var steady = await StoredSpanRateAsync(dataSource);

Console.Error.WriteLine("ceiling: naive consumer");
var naive = Ceilings.NaiveInsert(env.Kafka.BootstrapServers, Topic, dataSource, TimeSpan.FromSeconds(15));

Console.Error.WriteLine($"latency at {steadyRate} trips/s");
var steadyMessages = new TripMessages("steady", DirtyEvery: 0, FirstPickup: new DateTime(2026, 3, 3, 0, 0, 0, DateTimeKind.Unspecified));
var steadySettings = new Dictionary<string, string>
{
    ["Trips__FutureTolerance"] = "30.00:00:00",
    ["StreamProcessor__Topic"] = SteadyTopic,
    ["StreamProcessor__ConsumerGroup"] = "steady",
};
LatencyResult latency;
using (var processor = ProcessorProcess.Start(env.Kafka.BootstrapServers, env.DatabaseConnectionString, steadySettings))
{
    latency = await SteadyLatency.MeasureAsync(env.Kafka.BootstrapServers, SteadyTopic, steadyMessages, dataSource, steadyRate, TimeSpan.FromSeconds(steadySeconds));
    peakMemory = Math.Max(peakMemory, processor.PeakResidentBytes());
    await processor.KillAsync();
}

var endToEnd = trips / wallSeconds;
var report = new BenchReport(
    Trips: trips,
    Partitions: partitions,
    EndToEndTripsPerSecond: Math.Round(endToEnd),
    EndToEndWallSeconds: Math.Round(wallSeconds, 2),
    SteadyTripsPerSecond: Math.Round(steady),
    LatencyRateTripsPerSecond: Math.Round(latency.AchievedRate),
    LatencySamples: latency.Samples,
    LatencyP50Ms: Math.Round(latency.P50Ms, 1),
    LatencyP99Ms: Math.Round(latency.P99Ms, 1),
    PeakProcessorMemoryMb: Math.Round(peakMemory / 1024.0 / 1024.0, 1),
    RawConsumeTripsPerSecond: Math.Round(rawConsume),
    RawCopyTripsPerSecond: Math.Round(rawCopy),
    NaiveInsertTripsPerSecond: Math.Round(naive),
    SpeedupOverNaive: Math.Round(endToEnd / naive, 1),
    Targets: new BenchTargets(
        Throughput50k: endToEnd >= 50_000,
        TenTimesNaive: endToEnd >= 10 * naive,
        P99Under250Ms: latency.P99Ms <= 250,
        MemoryUnder300Mb: peakMemory <= 300L * 1024 * 1024));
Console.WriteLine(JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport));

// Polls the stored offsets until they cover every message, sampling the child's peak memory meanwhile.
static async Task<long> WaitForOffsetsAsync(PipelineAudit audit, string group, string topic, long expected, ProcessorProcess processor)
{
    long peak = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromMinutes(10))
    {
        peak = Math.Max(peak, processor.PeakResidentBytes());
        if (await audit.StoredOffsetTotalAsync(group, topic, CancellationToken.None) >= expected) break;
        if (processor.HasExited) throw new InvalidOperationException("The processor exited.");
        await Task.Delay(50);
    }

    return Math.Max(peak, processor.PeakResidentBytes());
}

// Trips over the span between the first and the last batch transaction: the rate once the group has formed.
static async Task<double> StoredSpanRateAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand(
        "SELECT count(*), extract(epoch FROM max(stored_at) - min(stored_at))::float8 FROM trips WHERE trip_id LIKE 'bulk-%'");
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    var seconds = reader.IsDBNull(1) ? 0 : reader.GetDouble(1);
    return seconds > 0 ? reader.GetInt64(0) / seconds : 0;
}
