using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TaxiAspire.ServiceDefaults;
using TaxiAspire.ServiceDefaults.Lifetime;
using TaxiAspire.ServiceDefaults.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every TaxiAspire service shares: OpenTelemetry, health checks, service discovery, HTTP resilience and a
/// bounded stop (see <see cref="ServiceLifetimeOptions"/>).
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    private const string OtlpTimeoutKey = "OTEL_EXPORTER_OTLP_TIMEOUT";

    /// <summary>Tag of the checks that only say "the process is responsive" (<c>/alive</c>).</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the checks that say "the service can do its work" (dependencies such as Kafka).</summary>
    public const string ReadyTag = "ready";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddLibraryLogLevels();
        builder.Services.AddServiceTelemetry();
        builder.Services.AddServiceLifetime();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        // ServiceTelemetry names its ActivitySource and Meter after the application; listen to exactly that name.
        var serviceName = builder.Environment.ApplicationName;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(serviceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(serviceName)
                // Probes hit these endpoints every few seconds; their spans would drown the pipeline's own.
                .AddAspNetCoreInstrumentation(options => options.Filter = context =>
                    !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                    && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        // The AppHost sets the endpoint of its dashboard; without it (tests, plain `dotnet run`) nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Each export gives up after the flush timeout instead of OTLP's 10 s, so a collector that is gone (the
            // dashboard died with its AppHost) cannot hold up the last flush on stop. OTEL_EXPORTER_OTLP_TIMEOUT, when
            // set, still wins: the exporter reads only that key.
            if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpTimeoutKey]))
            {
                var lifetime = builder.Configuration.GetSection(ServiceLifetimeOptions.SectionName).Get<ServiceLifetimeOptions>() ?? new();
                var milliseconds = (int)lifetime.TelemetryFlushTimeout.TotalMilliseconds;
                builder.Configuration.AddInMemoryCollection([new(OtlpTimeoutKey, milliseconds.ToString(CultureInfo.InvariantCulture))]);
            }

            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>Maps <c>/health</c> (every check) and <c>/alive</c> (checks tagged "live").</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Mapped in every environment, unlike the template (Development only): this is a reference system run
        // locally, and the AppHost's health probes, the tests and the benchmark need these endpoints in any
        // environment. The responses carry only status words, no details, so they disclose nothing sensitive.
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });

        return app;
    }
}
