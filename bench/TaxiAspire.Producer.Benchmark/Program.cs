using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using TaxiAspire.LocalInfrastructure.Kafka;
using TaxiAspire.Producer.Benchmark;
using TaxiAspire.Producer.Cli;
using TaxiAspire.Producer.Publishing;
using TaxiAspire.Producer.Simulation;
using TaxiAspire.Trips.Contract;

// dotnet run -c Release --project bench/TaxiAspire.Producer.Benchmark -- [--days 30] [--trips-per-day 100000] [--raw 3000000] [--bootstrap-servers host:port]
// Without --bootstrap-servers the run starts the local-mode Kafka (librdkafka's mock cluster, 3 brokers, 12 partitions,
// as the AppHost does without a container runtime) in this process.
var days = Argument("--days", 30.0);
var tripsPerDay = Argument("--trips-per-day", 100_000.0);
var rawCount = (long)Argument("--raw", 3_000_000.0);
var external = ArgumentText("--bootstrap-servers");
const int Partitions = 12;
const int Seed = 42;

await using var cluster = external is null ? MockKafkaCluster.Start(new MockKafkaClusterOptions { BrokerCount = 3 }) : null;
var bootstrap = external ?? cluster!.BootstrapServers;
var suffix = DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
var rawTopic = $"bench_raw_{suffix}";
var backfillTopic = $"bench_backfill_{suffix}";
cluster?.CreateTopic(rawTopic, Partitions);
cluster?.CreateTopic(backfillTopic, Partitions);

Console.WriteLine($"Kafka: {(cluster is null ? bootstrap : $"local mock cluster, 3 brokers, {Partitions} partitions per topic")}; {Environment.ProcessorCount} cores");

// 0. Generation alone: simulator, demand timeline and JSON encoding on one thread, no Kafka.
var generateOnly = Measure(() =>
{
    var slices = new BackfillSlices(Start(), Start().AddDays(days), tripsPerDay, DemandProfile.NewYork, Seed);
    long n = 0;
    foreach (var trip in slices.AllTrips())
    {
        n += TripJsonCodec.Encode(trip).Length > 0 ? 1 : 0;
    }

    return (n, 0);
});

// 1. Raw: the same sink and producer settings, fixed pre-serialised trips: what Kafka alone costs.
var raw = await Phase(rawTopic, async run =>
{
    var simulator = new TripSimulator(Seed);
    var now = new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Unspecified);
    var messages = Enumerable.Range(0, 1024).Select(_ => simulator.Next(now)).Select(t => (t.TripId!, TripJsonCodec.Encode(t))).ToArray();
    var sink = run.Sink;
    for (long i = 0; i < rawCount; i++)
    {
        var (key, value) = messages[i % messages.Length];
        await sink.PublishAsync(key, value, dirty: false, CancellationToken.None);
    }

    return (rawCount, sink.Flush(TimeSpan.FromMinutes(2)));
});

// 2. Backfill: what `simulate --backfill-days` runs (parallel slices, demand timeline, 1 % dirty, JSON, the same sink).
var backfill = await Phase(backfillTopic, async run =>
{
    var slices = new BackfillSlices(Start(), Start().AddDays(days), tripsPerDay, DemandProfile.NewYork, Seed);
    var runner = new ParallelBackfill(run.Sink, run.Host.Validation, run.Host.Zone, run.Host.Time);
    var summary = await runner.RunAsync(slices, 0.01, null, Environment.ProcessorCount, new NoProgress(), CancellationToken.None);
    return (summary.Trips, summary.Undelivered);
});

Console.WriteLine();
Console.WriteLine("| phase | messages | seconds | messages/s | peak working set | peak managed heap | undelivered |");
Console.WriteLine("|---|---|---|---|---|---|---|");
Row("generate + encode only (no Kafka)", generateOnly);
Row("raw produce (pre-serialised)", raw);
Row($"backfill {days} days × {tripsPerDay:N0} trips/day", backfill);
return backfill.Undelivered == 0 && raw.Undelivered == 0 ? 0 : 1;

async Task<PhaseResult> Phase(string topic, Func<(ProducerRunHost Host, KafkaTripSink Sink), Task<(long Count, int Undelivered)>> body)
{
    await using var run = await ProducerRunHost.StartAsync(
        new ProducerRunSettings(bootstrap, topic, Seed, DirtyRatio: 0.01) { Tracing = false, QuietConsole = true }, CancellationToken.None);
    var sink = run.Services.GetRequiredService<KafkaTripSink>();
    GC.Collect();
    using var memory = new PeakMemory();
    var started = System.Diagnostics.Stopwatch.StartNew();
    var (count, undelivered) = await body((run, sink));
    started.Stop();
    return new PhaseResult(count, started.Elapsed, memory.PeakWorkingSetBytes, memory.PeakManagedBytes, undelivered);
}

static DateTime Start() => new(2025, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

static PhaseResult Measure(Func<(long Count, int Undelivered)> body)
{
    GC.Collect();
    using var memory = new PeakMemory();
    var watch = System.Diagnostics.Stopwatch.StartNew();
    var (count, undelivered) = body();
    watch.Stop();
    return new PhaseResult(count, watch.Elapsed, memory.PeakWorkingSetBytes, memory.PeakManagedBytes, undelivered);
}

static void Row(string name, PhaseResult r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {name} | {r.Count:N0} | {r.Elapsed.TotalSeconds:F2} | {r.Count / r.Elapsed.TotalSeconds:N0} | {r.PeakWorkingSet / 1048576.0:N0} MiB | {r.PeakManaged / 1048576.0:N0} MiB | {r.Undelivered} |"));

double Argument(string name, double fallback) =>
    ArgumentText(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? ArgumentText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

internal sealed record PhaseResult(long Count, TimeSpan Elapsed, long PeakWorkingSet, long PeakManaged, int Undelivered);

internal sealed class NoProgress : IRunProgress
{
    public void Report(long trips, long dirty)
    {
    }
}
