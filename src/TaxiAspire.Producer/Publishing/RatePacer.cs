namespace TaxiAspire.Producer.Publishing;

/// <summary>
/// Spaces sends at a rate per second measured from a baseline, so timer jitter never makes the rate drift: a late
/// wake-up is followed by a catch-up burst. A null or non-positive rate means as fast as possible.
/// </summary>
internal sealed class RatePacer(TimeProvider time, double? ratePerSecond)
{
    private long _baseline = time.GetTimestamp();
    private long _sentSinceBaseline;

    public double? RatePerSecond { get; private set; } = ratePerSecond is > 0 ? ratePerSecond : null;

    /// <summary>Changes the rate from now on (used by the runtime controls).</summary>
    public void Reset(double? ratePerSecond)
    {
        RatePerSecond = ratePerSecond is > 0 ? ratePerSecond : null;
        _baseline = time.GetTimestamp();
        _sentSinceBaseline = 0;
    }

    /// <summary>How many sends are due now and not yet made (long.MaxValue when unpaced).</summary>
    public long Due()
    {
        if (RatePerSecond is not { } rate) return long.MaxValue;
        var due = (long)(time.GetElapsedTime(_baseline).TotalSeconds * rate);
        return Math.Max(0, due - _sentSinceBaseline);
    }

    public void Sent(long count = 1) => _sentSinceBaseline += count;

    /// <summary>Waits until the next send is due.</summary>
    public ValueTask WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (RatePerSecond is not { } rate || Due() > 0) return ValueTask.CompletedTask;
        var dueAt = TimeSpan.FromSeconds((_sentSinceBaseline + 1) / rate);
        var wait = dueAt - time.GetElapsedTime(_baseline);
        return wait <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(wait, time, cancellationToken));
    }
}
