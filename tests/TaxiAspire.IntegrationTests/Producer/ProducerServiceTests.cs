using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.Producer;
using TaxiAspire.Producer.Control;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.IntegrationTests.Producer;

/// <summary>The producer as the AppHost runs it: the control endpoints the dashboard commands call, and broker faults.</summary>
public sealed class ProducerServiceTests(KafkaFixture kafka)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_controls_pause_burst_and_reject_bad_input()
    {
        var topic = ProducerKafka.UniqueTopic("controls");
        await kafka.CreateTopicAsync(topic, partitions: 1);
        await using var app = await StartAsync(kafka.BootstrapServers, topic, ("Producer:StartPaused", "true"), ("Producer:DirtyRatio", "0"));
        using var http = new HttpClient { BaseAddress = Address(app) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health", UriKind.Relative), Token)).StatusCode);
        Assert.True((await Status(http)).Paused);
        (await http.PostAsync(new Uri("/control/burst?count=36&dirty=true", UriKind.Relative), null, Token)).EnsureSuccessStatusCode();
        (await http.PostAsync(new Uri("/control/burst?count=64", UriKind.Relative), null, Token)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/control/rate?tripsPerSecond=0", UriKind.Relative), null, Token)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/control/burst?count=0", UriKind.Relative), null, Token)).StatusCode);

        var messages = ProducerKafka.ReadAll(kafka.BootstrapServers, topic, 100, TimeSpan.FromSeconds(30));
        Assert.Equal(100, messages.Count);
        var validator = new TripValidator(new TripValidationOptions(), TimeProvider.System);
        var reasons = messages.Select(m => validator.DecodeAndValidate(m.Message.Value).Rejection?.Reason).ToList();
        Assert.Equal(36, reasons.Count(r => r is not null));
        Assert.Equal(TripDefects.Reasons.Order(), reasons.OfType<RejectReason>().Distinct().Order());
        Assert.True((await Status(http)).Paused, "a burst does not resume the stream");

        (await http.PostAsync(new Uri("/control/rate?tripsPerSecond=200", UriKind.Relative), null, Token)).EnsureSuccessStatusCode();
        var before = (await Status(http)).Published;
        var resumed = System.Diagnostics.Stopwatch.StartNew();
        (await http.PostAsync(new Uri("/control/resume", UriKind.Relative), null, Token)).EnsureSuccessStatusCode();
        // 300 more trips at 200 a second: they arrive (the stream resumed) and take at least about 1.5 s (the rate holds).
        ProducerStatus running;
        do
        {
            running = await Status(http);
            Assert.True(resumed.Elapsed < TimeSpan.FromSeconds(20), $"only {running.Published - before} trips in {resumed.Elapsed} after resuming");
            await Task.Delay(50, Token);
        }
        while (running.Published - before < 300);

        var elapsed = resumed.Elapsed;
        Assert.False(running.Paused);
        Assert.Equal(200, running.TripsPerSecond);
        Assert.True(elapsed > TimeSpan.FromSeconds(1), $"{running.Published - before} trips in {elapsed}: faster than 200 a second");
    }

    [Fact]
    public async Task An_unreachable_broker_is_survived_and_its_delivery_failures_counted()
    {
        await using var app = await StartAsync("127.0.0.1:9", "nowhere",
            ("Producer:RatePerSecond", "50"), ("Kafka:Producer:Config:MessageTimeoutMs", "1000"), ("Kafka:Producer:DisableHealthChecks", "true"));
        using var http = new HttpClient { BaseAddress = Address(app) };

        // Each message times out after a second; polled until the first failure is counted.
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        ProducerStatus status;
        while ((status = await Status(http)).DeliveryFailures == 0)
        {
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(20), $"no delivery failure counted within 20 s ({status.Published} published)");
            await Task.Delay(100, Token);
        }

        Assert.True(status.Published > 0);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/alive", UriKind.Relative), Token)).StatusCode);
    }

    private static async Task<WebApplication> StartAsync(string bootstrap, string topic, params (string Key, string Value)[] settings)
    {
        var app = ProducerService.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:kafka"] = bootstrap,
                ["Producer:Topic"] = topic,
            }.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        });
        await app.StartAsync(Token);
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<ProducerStatus> Status(HttpClient http) =>
        (await http.GetFromJsonAsync<ProducerStatus>(new Uri("/control", UriKind.Relative), Token))!;
}
