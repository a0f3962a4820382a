using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Producer.DirtyData;

/// <summary>
/// Spoils a configurable share of trips on purpose, cycling through every <see cref="RejectReason"/> (and each
/// reason's variants) so that all of the processor's rejection paths are exercised. The defects themselves come from
/// <see cref="TripDefects"/>, the catalogue the validator's tests also use. Deterministic for a given seed.
/// </summary>
internal sealed class DirtyTripInjector(double ratio, int seed, TripValidationOptions validation)
{
    private readonly Random _random = new(unchecked(seed * 31) ^ 0x5EED);
    private long _produced;

    public double Ratio { get; } = ratio is >= 0 and <= 1 ? ratio : throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "A ratio between 0 and 1.");

    /// <summary>Dirty messages produced so far.</summary>
    public long Produced => _produced;

    /// <summary>Whether the next trip should be spoiled (one draw per trip, so the share converges on the ratio).</summary>
    public bool ShouldSpoil() => Ratio > 0 && _random.NextDouble() < Ratio;

    /// <summary>The next defect in the cycle applied to <paramref name="clean"/>.</summary>
    public byte[] Spoil(TripEvent clean, DateTime nowWallClock)
    {
        var n = _produced++;
        var reasons = TripDefects.Reasons;
        var reason = reasons[(int)(n % reasons.Count)];
        var variant = (int)(n / reasons.Count);
        return TripDefects.Create(reason, clean, nowWallClock, validation, variant);
    }
}
