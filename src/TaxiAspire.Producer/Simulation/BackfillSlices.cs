using System.Globalization;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Producer.Simulation;

/// <summary>
/// A backfill cut into one-hour slices, each with its own seed derived from the run's seed and the slice's index.
/// A slice's trips depend on nothing else, so slices can be generated in parallel (all cores) or in order (paced) and
/// the same seed still gives the same trips. The Poisson arrivals are memoryless, so restarting them at each slice
/// boundary changes nothing statistically.
/// </summary>
internal sealed class BackfillSlices(DateTime start, DateTime end, double tripsPerDay, DemandProfile demand, int seed)
{
    public static readonly TimeSpan SliceLength = TimeSpan.FromHours(1);

    public int Count => (int)Math.Ceiling((end - start) / SliceLength);

    public long ExpectedTrips => (long)((end - start).TotalDays * tripsPerDay);

    /// <summary>The run's seed mixed with the slice index (SplitMix64's finaliser: stable across processes, unlike HashCode).</summary>
    public int SliceSeed(int slice)
    {
        var z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)slice);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(z ^ (z >> 31)));
    }

    /// <summary>The trips of one slice, in pickup order.</summary>
    public IEnumerable<TripEvent> Trips(int slice)
    {
        var sliceStart = start + (SliceLength * slice);
        var sliceEnd = sliceStart + SliceLength < end ? sliceStart + SliceLength : end;
        var sliceSeed = SliceSeed(slice);
        var timeline = new BackfillTimeline(sliceStart, sliceEnd, tripsPerDay, demand, sliceSeed);
        var simulator = new TripSimulator(sliceSeed, string.Create(CultureInfo.InvariantCulture, $"sim-{seed}-h{slice}-"));
        while (timeline.TryNext(out var pickup))
        {
            yield return simulator.Next(pickup);
        }
    }

    /// <summary>All trips, slice after slice.</summary>
    public IEnumerable<TripEvent> AllTrips()
    {
        for (var slice = 0; slice < Count; slice++)
        {
            foreach (var trip in Trips(slice))
            {
                yield return trip;
            }
        }
    }
}
