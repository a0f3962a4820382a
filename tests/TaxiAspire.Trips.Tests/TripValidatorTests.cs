using Microsoft.Extensions.Time.Testing;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Trips.Tests;

public class TripValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero); // 10:00 in New York

    private static readonly TripEvent Valid = new()
    {
        VendorId = 1,
        PickupDateTime = new DateTime(2026, 11, 25, 9, 30, 0),
        DropoffDateTime = new DateTime(2026, 11, 25, 9, 45, 0),
        PassengerCount = 1,
        TripDistance = 2.1,
        PickupLongitude = -73.98,
        PickupLatitude = 40.75,
        DropoffLongitude = -73.96,
        DropoffLatitude = 40.77,
        PaymentType = 1,
        FareAmount = 11.2m,
        TipAmount = 2m,
    };

    private readonly TripValidator _validator = new(new TripValidationOptions(), new FakeTimeProvider(Now));

    [Fact]
    public void Accepts_a_valid_trip() => Assert.Null(_validator.Validate(Valid));

    [Fact]
    public void Accepts_a_trip_without_coordinates() =>
        Assert.Null(_validator.Validate(Valid with { PickupLongitude = null, PickupLatitude = null, DropoffLongitude = null, DropoffLatitude = null }));

    [Fact]
    public void Accepts_hours_of_clock_skew_ahead() =>
        Assert.Null(_validator.Validate(Valid with { PickupDateTime = new DateTime(2026, 11, 25, 18, 0, 0), DropoffDateTime = null }));

    public static TheoryData<TripEvent, RejectReason> Defects => new()
    {
        { Valid with { VendorId = 7 }, RejectReason.InvalidVendor },
        { Valid with { FareAmount = -1m }, RejectReason.NegativeFare },
        { Valid with { FareAmount = 0m, TipAmount = 0m }, RejectReason.NonPositiveTotal },
        { Valid with { PickupLongitude = -70.0 }, RejectReason.OutsideNyc },
        { Valid with { DropoffLatitude = 0, DropoffLongitude = 0 }, RejectReason.OutsideNyc },
        { Valid with { PickupLatitude = null }, RejectReason.OutsideNyc },
        { Valid with { PassengerCount = 0 }, RejectReason.InvalidPassengerCount },
        { Valid with { PassengerCount = 42 }, RejectReason.InvalidPassengerCount },
        { Valid with { TripDistance = -3 }, RejectReason.InvalidDistance },
        { Valid with { DropoffDateTime = new DateTime(2026, 11, 25, 9, 0, 0) }, RejectReason.DropoffBeforePickup },
        { Valid with { PickupDateTime = new DateTime(2026, 11, 28, 9, 0, 0), DropoffDateTime = null }, RejectReason.PickupInFuture },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void Rejects_each_defect_with_its_reason(TripEvent trip, RejectReason expected) =>
        Assert.Equal(expected, _validator.Validate(trip)?.Reason);

    [Fact]
    public void Reads_timestamps_in_new_york_time()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 30, 0, TimeSpan.Zero), _validator.Clock.ToUtc(new DateTime(2026, 11, 25, 9, 30, 0)));
        Assert.Equal(new DateTimeOffset(2026, 7, 4, 13, 30, 0, TimeSpan.Zero), _validator.Clock.ToUtc(new DateTime(2026, 7, 4, 9, 30, 0)));
    }

    [Fact]
    public void Every_reason_has_a_distinct_code()
    {
        var codes = Enum.GetValues<RejectReason>().Select(r => r.ToCode()).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
    }
}
