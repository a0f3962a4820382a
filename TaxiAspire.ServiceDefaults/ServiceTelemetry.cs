using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace TaxiAspire.ServiceDefaults;

/// <summary>
/// The service's own <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>,
/// both named after the project (<see cref="IHostEnvironment.ApplicationName"/>, e.g. "TaxiAspire.Producer").
/// <c>AddServiceDefaults</c> registers it as a singleton and points OpenTelemetry tracing and metrics at <see cref="Name"/>,
/// so every span and instrument a service creates through it is exported without further wiring.
/// </summary>
public sealed class ServiceTelemetry : IDisposable
{
    public ServiceTelemetry(IHostEnvironment environment, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(meterFactory);

        Name = environment.ApplicationName;
        ActivitySource = new ActivitySource(Name);
        // The factory owns (and disposes) the meter; it also scopes it to this service provider, so two hosts in one
        // process (tests) never share instruments.
        Meter = meterFactory.Create(new MeterOptions(Name));
    }

    /// <summary>The project name, used as both the activity source name and the meter name.</summary>
    public string Name { get; }

    public ActivitySource ActivitySource { get; }

    public Meter Meter { get; }

    public void Dispose() => ActivitySource.Dispose();
}
