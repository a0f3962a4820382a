using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaxiAspire.ServiceDefaults.Kafka;

namespace TaxiAspire.IntegrationTests.Kafka;

/// <summary>Settings binding and validation: configuration only, no broker.</summary>
public sealed class KafkaSettingsBindingTests
{
    private const string Connection = KafkaTestHost.ConnectionName;

    [Fact]
    public void Producer_settings_come_from_the_connection_string_and_the_Kafka_Producer_section()
    {
        var builder = KafkaTestHost.CreateBuilder("broker-a:9092,broker-b:9092", new Dictionary<string, string?>
        {
            ["Kafka:Producer:DisableMetrics"] = "false",
            ["Kafka:Producer:HealthCheckTimeout"] = "00:00:01.500",
            ["Kafka:Producer:Config:LingerMs"] = "7",
            ["Kafka:Producer:Config:compression.type"] = "lz4",
            ["Kafka:Producer:Config:bootstrap.servers"] = "ignored:1",
            ["Kafka:Producer:Config:statistics.interval.ms"] = "250",
        });
        builder.AddKafkaProducer<string, string>(Connection, configureConfig: config => config.Acks = Acks.All);

        using var host = builder.Build();
        var settings = host.Services.GetRequiredService<IOptionsMonitor<KafkaProducerSettings>>().Get(Connection);

        Assert.Equal("broker-a:9092,broker-b:9092", settings.Config.BootstrapServers);
        Assert.Equal(7, settings.Config.LingerMs);
        Assert.Equal(CompressionType.Lz4, settings.Config.CompressionType);
        Assert.Equal(250, settings.Config.StatisticsIntervalMs);
        Assert.Equal(Acks.All, settings.Config.Acks);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.HealthCheckTimeout);
        Assert.False(settings.DisableMetrics);
    }

    [Fact]
    public void A_connection_section_overrides_the_shared_one_and_flags_turn_instrumentation_off()
    {
        var builder = KafkaTestHost.CreateBuilder("localhost:9092", new Dictionary<string, string?>
        {
            ["Kafka:Consumer:Config:group.id"] = "shared-group",
            ["Kafka:Consumer:Config:AutoOffsetReset"] = "Earliest",
            [$"Kafka:Consumer:{Connection}:Config:group.id"] = "own-group",
            [$"Kafka:Consumer:{Connection}:DisableMetrics"] = "true",
            ["Kafka:Consumer:DisableHealthChecks"] = "true",
            ["Kafka:Consumer:DisableTracing"] = "true",
        });
        builder.AddKafkaConsumer<string, string>(Connection);

        using var host = builder.Build();
        var settings = host.Services.GetRequiredService<IOptionsMonitor<KafkaConsumerSettings>>().Get(Connection);

        Assert.Equal("own-group", settings.Config.GroupId);
        Assert.Equal(AutoOffsetReset.Earliest, settings.Config.AutoOffsetReset);
        Assert.True(settings.DisableMetrics);
        Assert.True(settings.DisableHealthChecks);
        Assert.True(settings.DisableTracing);
        // With metrics off nothing asks librdkafka for statistics.
        Assert.Null(settings.Config.StatisticsIntervalMs);
    }

    [Fact]
    public void Metrics_on_turn_librdkafka_statistics_on_at_the_default_interval()
    {
        var builder = KafkaTestHost.CreateBuilder("localhost:9092");
        builder.AddKafkaProducer<Null, string>(Connection);

        using var host = builder.Build();
        var settings = host.Services.GetRequiredService<IOptionsMonitor<KafkaProducerSettings>>().Get(Connection);

        Assert.Equal((int)KafkaClientSettings.DefaultStatisticsInterval.TotalMilliseconds, settings.Config.StatisticsIntervalMs);
    }

    [Fact]
    public async Task Host_start_fails_without_bootstrap_servers()
    {
        var builder = KafkaTestHost.CreateBuilder(bootstrapServers: null);
        builder.AddKafkaProducer<string, string>(Connection);

        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"ConnectionStrings:{Connection}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_start_fails_for_a_consumer_without_group_id()
    {
        var builder = KafkaTestHost.CreateBuilder("localhost:9092");
        builder.AddKafkaConsumer<string, string>(Connection);

        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("group id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clients_are_singletons_and_keyed_clients_are_keyed_by_connection_name()
    {
        var builder = KafkaTestHost.CreateBuilder("localhost:9092");
        builder.AddKafkaProducer<string, string>(Connection);
        builder.AddKeyedKafkaConsumer<string, string>(Connection, configureConfig: config => config.GroupId = "g");

        using var host = builder.Build();
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();

        Assert.Same(producer, host.Services.GetRequiredService<IProducer<string, string>>());
        Assert.NotNull(host.Services.GetRequiredKeyedService<IConsumer<string, string>>(Connection));
        Assert.Null(host.Services.GetService<IConsumer<string, string>>());
    }
}
