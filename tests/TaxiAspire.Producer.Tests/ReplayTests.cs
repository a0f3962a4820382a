using Microsoft.Extensions.Time.Testing;
using Parquet;
using Parquet.Schema;
using TaxiAspire.Producer.Replay;
using TaxiAspire.Producer.Simulation;

namespace TaxiAspire.Producer.Tests;

public sealed class ReplayTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("taxiaspire-replay-").FullName;

    [Fact]
    public async Task Csv_rows_map_vendor_payment_rate_and_duration_into_the_contract()
    {
        var path = Path.Combine(_folder, "sample.csv");
        await File.WriteAllLinesAsync(path,
        [
            "vendor_id,rate_code,passenger_count,trip_time_in_secs,trip_distance,payment_type,fare_amount",
            "VTS,1,1,1140,3.75,CRD,15.5",
            "CMT,2,2,2400,17.2,CSH,52",
            "CMT,1,1,60,0.3,NOC,3.5",
            "VTS,5,3,0,0,DIS,0",
        ], TestContext.Current.CancellationToken);

        var rows = await TaxiFareCsvReader.ReadAsync(path, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        var timeline = new ReplayTimeline("sample", shiftToNow: false, LiveClock(), ReplayTimeline.DefaultStart);
        var trips = rows.Select(timeline.ToTrip).ToList();

        Assert.Equal([2, 1, 1, 2], trips.Select(t => t.VendorId));
        Assert.Equal([1, 2, 3, 4], trips.Select(t => t.PaymentType));
        Assert.Equal([1, 2, 1, 5], trips.Select(t => t.RateCodeId!.Value));
        Assert.Equal([15.5m, 52m, 3.5m, 0m], trips.Select(t => t.FareAmount));
        Assert.Equal([3.75, 17.2, 0.3, 0], trips.Select(t => t.TripDistance));
        Assert.Equal([1140.0, 2400, 60, 0], trips.Select(t => (t.DropoffDateTime!.Value - t.PickupDateTime).TotalSeconds));
        Assert.Equal(["sample-1", "sample-2", "sample-3", "sample-4"], trips.Select(t => t.TripId!));
        Assert.Equal(ReplayTimeline.DefaultStart.AddSeconds(1), trips[1].PickupDateTime);
        Assert.All(trips, t => Assert.Null(t.PickupLongitude));
        Assert.All(trips, t => Assert.Equal(0m, t.TipAmount));
    }

    [Fact]
    public async Task Csv_without_the_expected_columns_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(_folder, "other.csv");
        await File.WriteAllLinesAsync(path, ["a,b", "1,2"], TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            await TaxiFareCsvReader.ReadAsync(path, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Contains("vendor_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tlc_parquet_is_read_with_its_own_timestamps_and_shifted_to_now_on_request()
    {
        var path = Path.Combine(_folder, "yellow_tripdata_2024-01.parquet");
        var pickups = new DateTime?[] { new DateTime(2024, 1, 1, 0, 57, 55), new DateTime(2024, 1, 1, 0, 3, 0), new DateTime(2024, 1, 1, 0, 17, 6) };
        var dropoffs = pickups.Select(p => p?.AddMinutes(12)).ToArray();
        await WriteTlcParquetAsync(path, pickups, dropoffs);

        var rows = await TlcParquetReader.ReadAsync(path, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, rows.Count);
        var trips = rows.Select(new ReplayTimeline("yellow", shiftToNow: false, LiveClock(), ReplayTimeline.DefaultStart).ToTrip).ToList();
        Assert.Equal(pickups.Select(p => p!.Value), trips.Select(t => t.PickupDateTime));
        Assert.Equal(dropoffs.Select(p => p!.Value), trips.Select(t => t.DropoffDateTime!.Value));
        Assert.Equal([2, 1, 2], trips.Select(t => t.VendorId));
        Assert.Equal([1, 0, 2], trips.Select(t => t.PassengerCount));
        Assert.Equal([1.72, 1.8, 4.7], trips.Select(t => t.TripDistance));
        Assert.Equal([1, 2, 1], trips.Select(t => t.PaymentType));
        Assert.Equal([17.7m, 10m, 23.3m], trips.Select(t => t.FareAmount));
        Assert.Equal([3.5m, 0m, 5.66m], trips.Select(t => Math.Round(t.TipAmount, 2)));
        Assert.Equal([1, 1, 99], trips.Select(t => t.RateCodeId));

        var now = LiveClock().Now();
        var shifted = rows.Select(new ReplayTimeline("yellow", shiftToNow: true, LiveClock(), ReplayTimeline.DefaultStart).ToTrip).ToList();
        Assert.Equal(now, shifted[0].PickupDateTime);
        Assert.Equal(pickups[2]!.Value - pickups[0]!.Value, shifted[2].PickupDateTime - shifted[0].PickupDateTime);
    }

    private static LiveEventClock LiveClock() =>
        new(new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 16, 0, 0, TimeSpan.Zero)), TestTrips.Clock, 1);

    /// <summary>The TLC 2024 yellow-taxi schema's types: int32 vendor, int64 passengers (nullable), double amounts.</summary>
    private static async Task WriteTlcParquetAsync(string path, DateTime?[] pickups, DateTime?[] dropoffs)
    {
        var vendor = new DataField<int?>("VendorID");
        var pickup = new DataField<DateTime?>("tpep_pickup_datetime");
        var dropoff = new DataField<DateTime?>("tpep_dropoff_datetime");
        var passengers = new DataField<long?>("passenger_count");
        var distance = new DataField<double?>("trip_distance");
        var rateCode = new DataField<long?>("RatecodeID");
        var puLocation = new DataField<int?>("PULocationID");
        var doLocation = new DataField<int?>("DOLocationID");
        var payment = new DataField<long?>("payment_type");
        var fare = new DataField<double?>("fare_amount");
        var tip = new DataField<double?>("tip_amount");
        var schema = new ParquetSchema(vendor, pickup, dropoff, passengers, distance, rateCode, puLocation, doLocation, payment, fare, tip);

        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: TestContext.Current.CancellationToken);
        using var group = writer.CreateRowGroup();
        var ct = TestContext.Current.CancellationToken;
        await group.WriteAsync<int>(vendor, new int?[] { 2, 1, 2 }, null, null, ct);
        await group.WriteAsync<DateTime>(pickup, pickups, null, null, ct);
        await group.WriteAsync<DateTime>(dropoff, dropoffs, null, null, ct);
        await group.WriteAsync<long>(passengers, new long?[] { 1, null, 2 }, null, null, ct);
        await group.WriteAsync<double>(distance, new double?[] { 1.72, 1.8, 4.7 }, null, null, ct);
        await group.WriteAsync<long>(rateCode, new long?[] { 1, 1, 99 }, null, null, ct);
        await group.WriteAsync<int>(puLocation, new int?[] { 186, 140, 236 }, null, null, ct);
        await group.WriteAsync<int>(doLocation, new int?[] { 79, 236, 79 }, null, null, ct);
        await group.WriteAsync<long>(payment, new long?[] { 1, 2, 1 }, null, null, ct);
        await group.WriteAsync<double>(fare, new double?[] { 17.7, 10.0, 23.3 }, null, null, ct);
        await group.WriteAsync<double>(tip, new double?[] { 3.5, 0, 5.66 }, null, null, ct);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
