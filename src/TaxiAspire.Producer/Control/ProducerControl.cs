using Microsoft.Extensions.Options;
using TaxiAspire.Producer.Publishing;

namespace TaxiAspire.Producer.Control;

/// <summary>The producer's state as the control endpoints report it.</summary>
public sealed record ProducerStatus(
    bool Paused, double TripsPerSecond, long PendingBurst, long PendingDirtyBurst, long Published, long Dirty, long DeliveryFailures);

/// <summary>
/// Runtime controls of the service (pause/resume, rate, bursts), set by the HTTP control endpoints that the Aspire
/// dashboard's resource commands call, read by <see cref="TripPublisher"/> on every tick.
/// </summary>
internal sealed class ProducerControl(IOptions<TripPublisherOptions> options)
{
    /// <summary>The largest burst one request may ask for (a burst is generated within a few ticks).</summary>
    public const int MaxBurst = 1_000_000;

    private readonly Lock _gate = new();
    private bool _paused = options.Value.StartPaused;
    private double _rate = options.Value.RatePerSecond;
    private long _burst;
    private long _dirtyBurst;
    private long _published;
    private long _dirty;
    private long _deliveryFailures;
    private int _version;

    /// <summary>Bumped whenever pause or rate change, so the publisher re-bases its pacing.</summary>
    public int Version
    {
        get { lock (_gate) return _version; }
    }

    public bool Paused
    {
        get { lock (_gate) return _paused; }
    }

    public double RatePerSecond
    {
        get { lock (_gate) return _rate; }
    }

    public void Pause() => Update(() => _paused = true);

    public void Resume() => Update(() => _paused = false);

    public void SetRate(double tripsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tripsPerSecond, 0.1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tripsPerSecond, 1_000_000);
        Update(() => _rate = tripsPerSecond);
    }

    public void RequestBurst(int count, bool dirty)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxBurst);
        lock (_gate)
        {
            if (dirty) _dirtyBurst += count;
            else _burst += count;
        }
    }

    /// <summary>Takes up to <paramref name="max"/> pending burst trips, dirty ones first.</summary>
    public (long Clean, long Dirty) TakeBurst(long max)
    {
        lock (_gate)
        {
            var dirty = Math.Min(_dirtyBurst, max);
            var clean = Math.Min(_burst, max - dirty);
            _dirtyBurst -= dirty;
            _burst -= clean;
            return (clean, dirty);
        }
    }

    public void Record(long published, long dirty, long deliveryFailures)
    {
        lock (_gate)
        {
            _published = published;
            _dirty = dirty;
            _deliveryFailures = deliveryFailures;
        }
    }

    public ProducerStatus Status()
    {
        lock (_gate)
        {
            return new ProducerStatus(_paused, _rate, _burst, _dirtyBurst, _published, _dirty, _deliveryFailures);
        }
    }

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
            _version++;
        }
    }
}
