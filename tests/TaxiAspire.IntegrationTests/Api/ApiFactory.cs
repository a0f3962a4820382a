extern alias api;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Storage;
using TaxiAspire.IntegrationTests.Data;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.IntegrationTests.Api;

/// <summary>The API in memory over a fresh, migrated taxidb on the real PostgreSQL server of the run.</summary>
public sealed class ApiFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<api::Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting, not ConfigureAppConfiguration: Program reads these while building the host.
        builder.UseSetting("ConnectionStrings:taxidb", connectionString);
        builder.UseSetting("Admin:ApiKey", AdminKey);
        builder.UseSetting("Dashboard:RefreshInterval", "00:00:00.200");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>A migrated database holding trips written by the processor's own batch writer, and the API over it.</summary>
internal sealed class SeededApi : IAsyncDisposable
{
    public const string Group = "taxi-processor";
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private SeededApi(TaxiDatabase database, ApiFactory factory)
    {
        Database = database;
        Factory = factory;
    }

    public TaxiDatabase Database { get; }

    public ApiFactory Factory { get; }

    public static async Task<SeededApi> CreateAsync(PostgresFixture postgres, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TaxiDatabase.CreateAsync(postgres);
        return new SeededApi(database, new ApiFactory(database.ConnectionString, settings));
    }

    /// <summary>Trips <c>first..first+count-1</c>: vendor 1 for even, 2 for odd numbers, one minute apart from <see cref="Start"/>.</summary>
    public async Task WriteTripsAsync(int first, int count, IReadOnlyList<RejectedMessage>? rejects = null)
    {
        var writer = new TripBatchWriter(Database.DataSource, HoppingWindows.Default);
        var trips = Enumerable.Range(first, count).Select(Trip).ToList();
        await writer.WriteAsync(
            new TripBatch(Group, trips, rejects ?? [], [new PartitionProgress("taxi_trips", 0, first + count, 0)]),
            TestContext.Current.CancellationToken);
    }

    public static StoredTrip Trip(int n)
    {
        var pickup = Start.AddMinutes(n);
        var trip = new TripEvent
        {
            TripId = $"trip-{n:D5}",
            VendorId = 1 + (n % 2),
            PickupDateTime = pickup.UtcDateTime,
            PassengerCount = 1,
            TripDistance = 2,
            PaymentType = 1,
            FareAmount = 10m + (n % 2),
            TipAmount = 2m * (1 + (n % 2)),
        };
        return new StoredTrip(trip.TripId, trip, pickup, null, trip.FareAmount + trip.TipAmount,
            new KafkaSource("taxi_trips", 0, n, 0, pickup));
    }

    public static RejectedMessage Reject(long offset, string reason) =>
        new(new KafkaSource("taxi_trips", 0, offset, 0, Start), reason, $"{reason} detail", "{\"vendor_id\": \"x\"}"u8.ToArray());

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
