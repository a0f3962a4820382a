using Spectre.Console;
using TaxiAspire.Producer.Publishing;

namespace TaxiAspire.Producer.Cli;

/// <summary>Progress as a bar, for a person at a terminal.</summary>
internal sealed class BarProgress(ProgressTask task) : IRunProgress
{
    public void Report(long trips, long dirty)
    {
        if (task.IsIndeterminate) task.MaxValue = Math.Max(task.MaxValue, trips);
        task.Value = trips;
        task.Description = $"{trips:N0} trips ({dirty:N0} dirty)";
    }

    /// <summary>Whether a bar can be drawn (an interactive terminal, output not redirected).</summary>
    public static bool Supported => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}

/// <summary>Progress as log lines (at most one every few seconds), for CI logs and redirected output.</summary>
internal sealed partial class LogProgress(ILogger logger, TimeProvider time, long? total) : IRunProgress
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    private readonly long _started = time.GetTimestamp();
    private TimeSpan _lastReport;

    public void Report(long trips, long dirty)
    {
        var elapsed = time.GetElapsedTime(_started);
        if (elapsed - _lastReport < Every && trips != total) return;
        _lastReport = elapsed;
        var rate = elapsed.TotalSeconds > 0 ? trips / elapsed.TotalSeconds : 0;
        LogProgressLine(logger, trips, total, dirty, rate);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Trips} of {Total} trips published ({Dirty} dirty), {Rate:F0} trips/s")]
    private static partial void LogProgressLine(ILogger logger, long trips, long? total, long dirty, double rate);
}
