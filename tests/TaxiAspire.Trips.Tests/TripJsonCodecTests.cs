using System.Text;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Trips.Tests;

public class TripJsonCodecTests
{
    // Exactly what the original notebook produced: no trip_id, no dropoff time.
    private const string NotebookMessage = """
        {"vendor_id": 2, "pickup_datetime": "2026-11-25 10:15:00", "passenger_count": 1, "trip_distance": 2.5,
         "pickup_longitude": -73.98, "pickup_latitude": 40.75, "dropoff_longitude": -73.96, "dropoff_latitude": 40.77,
         "payment_type": 1, "fare_amount": 12.5, "tip_amount": 2.0}
        """;

    [Fact]
    public void Decodes_the_notebook_format()
    {
        var result = TripJsonCodec.Decode(Encoding.UTF8.GetBytes(NotebookMessage));

        Assert.True(result.IsSuccess, result.Rejection?.Detail);
        var trip = result.Trip!;
        Assert.Null(trip.TripId);
        Assert.Equal(2, trip.VendorId);
        Assert.Equal(new DateTime(2026, 11, 25, 10, 15, 0), trip.PickupDateTime);
        Assert.Equal(1, trip.PassengerCount);
        Assert.Equal(2.5, trip.TripDistance);
        Assert.Equal(-73.98, trip.PickupLongitude);
        Assert.Equal(12.5m, trip.FareAmount);
        Assert.Equal(2.0m, trip.TipAmount);
        Assert.Null(trip.DropoffDateTime);
    }

    [Fact]
    public void Round_trips_every_field()
    {
        var trip = new TripEvent
        {
            TripId = "t-1",
            VendorId = 1,
            PickupDateTime = new DateTime(2026, 1, 2, 3, 4, 5),
            DropoffDateTime = new DateTime(2026, 1, 2, 3, 24, 5),
            PassengerCount = 3,
            TripDistance = 4.25,
            PickupLongitude = -73.9857,
            PickupLatitude = 40.7549,
            DropoffLongitude = -73.7781,
            DropoffLatitude = 40.6413,
            PaymentType = 2,
            RateCodeId = 2,
            FareAmount = 70.00m,
            TipAmount = 0m,
        };

        var decoded = TripJsonCodec.Decode(TripJsonCodec.Encode(trip));

        Assert.True(decoded.IsSuccess);
        Assert.Equal(trip, decoded.Trip);
    }

    [Theory]
    [InlineData("not json", RejectReason.MalformedJson)]
    [InlineData("[1,2]", RejectReason.MalformedJson)]
    [InlineData("""{"vendor_id": 1""", RejectReason.MalformedJson)]
    [InlineData("""{"vendor_id": 1, "pickup_datetime": "2026-11-25 10:15:00"}""", RejectReason.MissingField)]
    [InlineData("""{"vendor_id": "one", "pickup_datetime": "2026-11-25 10:15:00", "passenger_count": 1, "trip_distance": 1, "payment_type": 1, "fare_amount": 5, "tip_amount": 0}""", RejectReason.InvalidFieldType)]
    [InlineData("""{"vendor_id": 1, "pickup_datetime": "2026-11-25T10:15:00Z", "passenger_count": 1, "trip_distance": 1, "payment_type": 1, "fare_amount": 5, "tip_amount": 0}""", RejectReason.InvalidFieldType)]
    [InlineData("""{"vendor_id": 1, "pickup_datetime": "2026-02-30 10:15:00", "passenger_count": 1, "trip_distance": 1, "payment_type": 1, "fare_amount": 5, "tip_amount": 0}""", RejectReason.InvalidFieldType)]
    public void Names_the_defect(string json, RejectReason expected)
    {
        var result = TripJsonCodec.Decode(Encoding.UTF8.GetBytes(json));

        Assert.False(result.IsSuccess);
        Assert.Equal(expected, result.Rejection!.Reason);
    }

    [Fact]
    public void Rejects_oversized_messages_before_parsing()
    {
        var huge = new byte[TripJsonCodec.MaxMessageBytes + 1];

        var result = TripJsonCodec.Decode(huge);

        Assert.Equal(RejectReason.OversizedMessage, result.Rejection!.Reason);
    }

    [Fact]
    public void Ignores_unknown_fields_of_any_shape()
    {
        var json = NotebookMessage.Replace("\"payment_type\"", "\"extra\": {\"a\": [1, 2, {\"b\": null}]}, \"payment_type\"", StringComparison.Ordinal);

        Assert.True(TripJsonCodec.Decode(Encoding.UTF8.GetBytes(json)).IsSuccess);
    }

    [Fact]
    public void Accepts_whole_numbers_written_as_floats()
    {
        var json = NotebookMessage.Replace("\"vendor_id\": 2", "\"vendor_id\": 2.0", StringComparison.Ordinal);

        Assert.Equal(2, TripJsonCodec.Decode(Encoding.UTF8.GetBytes(json)).Trip!.VendorId);
    }
}
