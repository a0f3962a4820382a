using System.Runtime.CompilerServices;
using TaxiAspire.Producer.Replay;
using TaxiAspire.Producer.Simulation;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Producer.Cli;

/// <summary>Where a run's trips come from: the simulator on a live or backfill clock, or a replayed file.</summary>
internal static class TripSources
{
    public static IAsyncEnumerable<TripEvent> Live(TripSimulator simulator, LiveEventClock clock) =>
        Endless(simulator, clock).ToAsyncEnumerable();

    public static IAsyncEnumerable<TripEvent> Backfill(BackfillSlices slices) => slices.AllTrips().ToAsyncEnumerable();

    public static async IAsyncEnumerable<TripEvent> Replay(
        string path, ReplayTimeline timeline, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in ReplayTimeline.Read(path, cancellationToken))
        {
            yield return timeline.ToTrip(row);
        }
    }

    private static IEnumerable<TripEvent> Endless(TripSimulator simulator, LiveEventClock clock)
    {
        while (true)
        {
            yield return simulator.Next(clock.Now());
        }
    }
}
