using System.Diagnostics;

namespace TaxiAspire.Producer.Benchmark;

/// <summary>
/// Samples the process's working set (managed heap, librdkafka's queues and the in-process mock brokers alike) while a
/// phase runs: Process.PeakWorkingSet64 only knows the whole process's lifetime, not one phase's.
/// </summary>
internal sealed class PeakMemory : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Timer _timer;
    private long _peakWorkingSet;
    private long _peakManaged;

    public PeakMemory()
    {
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
    }

    public long PeakWorkingSetBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peakWorkingSet);
        }
    }

    public long PeakManagedBytes => Interlocked.Read(ref _peakManaged);

    private void Sample()
    {
        lock (_process)
        {
            _process.Refresh();
            Max(ref _peakWorkingSet, _process.WorkingSet64);
            Max(ref _peakManaged, GC.GetTotalMemory(forceFullCollection: false));
        }
    }

    private static void Max(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
