using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TaxiAspire.ServiceDefaults.Lifetime;

/// <summary>
/// Sends the last traces, metrics and logs once every hosted service has stopped, all three at once and for
/// <see cref="ServiceLifetimeOptions.TelemetryFlushTimeout"/> at most. Left to the service provider's disposal, the
/// providers shut down one after another, each waiting out its exporter: with the collector gone, that was the ~13 s a
/// service outlived its AppHost by. Providers already shut down dispose at once.
/// </summary>
internal sealed class TelemetryShutdown(IServiceProvider services, IOptions<ServiceLifetimeOptions> options) : IHostedLifecycleService
{
    private TracerProvider? _tracer;
    private MeterProvider? _meter;
    private LoggerProvider? _logger;

    // Resolved on start, not on stop: a host may be stopped after its service provider was disposed (a test host's
    // disposal does that), and then there is nothing left to resolve them from.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _tracer = services.GetService<TracerProvider>();
        _meter = services.GetService<MeterProvider>();
        _logger = services.GetService<LoggerProvider>();
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var timeout = (int)options.Value.TelemetryFlushTimeout.TotalMilliseconds;
        var (tracer, meter, logger) = (_tracer, _meter, _logger);
        // Shutdown blocks for up to the timeout; each on its own thread so the three waits overlap.
        return Task.WhenAll(
            Task.Run(() => tracer?.Shutdown(timeout), CancellationToken.None),
            Task.Run(() => meter?.Shutdown(timeout), CancellationToken.None),
            Task.Run(() => logger?.Shutdown(timeout), CancellationToken.None));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
