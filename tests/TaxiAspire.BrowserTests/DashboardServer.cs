extern alias processor;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using processor::TaxiAspire.StreamProcessor.Building;
using processor::TaxiAspire.StreamProcessor.Storage;
using TaxiAspire.Data.Schema;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.BrowserTests;

/// <summary>
/// The real API on Kestrel (a browser needs a socket) over a real, migrated and seeded taxidb. Trips are written with
/// the processor's own batch writer, so trips, windows, rejects and offsets are exactly what the pipeline stores.
/// </summary>
public sealed class DashboardServer(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Group = "taxi-processor";

    /// <summary>As many partitions as a scaled-out topic has, so the lag chart shows a realistic number of rows.</summary>
    public const int Partitions = 12;

    /// <summary>Every reason code the processor stores, so the rejects chart shows all of them.</summary>
    public static readonly IReadOnlyList<string> ReasonCodes = [.. Enum.GetValues<RejectReason>().Select(r => r.ToCode())];
    private readonly HoppingWindows _windows = HoppingWindows.Default;
    private WebApplicationFactory<Program>? _factory;
    private long _nextOffset;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("browser");
        var migration = DatabaseMigrator.Migrate(connectionString, NullLoggerFactory.Instance);
        if (!migration.Successful)
        {
            throw new InvalidOperationException("Migrating the test database failed.", migration.Error);
        }

        DataSource = NpgsqlDataSource.Create(connectionString);
        await WriteTripsAsync(300, rejects: 12);

        _factory = new KestrelFactory(connectionString);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Stores <paramref name="count"/> new trips picked up now (some scored, some far off), as a batch.</summary>
    public async Task WriteTripsAsync(int count, int rejects = 0)
    {
        var now = DateTimeOffset.UtcNow;
        var first = _nextOffset;
        var trips = new List<StoredTrip>(count);
        for (var i = 0; i < count; i++)
        {
            var n = first + i;
            var pickup = now.AddSeconds(-(count - i) * 20);
            var fare = 6m + (n % 37);
            var trip = new TripEvent
            {
                TripId = $"browser-{n}",
                VendorId = 1 + (int)(n % 2),
                PickupDateTime = pickup.UtcDateTime,
                PassengerCount = 1,
                TripDistance = 0.5 + (n % 9),
                PaymentType = 1,
                FareAmount = fare,
                TipAmount = (n % 2 == 0 ? 0.15m : 0.22m) * fare,
            };
            trips.Add(new StoredTrip(trip.TripId, trip, pickup, null, trip.FareAmount + trip.TipAmount,
                new KafkaSource("taxi_trips", (int)(n % Partitions), n, 0, pickup)));
        }

        var rejected = Enumerable.Range(0, rejects)
            .Select(i => new RejectedMessage(new KafkaSource("taxi_trips", 0, 1_000_000 + first + i, 0, now), ReasonCodes[(int)((first + i) % ReasonCodes.Count)], "seeded", "{}"u8.ToArray()))
            .ToList();
        _nextOffset += count + rejects;
        var writer = new TripBatchWriter(DataSource, _windows);
        await writer.WriteAsync(
            new TripBatch(Group, trips, rejected, [.. Enumerable.Range(0, Partitions).Select(p => new PartitionProgress("taxi_trips", p, (_nextOffset * (p + 1)) + 1_000_000, 0))]),
            CancellationToken.None);
        await ScoreAsync();
    }

    // Scoring is the processor's (with the champion model); the test stands in for it on the same columns
    // (migration 0010), so the page's model views are exercised on a real database.
    private async Task ScoreAsync()
    {
        await using var command = DataSource.CreateCommand("""
            UPDATE trips SET prediction = round(fare_amount * (0.9 + (ingest_seq % 5) * 0.05), 2),
                             model_version = '3', is_fare_anomaly = (ingest_seq % 40 = 0)
            WHERE prediction IS NULL
            """);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
    }

    private sealed class KestrelFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Production, as the AppHost runs the API (it has no launch profile): the page must work there, where
            // a missing asset is a 500 and no developer page helps.
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:taxidb", connectionString);
            builder.UseSetting("Admin:ApiKey", "browser-test-admin-key-0123456789");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
