using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using TaxiAspire.ServiceDefaults;

namespace TaxiAspire.IntegrationTests.Processing;

/// <summary>
/// One stream-processor replica in this process, wired by the service's own <c>AddStreamProcessor</c>. Several can run
/// side by side against the same topic and database, which is how the scale-out tests get two replicas.
/// </summary>
internal sealed class ProcessorHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly NpgsqlDataSource _dataSource;

    private ProcessorHost(IHost host, NpgsqlDataSource dataSource)
    {
        _host = host;
        _dataSource = dataSource;
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>Every log entry of this replica (Information and up), its Kafka clients' included.</summary>
    public FakeLogCollector Logs => _host.Services.GetFakeLogCollector();

    public static async Task<ProcessorHost> StartAsync(ProcessorScenario scenario, IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = $"TaxiAspire.StreamProcessor.Tests.{Guid.NewGuid():N}",
            EnvironmentName = Environments.Development,
            DisableDefaults = true,
        });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = scenario.BootstrapServers,
            ["StreamProcessor:Topic"] = scenario.Topic,
            ["StreamProcessor:DeadLetterTopic"] = scenario.DeadLetterTopic,
            ["StreamProcessor:WindowsTopic"] = scenario.WindowsTopic,
            ["StreamProcessor:ConsumerGroup"] = scenario.Group,
            ["StreamProcessor:MaxBatchSize"] = "1000",
            ["StreamProcessor:MaxBatchDelay"] = "00:00:00.050",
            ["StreamProcessor:WindowPublishInterval"] = "00:00:00.200",
            ["StreamProcessor:WindowDeliveryTimeout"] = "00:00:01",
            ["StreamProcessor:AllowedLateness"] = "00:02:00",
            // The synthetic pickups lie in 2026; "the future" must not reject them whenever the tests run.
            ["Trips:FutureTolerance"] = "30.00:00:00",
            ["Kafka:Consumer:DisableHealthChecks"] = "true",
            ["Kafka:Producer:DisableHealthChecks"] = "true",
            ["Kafka:Consumer:Config:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:Config:heartbeat.interval.ms"] = "500",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddFakeLogging();
        builder.Services.AddServiceTelemetry();
        var dataSource = NpgsqlDataSource.Create(scenario.DatabaseConnectionString);
        builder.Services.AddSingleton(dataSource);
        builder.AddStreamProcessor();

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new ProcessorHost(host, dataSource);
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _host.Dispose();
            await _dataSource.DisposeAsync();
        }
    }
}
