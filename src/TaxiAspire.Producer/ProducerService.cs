using Microsoft.Extensions.Options;
using TaxiAspire.Producer.Control;
using TaxiAspire.Producer.DirtyData;
using TaxiAspire.Producer.Publishing;
using TaxiAspire.Producer.Simulation;
using TaxiAspire.ServiceDefaults;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Producer;

/// <summary>The producer as a service: simulated trips at a controlled rate, /health, and the /control endpoints.</summary>
internal static class ProducerService
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        builder.AddTripProducer();
        builder.Services.AddTripPublishing();
        builder.Services.AddSingleton<ProducerControl>();
        builder.Services.AddSingleton(sp => new LiveEventClock(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<TripClock>(),
            sp.GetRequiredService<IOptions<TripPublisherOptions>>().Value.Speed));
        builder.Services.AddHostedService<TripPublisher>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ProducerControlJsonContext.Default));

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapProducerControls();
        return app;
    }

    /// <summary>Options, the zone clock, metrics, the sink and the message factory: what the service and the CLI share.</summary>
    public static IServiceCollection AddTripPublishing(this IServiceCollection services)
    {
        services.AddOptions<TripPublisherOptions>()
            .BindConfiguration(TripPublisherOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<TripValidationOptions>()
            .BindConfiguration(TripValidationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new TripClock(sp.GetRequiredService<IOptions<TripValidationOptions>>().Value.TimeZone));
        services.AddSingleton(sp => new ProducerMetrics(sp.GetRequiredService<ServiceTelemetry>().Meter));
        services.AddSingleton(sp => new KafkaTripSink(
            sp.GetRequiredService<Confluent.Kafka.IProducer<string, byte[]>>(),
            sp.GetRequiredService<IOptions<TripPublisherOptions>>().Value.Topic,
            sp.GetRequiredService<ProducerMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<KafkaTripSink>>()));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<TripPublisherOptions>>().Value;
            var dirty = new DirtyTripInjector(settings.DirtyRatio, settings.Seed, sp.GetRequiredService<IOptions<TripValidationOptions>>().Value);
            return new TripMessageFactory(dirty, sp.GetRequiredService<TripClock>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
