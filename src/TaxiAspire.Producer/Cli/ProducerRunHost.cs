using Confluent.Kafka;
using Microsoft.Extensions.Options;
using TaxiAspire.Producer.Publishing;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Producer.Cli;

/// <summary>What a command-line run is configured with (the options common to every verb).</summary>
internal sealed record ProducerRunSettings(string BootstrapServers, string Topic, int Seed, double DirtyRatio)
{
    /// <summary>
    /// Per-trip <c>send</c> spans. On for paced runs (demos); off for as-fast-as-possible runs, where an activity and a
    /// header per trip would cost more than the trip itself.
    /// </summary>
    public bool Tracing { get; init; } = true;

    /// <summary>Keep the console to warnings (a progress bar is drawing there).</summary>
    public bool QuietConsole { get; init; }
}

/// <summary>
/// The generic host behind a command-line run: the same service defaults, Kafka registration and publishing services
/// as the web service (so logging, metrics, OTLP export and the idempotent producer behave alike), without a web server.
/// </summary>
internal sealed class ProducerRunHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ProducerRunHost(IHost host)
    {
        _host = host;
        Time = host.Services.GetRequiredService<TimeProvider>();
        Zone = host.Services.GetRequiredService<TripClock>();
        Producer = host.Services.GetRequiredService<IProducer<string, byte[]>>();
        Sink = host.Services.GetRequiredService<KafkaTripSink>();
        Validation = host.Services.GetRequiredService<IOptions<TripValidationOptions>>().Value;
        Stream = new TripStream(
            Sink,
            host.Services.GetRequiredService<TripMessageFactory>(),
            Time);
    }

    public TimeProvider Time { get; }

    public TripClock Zone { get; }

    public IProducer<string, byte[]> Producer { get; }

    public KafkaTripSink Sink { get; }

    public TripValidationOptions Validation { get; }

    public TripStream Stream { get; }

    public IServiceProvider Services => _host.Services;

    public ILoggerFactory LoggerFactory => _host.Services.GetRequiredService<ILoggerFactory>();

    public static async Task<ProducerRunHost> StartAsync(ProducerRunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // The same name as the service: one ActivitySource and Meter for the producer, however it runs.
            ApplicationName = typeof(ProducerRunHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ProducerKafka.ConnectionName}"] = settings.BootstrapServers,
            ["Kafka:Producer:DisableTracing"] = settings.Tracing ? "false" : "true",
            ["Kafka:Producer:DisableHealthChecks"] = "true",
            [$"{TripPublisherOptions.SectionName}:{nameof(TripPublisherOptions.Topic)}"] = settings.Topic,
            [$"{TripPublisherOptions.SectionName}:{nameof(TripPublisherOptions.Seed)}"] = settings.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{TripPublisherOptions.SectionName}:{nameof(TripPublisherOptions.DirtyRatio)}"] = settings.DirtyRatio.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        if (settings.QuietConsole)
        {
            builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(level => level >= LogLevel.Warning);
        }

        builder.AddServiceDefaults();
        builder.AddTripProducer();
        builder.Services.AddTripPublishing();

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ProducerRunHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
