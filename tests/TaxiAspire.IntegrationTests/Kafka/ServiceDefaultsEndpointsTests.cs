using System.Net;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.ServiceDefaults;

namespace TaxiAspire.IntegrationTests.Kafka;

/// <summary>AddServiceDefaults + a Kafka producer in a real web host: the endpoints a probe or the AppHost calls.</summary>
public sealed class ServiceDefaultsEndpointsTests(KafkaFixture kafka)
{
    [Fact]
    public async Task Health_includes_the_Kafka_check_and_alive_only_the_live_ones()
    {
        var applicationName = $"TaxiAspire.Tests.{Guid.NewGuid():N}";
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = applicationName,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration[$"ConnectionStrings:{KafkaTestHost.ConnectionName}"] = kafka.BootstrapServers;
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddKafkaProducer<string, string>(KafkaTestHost.ConnectionName);

        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);

        var telemetry = app.Services.GetRequiredService<ServiceTelemetry>();
        Assert.Equal(applicationName, telemetry.ActivitySource.Name);
        Assert.Equal(applicationName, telemetry.Meter.Name);
        Assert.NotNull(app.Services.GetRequiredService<IProducer<string, string>>());

        var address = app.Urls.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var health = await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
