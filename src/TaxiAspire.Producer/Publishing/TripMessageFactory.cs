using TaxiAspire.Producer.DirtyData;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Producer.Publishing;

/// <summary>Turns a trip into the bytes that go on the topic: its JSON, or, for the chosen share, a defect of it.</summary>
internal sealed class TripMessageFactory(DirtyTripInjector dirty, TripClock zone, TimeProvider time)
{
    public DirtyTripInjector Dirty => dirty;

    /// <param name="trip">A clean trip.</param>
    /// <param name="forceDirty">Spoil it whatever the ratio says (the "burst of dirty trips" control).</param>
    public (byte[] Value, bool IsDirty) Create(TripEvent trip, bool forceDirty = false)
    {
        if (forceDirty || dirty.ShouldSpoil())
        {
            // "Now" only matters for the far-future defect; asking for it only here keeps the clean path cheap.
            return (dirty.Spoil(trip, zone.ToWallClock(time.GetUtcNow())), true);
        }

        return (TripJsonCodec.Encode(trip), false);
    }
}
