using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaxiAspire.ServiceDefaults.Lifetime;

/// <summary>
/// Stops the service when the AppHost that started it is gone. Aspire's orchestrator (DCP) stops a project by sending
/// SIGTERM to the <c>dotnet run</c> it started, which passes it on to the service; when the AppHost is killed, or DCP
/// gives up and kills <c>dotnet run</c>, the service is left with no parent and nobody to stop it. Aspire itself has
/// the same kind of watch only between its CLI and the AppHost, so the AppHost hands each project its process id.
/// The process's start time is compared too, so a recycled id is not taken for the AppHost.
/// </summary>
internal sealed partial class AppHostWatchdog(
    IOptions<ServiceLifetimeOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<AppHostWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.AppHostProcessId is not { } pid)
        {
            return;
        }

        var startedAt = StartTimeOf(pid);
        LogWatching(logger, pid);
        using var timer = new PeriodicTimer(settings.AppHostPollInterval, timeProvider);
        do
        {
            if (startedAt is null || StartTimeOf(pid) != startedAt)
            {
                LogAppHostGone(logger, pid);
                lifetime.StopApplication();
                return;
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The start time of the process with this id, or null when there is none (or it already exited).</summary>
    private static DateTime? StartTimeOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || IsZombie(pid) ? null : process.StartTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            return null;
        }
    }

    // A killed AppHost whose parent has not reaped it yet is still listed (state Z) and answers kill(pid, 0).
    private static bool IsZombie(int pid)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName >= 0 && afterName + 2 < stat.Length && stat[afterName + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stopping when the AppHost (process {ProcessId}) is gone")]
    private static partial void LogWatching(ILogger logger, int processId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The AppHost (process {ProcessId}) is gone; stopping")]
    private static partial void LogAppHostGone(ILogger logger, int processId);
}
