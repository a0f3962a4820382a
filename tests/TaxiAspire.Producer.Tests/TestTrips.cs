using Microsoft.Extensions.Time.Testing;
using TaxiAspire.Producer.Simulation;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Producer.Tests;

/// <summary>Simulated trips and a validator whose "now" is fixed just after them.</summary>
internal static class TestTrips
{
    public static readonly DateTime Start = new(2025, 3, 3, 0, 0, 0, DateTimeKind.Unspecified);

    public static TripValidationOptions Options { get; } = new();

    public static TripClock Clock { get; } = new(Options.TimeZone);

    /// <summary>A week of backfilled trips (deterministic).</summary>
    public static IReadOnlyList<TripEvent> Week(int count, int seed = 7) =>
        new BackfillSlices(Start, Start.AddDays(7), 20_000, DemandProfile.NewYork, seed).AllTrips().Take(count).ToList();

    public static DateTime NowWallClock => Start.AddDays(8);

    public static TripValidator Validator() =>
        new(Options, new FakeTimeProvider(Clock.ToUtc(NowWallClock)));
}
