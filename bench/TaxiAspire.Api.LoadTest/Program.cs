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
        await log.WriteLineAsync("api: starting (dotnet run -c Release)");
        api = await ApiProcess.StartAsync(connectionString, log, cts.Token);
        address = api.Address;
    }

    var day = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
    (string, string)[] requests =
    [
        ("GET /api/stats", "/api/stats"),
        ("GET /api/windows", "/api/windows"),
        ("GET /api/windows?vendor=1", "/api/windows?vendor=1"),
        ("GET /api/windows?vendor=2&from=<1 day ago>", $"/api/windows?vendor=2&from={day}"),
    ];

    using var streaming = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
    var streamer = new TripStreamer(dataSource, options.StreamRate);
    var stream = options.StreamRate > 0 ? streamer.RunAsync(streaming.Token) : Task.CompletedTask;
    await log.WriteLineAsync($"load: {options.Clients} clients, {options.Warmup.TotalSeconds:0} s warm-up, {options.Duration.TotalSeconds:0} s measured, {options.StreamRate} trips/s streaming");
    var run = Stopwatch.StartNew();
    var figures = await LoadRunner.RunAsync(address, options.Clients, options.Warmup, options.Duration, requests, cts.Token);
    await streaming.CancelAsync();
    await stream;

    await using var count = dataSource.CreateCommand("SELECT count(*) FROM trips");
    var stored = (long)(await count.ExecuteScalarAsync(cts.Token))!;
    var report = new LoadReport(
        stored,
        options.Clients,
        options.Duration.TotalSeconds,
        streamer.Written,
        Math.Round(streamer.Written / run.Elapsed.TotalSeconds, 1),
        Environment.ProcessorCount,
        [.. figures.Select(f => new EndpointReport(f.Endpoint, f.Requests, f.Errors, f.RequestsPerSecond, f.P50, f.P95, f.P99, f.Max))]);
    Console.WriteLine(JsonSerializer.Serialize(report, LoadReportJsonContext.Default.LoadReport));
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
