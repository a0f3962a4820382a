using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.ServiceDefaults.Lifetime;

/// <summary>
/// How a service stops (section <c>ServiceLifetime</c>). The budget is meant to end well inside the 6 s an
/// orchestrator (Aspire's DCP) waits after SIGTERM before it kills the <c>dotnet run</c> above a service, which would
/// orphan the service: <see cref="ShutdownTimeout"/> plus <see cref="TelemetryFlushTimeout"/> is 3 s, leaving room for
/// the runtime's own exit on a loaded machine (a Ctrl+C on the AppHost measured 6.3 s at load average 44 with 4 s).
/// </summary>
public sealed class ServiceLifetimeOptions
{
    public const string SectionName = "ServiceLifetime";

    /// <summary>
    /// The environment variable the AppHost sets on each of its projects (<see cref="AppHostProcessId"/>). The AppHost
    /// cannot reference this project, so it spells the name itself; keep the two equal.
    /// </summary>
    public const string AppHostProcessIdVariable = "ServiceLifetime__AppHostProcessId";

    /// <summary>How long the hosted services (workers, the web server) get to stop: <c>HostOptions.ShutdownTimeout</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>
    /// How long the last traces, metrics and logs may take to reach the collector once everything else stopped. Also
    /// each OTLP export's own timeout: a collector that is gone (the dashboard died with its AppHost) costs no more.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan TelemetryFlushTimeout { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// The process id of the AppHost that started this service; set by the AppHost only. When that process is gone the
    /// service stops itself: nothing else tells it once its orchestrator died too. Unset (a service started by hand,
    /// a test host): nothing is watched.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? AppHostProcessId { get; set; }

    /// <summary>
    /// How often the AppHost's process is looked for. On Ctrl+C the AppHost exits within about 0.3 s and DCP's SIGTERM
    /// reaches the services only 1.3 to 2 s after the Ctrl+C, so this watch is what starts their stop; a quarter
    /// second (one read of <c>/proc</c>) lets them begin about 1 s sooner than a one-second poll did.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan AppHostPollInterval { get; set; } = TimeSpan.FromSeconds(0.25);
}
