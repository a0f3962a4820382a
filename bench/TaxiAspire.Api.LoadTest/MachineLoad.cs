using System.Globalization;

namespace TaxiAspire.Api.LoadTest;

/// <summary>
/// The machine's state from /proc (Linux): the load averages and the CPU time spent busy by every process, so a figure
/// can be read beside what else was running. Null where /proc is not there.
/// </summary>
internal sealed record MachineLoad(double[]? LoadAverage, long? BusyTicks, long? TotalTicks)
{
    public static MachineLoad Read() => new(ReadLoadAverage(), ReadCpu(busy: true), ReadCpu(busy: false));

    /// <summary>Cores busy on average between <paramref name="earlier"/> and this reading (of <see cref="Environment.ProcessorCount"/>).</summary>
    public double? BusyCoresSince(MachineLoad earlier) =>
        BusyTicks - earlier.BusyTicks is { } busy && TotalTicks - earlier.TotalTicks is { } total && total > 0
            ? Math.Round((double)busy / total * Environment.ProcessorCount, 2)
            : null;

    private static double[]? ReadLoadAverage()
    {
        try
        {
            return [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return null;
        }
    }

    // First line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...; idle and iowait are not busy.
    private static long? ReadCpu(bool busy)
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            return busy ? total - fields[3] - fields[4] : total;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
