using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Storage;
using TaxiAspire.IntegrationTests.Data;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.ModelRegistry.Local;
using TaxiAspire.Scoring;
using TaxiAspire.Trainer.Training;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Features;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.IntegrationTests.Training;

/// <summary>Champion loading with hot reload, batch scoring, and what PostgreSQL stores: predictions, versions, anomalies, window errors.</summary>
public sealed class ScoringIntegrationTests(PostgresFixture postgres) : IDisposable
{
    private const string Model = "TaxiFarePrediction";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "taxiaspire-scoring-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Trips_are_stored_with_prediction_version_and_anomaly_flag_and_windows_sum_the_error()
    {
        var registry = new LocalFolderModelRegistry(_root, TimeProvider.System);
        var (holder, loader) = Loader(registry);
        await loader.RefreshAsync(Model, Ct);
        Assert.Null(holder.Current); // no champion yet: trips flow unscored

        await TrainingSamples.TrainAndPromoteAsync(registry, iterations: 40);
        await loader.RefreshAsync(Model, Ct);
        Assert.Equal("1", holder.Current!.Version);

        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var unscored = new List<StoredTrip> { Trip("normal", 0, fare: 9.0m, miles: 2.0), Trip("absurd", 1, fare: 140m, miles: 1.0) };
        var scores = new TripScorer(holder, Options.Create(new AnomalyOptions())).Score(
            holder.Current!, [.. unscored.Select(t => t.Trip)], [.. unscored.Select(t => FareModelInput.From(t.Trip))]);
        var trips = unscored.Select((trip, i) => trip with { Score = scores[i] }).ToList();
        await new TripBatchWriter(db.DataSource, HoppingWindows.Default).WriteAsync(
            new TripBatch("g", trips, [], [new PartitionProgress("taxi_trips", 0, 2, 0)]), Ct);

        Assert.Equal("1", await db.ScalarAsync<string>("SELECT model_version FROM trips WHERE trip_id = 'normal'"));
        Assert.False(await db.ScalarAsync<bool>("SELECT is_fare_anomaly FROM trips WHERE trip_id = 'normal'"));
        Assert.True(await db.ScalarAsync<bool>("SELECT is_fare_anomaly FROM trips WHERE trip_id = 'absurd'"));
        var prediction = await db.ScalarAsync<decimal>("SELECT prediction FROM trips WHERE trip_id = 'normal'");
        Assert.InRange(prediction, 6m, 13m);
        Assert.Equal(0m, prediction % 0.5m);
        var expectedError = trips.Sum(t => Math.Abs(t.Trip.FareAmount - t.Score!.Prediction));
        // Each trip lies in two hopping windows; every window of a vendor sums its scored trips.
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT sum(scored_count)::bigint FROM trip_windows"));
        Assert.Equal(2 * expectedError, await db.ScalarAsync<decimal>("SELECT sum(abs_error_sum) FROM trip_windows"));
    }

    [Fact]
    public async Task A_moved_champion_is_picked_up_without_restarting()
    {
        var registry = new LocalFolderModelRegistry(_root, TimeProvider.System);
        var (holder, loader) = Loader(registry);
        await TrainingSamples.TrainAndPromoteAsync(registry, iterations: 5);
        await loader.RefreshAsync(Model, Ct);
        var first = holder.Current;

        await TrainingSamples.TrainAndPromoteAsync(registry, iterations: 40);
        await loader.RefreshAsync(Model, Ct);

        Assert.Equal(("1", "2"), (first!.Version, holder.Current!.Version));
        Assert.NotSame(first.Model, holder.Current.Model);
    }

    [Fact]
    public async Task The_trainer_reads_trips_back_from_taxidb_in_time_order()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var trips = Enumerable.Range(0, 30).Select(i => Trip($"t{i}", i, fare: 5m + i, miles: 1 + (i * 0.5), minute: 30 - i)).ToList();
        await new TripBatchWriter(db.DataSource, HoppingWindows.Default).WriteAsync(
            new TripBatch("g", trips, [], [new PartitionProgress("taxi_trips", 0, 30, 0)]), Ct);

        var store = new TrainingDataStore(db.DataSource);
        var rows = await store.LoadAsync(10, Ct);

        Assert.Equal(30, await store.CountAsync(Ct));
        Assert.Equal(10, rows.Count);
        // The 10 newest pickups are the 10 first trips (minute 30 - i), oldest of them first.
        Assert.Equal([.. Enumerable.Range(0, 10).Reverse().Select(i => 5f + i)], rows.Select(r => r.FareAmount));
        Assert.All(rows, r => Assert.Equal(600f, r.TripSeconds));
        var (mae, scored) = await store.LiveErrorAsync(TimeSpan.FromHours(1), Ct);
        Assert.Equal((null, 0L), (mae, scored));
    }

    private static (ChampionHolder, ChampionModelLoader) Loader(LocalFolderModelRegistry registry)
    {
        var holder = new ChampionHolder();
        return (holder, new ChampionModelLoader(registry, holder, Options.Create(new ScoringOptions()), TimeProvider.System, NullLogger<ChampionModelLoader>.Instance));
    }

    private static StoredTrip Trip(string id, long offset, decimal fare, double miles, int minute = 0)
    {
        var pickup = new DateTime(2026, 11, 25, 10, 0, 0).AddMinutes(minute);
        var trip = new TripEvent
        {
            TripId = id,
            VendorId = 1,
            PickupDateTime = pickup,
            DropoffDateTime = pickup.AddMinutes(10),
            PassengerCount = 1,
            TripDistance = miles,
            PaymentType = 1,
            RateCodeId = 1,
            FareAmount = fare,
            TipAmount = 0m,
        };
        var pickupUtc = new DateTimeOffset(pickup, TimeSpan.Zero);
        return new StoredTrip(id, trip, pickupUtc, pickupUtc.AddMinutes(10), fare,
            new KafkaSource("taxi_trips", 0, offset, 0, pickupUtc));
    }
}
