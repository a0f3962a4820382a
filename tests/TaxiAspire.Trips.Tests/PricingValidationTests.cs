using System.Text;
using Microsoft.Extensions.Time.Testing;
using TaxiAspire.Trips.Features;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Trips.Tests;

/// <summary>A trip sent to be priced (the API's predict): the stream's contract and rules, with the price left out.</summary>
public class PricingValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);

    private const string ThreeMiles = """
        {"vendor_id": 2, "pickup_datetime": "2026-11-25 14:00:00", "dropoff_datetime": "2026-11-25 14:15:00",
         "passenger_count": 1, "trip_distance": 3.0, "pickup_longitude": -73.98, "pickup_latitude": 40.75,
         "payment_type": 1, "rate_code_id": 1
        """;

    private readonly TripValidator _validator = new(new TripValidationOptions(), new FakeTimeProvider(Now));

    [Fact]
    public void A_trip_without_fare_and_tip_is_accepted_and_becomes_the_model_input_a_topic_trip_would()
    {
        var decoded = _validator.DecodeAndValidateForPricing(Body(ThreeMiles + "}"));

        Assert.True(decoded.IsSuccess, decoded.Rejection?.Detail);
        var trip = decoded.Trip;
        Assert.Equal((0m, 0m), (trip.FareAmount, trip.TipAmount));
        Assert.Equal(DateTimeKind.Unspecified, trip.PickupDateTime.Kind); // wall-clock time, as on the topic
        var input = FareModelInput.From(trip);
        Assert.Equal((900f, 300f, 1f), (input.TripSeconds, input.SecondsPerMile, input.RateCode));
    }

    [Fact]
    public void The_stream_still_requires_the_price() =>
        Assert.Equal(RejectReason.MissingField, _validator.DecodeAndValidate(Body(ThreeMiles + "}")).Rejection?.Reason);

    [Theory]
    [InlineData(""", "fare_amount": 12.5}""", "tip_amount")]
    [InlineData(""", "tip_amount": 2}""", "fare_amount")]
    public void Fare_without_tip_or_tip_without_fare_is_a_missing_field(string price, string missing)
    {
        var rejection = _validator.DecodeAndValidateForPricing(Body(ThreeMiles + price)).Rejection;

        Assert.Equal(RejectReason.MissingField, rejection?.Reason);
        Assert.Contains(missing, rejection!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(""", "fare_amount": -3, "tip_amount": 0}""", RejectReason.NegativeFare)]
    [InlineData(""", "fare_amount": 0, "tip_amount": 0}""", RejectReason.NonPositiveTotal)]
    public void A_price_that_is_sent_is_checked_as_the_stream_checks_it(string price, RejectReason reason) =>
        Assert.Equal(reason, _validator.DecodeAndValidateForPricing(Body(ThreeMiles + price)).Rejection?.Reason);

    private static byte[] Body(string json) => Encoding.UTF8.GetBytes(json);
}
