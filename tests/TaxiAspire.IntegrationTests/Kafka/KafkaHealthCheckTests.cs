using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TaxiAspire.LocalInfrastructure.Kafka;

namespace TaxiAspire.IntegrationTests.Kafka;

/// <summary>
/// The Kafka health check through brokers going down and coming back. Runs on a mock cluster of its own: taking
/// every broker of the shared fixture down would break the tests running beside it.
/// </summary>
public sealed class KafkaHealthCheckTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private MockKafkaCluster _cluster = null!;

    public ValueTask InitializeAsync()
    {
        _cluster = MockKafkaCluster.Start(new MockKafkaClusterOptions { BrokerCount = 2 });
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Unhealthy_while_every_broker_is_down_and_healthy_again_when_they_return()
    {
        var builder = KafkaTestHost.CreateBuilder(_cluster.BootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:Producer:HealthCheckTimeout"] = "00:00:01",
        });
        builder.AddKafkaProducer<string, string>(KafkaTestHost.ConnectionName);
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, await WaitForStatusAsync(health, HealthStatus.Healthy));

        foreach (var broker in _cluster.Brokers)
        {
            _cluster.SetBrokerDown(broker.Id);
        }

        var down = await health.CheckHealthAsync(TestContext.Current.CancellationToken);
        var entry = Assert.Single(down.Entries).Value;
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.IsType<KafkaException>(entry.Exception, exactMatch: false);

        foreach (var broker in _cluster.Brokers)
        {
            _cluster.SetBrokerUp(broker.Id);
        }

        Assert.Equal(HealthStatus.Healthy, await WaitForStatusAsync(health, HealthStatus.Healthy));
    }

    [Fact]
    public async Task One_broker_down_of_two_is_still_healthy()
    {
        var builder = KafkaTestHost.CreateBuilder(_cluster.BootstrapServers);
        builder.AddKafkaConsumer<string, string>(KafkaTestHost.ConnectionName, configureConfig: c => c.GroupId = "health");
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        _cluster.SetBrokerDown(_cluster.Brokers[0].Id);

        Assert.Equal(HealthStatus.Healthy, await WaitForStatusAsync(health, HealthStatus.Healthy));
    }

    private static async Task<HealthStatus> WaitForStatusAsync(HealthCheckService health, HealthStatus expected)
    {
        var stopwatch = Stopwatch.StartNew();
        HealthStatus status;
        do
        {
            status = (await health.CheckHealthAsync(TestContext.Current.CancellationToken)).Status;
        }
        while (status != expected && stopwatch.Elapsed < Deadline);

        return status;
    }
}
