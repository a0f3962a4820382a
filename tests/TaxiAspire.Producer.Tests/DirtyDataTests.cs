using TaxiAspire.Producer.DirtyData;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Producer.Tests;

/// <summary>The producer's defects and the processor's validator agree: one definition of invalid.</summary>
public sealed class DirtyDataTests
{
    private static readonly IReadOnlyList<TripEvent> Clean = TestTrips.Week(300, seed: 11);

    public static TheoryData<RejectReason> Reasons() => new(TripDefects.Reasons);

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Validator_rejects_every_form_of_each_defect_with_its_reason(RejectReason reason)
    {
        var validator = TestTrips.Validator();
        for (var variant = 0; variant < TripDefects.VariantCount(reason); variant++)
        {
            foreach (var trip in Clean)
            {
                var bytes = TripDefects.Create(reason, trip, TestTrips.NowWallClock, TestTrips.Options, variant);
                var result = validator.DecodeAndValidate(bytes);
                Assert.False(result.IsSuccess, $"{reason} variant {variant} passed: {System.Text.Encoding.UTF8.GetString(bytes)}");
                Assert.Equal(reason, result.Rejection.Reason);
            }
        }
    }

    [Fact]
    public void Defects_also_apply_to_replayed_trips_without_coordinates()
    {
        var validator = TestTrips.Validator();
        var replayed = Clean[0] with { PickupLongitude = null, PickupLatitude = null, DropoffLongitude = null, DropoffLatitude = null, DropoffDateTime = null };
        Assert.Null(validator.Validate(replayed));
        foreach (var reason in TripDefects.Reasons)
        {
            for (var variant = 0; variant < TripDefects.VariantCount(reason); variant++)
            {
                var result = validator.DecodeAndValidate(TripDefects.Create(reason, replayed, TestTrips.NowWallClock, TestTrips.Options, variant));
                Assert.Equal(reason, result.Rejection?.Reason);
            }
        }
    }

    [Fact]
    public void Injector_spoils_the_configured_share_and_cycles_through_every_reason()
    {
        var injector = new DirtyTripInjector(0.05, seed: 3, TestTrips.Options);
        var validator = TestTrips.Validator();
        var reasons = new List<RejectReason>();
        const int Trips = 20_000;
        var trips = TestTrips.Week(Trips, seed: 5);
        foreach (var trip in trips)
        {
            if (!injector.ShouldSpoil()) continue;
            var result = validator.DecodeAndValidate(injector.Spoil(trip, TestTrips.NowWallClock));
            reasons.Add(result.Rejection!.Reason);
        }

        Assert.InRange(reasons.Count / (double)Trips, 0.045, 0.055);
        Assert.Equal(TripDefects.Reasons.Order(), reasons.Distinct().Order());
        Assert.Equal(reasons.Count, injector.Produced);
    }

    [Fact]
    public void A_zero_ratio_spoils_nothing()
    {
        var injector = new DirtyTripInjector(0, seed: 3, TestTrips.Options);
        Assert.DoesNotContain(true, Enumerable.Range(0, 10_000).Select(_ => injector.ShouldSpoil()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DirtyTripInjector(1.5, 1, TestTrips.Options));
    }
}
