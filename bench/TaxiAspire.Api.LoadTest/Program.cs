using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaxiAspire.Api.LoadTest;
using TaxiAspire.Data.Schema;
using TaxiAspire.LocalInfrastructure.Postgres;

// Reproduces the README's API latency figures: seed taxidb, start the API, stream trips in, and measure GET windows
// and stats under N concurrent clients. Progress goes to stderr; the result is one JSON object on stdout.
var options = LoadTestOptions.Parse(args);
var log = Console.Error;
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

LocalPostgresServer? postgres = null;
ApiProcess? api = null;
try
{
    var connectionString = options.ConnectionString;
    if (connectionString is null)
    {
        // A data folder of its own keeps the seed between runs (seeding 5,000,000 trips takes minutes).
        postgres = LocalPostgresServer.Create(new LocalPostgresOptions
        {
            RootDirectory = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "taxiaspire-api-loadtest"),
            Fsync = false,
        });
        await postgres.StartAsync(cts.Token);
        await using (var admin = NpgsqlDataSource.Create(postgres.ConnectionString))
        await using (var exists = admin.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = 'taxidb'"))
        {
            if ((long)(await exists.ExecuteScalarAsync(cts.Token))! == 0)
            {
                await using var create = admin.CreateCommand("CREATE DATABASE taxidb");
                await create.ExecuteNonQueryAsync(cts.Token);
            }
        }

        connectionString = postgres.GetConnectionString("taxidb");
    }

    var migration = DatabaseMigrator.Migrate(connectionString, NullLoggerFactory.Instance);
    if (!migration.Successful)
    {
        throw new InvalidOperationException("Migrating taxidb failed.", migration.Error);
    }

    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    await TripSeeder.SeedAsync(dataSource, options.Trips, log, cts.Token);

    Uri address;
    if (options.Api is { } given)
    {
        address = given;
    }
    else
    {
        await log.WriteLineAsync("api: building (Release) and starting");
        api = await ApiProcess.StartAsync(connectionString, log, cts.Token);
        address = api.Address;
    }

    // The dashboard's and pollers' queries: stats, the newest windows (all, one vendor), the last day of a vendor, and a
    // six-hour range of history that differs between clients (50 distinct vendor/day ranges within the seeded month).
    var now = DateTimeOffset.UtcNow;
    static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
    var day = Instant(now.AddDays(-1));
    var midnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
    (string, Func<int, string>)[] requests =
    [
        ("GET /api/stats", _ => "/api/stats"),
        ("GET /api/windows", _ => "/api/windows"),
        ("GET /api/windows?vendor=1", _ => "/api/windows?vendor=1"),
        ("GET /api/windows?vendor=2&from=<1 day ago>", _ => $"/api/windows?vendor=2&from={day}"),
        ("GET /api/windows?vendor=<1|2>&from=<d days ago 08:00>&to=<14:00> (50 ranges)", client =>
            $"/api/windows?vendor={1 + (client % 2)}&from={Instant(midnight.AddDays(-2 - (client / 2 % 25)).AddHours(8))}&to={Instant(midnight.AddDays(-2 - (client / 2 % 25)).AddHours(14))}"),
    ];

    using var streaming = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
    var streamer = new TripStreamer(dataSource, options.StreamRate);
    var stream = options.StreamRate > 0 ? streamer.RunAsync(streaming.Token) : Task.CompletedTask;
    var model = options.ThinkTime > TimeSpan.Zero
        ? $"closed loop with think time: each client waits 0.5-1.5 x {options.ThinkTime.TotalMilliseconds:0} ms after an answer"
        : "closed loop, zero think time (saturation)";
    await log.WriteLineAsync($"load: {options.Clients} clients, {model}, {options.Warmup.TotalSeconds:0} s warm-up, {options.Duration.TotalSeconds:0} s measured, {options.StreamRate} trips/s streaming");
    var run = Stopwatch.StartNew();
    // CPU is sampled when measuring starts and again when the last client is done, over the same real interval.
    var measuring = Task.Delay(options.Warmup, cts.Token).ContinueWith(
        _ => CpuSample.Take(api), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    var figures = await LoadRunner.RunAsync(address, options.Clients, options.ThinkTime, options.Warmup, options.Duration, requests, cts.Token);
    var before = await measuring;
    var after = CpuSample.Take(api);
    await streaming.CancelAsync();
    await stream;

    await using var count = dataSource.CreateCommand("SELECT count(*) FROM trips");
    var stored = (long)(await count.ExecuteScalarAsync(cts.Token))!;
    var seconds = options.Duration.TotalSeconds;
    var report = new LoadReport(
        stored,
        options.Clients,
        model,
        options.ThinkTime.TotalMilliseconds,
        seconds,
        figures.RequestsPerSecond,
        streamer.Written,
        Math.Round(streamer.Written / run.Elapsed.TotalSeconds, 1),
        Environment.ProcessorCount,
        before.Machine.LoadAverage,
        after.Machine.LoadAverage,
        after.CoresSince(before),
        [.. figures.Endpoints.Select(f => new EndpointReport(f.Endpoint, f.Requests, f.Errors, f.RequestsPerSecond, f.P50, f.P95, f.P99, f.Max))]);
    // Relaxed escaping keeps the endpoint names ('&', '<') readable in the printed report.
    var json = new JsonSerializerOptions(LoadReportJsonContext.Default.Options)
    {
        TypeInfoResolver = LoadReportJsonContext.Default,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    Console.WriteLine(JsonSerializer.Serialize(report, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<LoadReport>)json.GetTypeInfo(typeof(LoadReport))));
    return 0;
}
finally
{
    if (api is not null)
    {
        await api.DisposeAsync();
    }

    if (postgres is not null)
    {
        await postgres.StopAsync();
        await postgres.DisposeAsync();
    }
}

/// <summary>CPU time used so far by the load generator, the API (when it is our child) and the whole machine.</summary>
internal sealed record CpuSample(long Timestamp, TimeSpan LoadGenerator, TimeSpan? Api, MachineLoad Machine)
{
    public static CpuSample Take(ApiProcess? api)
    {
        using var self = Process.GetCurrentProcess();
        return new(Stopwatch.GetTimestamp(), self.TotalProcessorTime, api?.CpuTime, MachineLoad.Read());
    }

    public CpuReport CoresSince(CpuSample earlier)
    {
        var seconds = Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp).TotalSeconds;
        return new CpuReport(
            Math.Round((LoadGenerator - earlier.LoadGenerator).TotalSeconds / seconds, 2),
            Api - earlier.Api is { } api ? Math.Round(api.TotalSeconds / seconds, 2) : null,
            Machine.BusyCoresSince(earlier.Machine));
    }
}
