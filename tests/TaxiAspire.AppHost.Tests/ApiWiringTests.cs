using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TaxiAspire.AppHost.Tests;

/// <summary>What the AppHost gives the API: the admin key as a secret parameter, and Kafka for consumer lag.</summary>
[Collection(LocalAppHostGroup.Name)]
public class ApiWiringTests(LocalAppHostFixture appHost)
{
    [Fact]
    public async Task Retrain_accepts_only_the_key_the_apphost_generated()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = appHost.App.CreateHttpClient("api", "http");
        var model = appHost.App.Services.GetRequiredService<DistributedApplicationModel>();
        var key = await model.Resources.OfType<ParameterResource>().Single(p => p.Name == "api-admin-key").GetValueAsync(ct);

        using var without = await http.PostAsync(new Uri("/api/admin/retrain", UriKind.Relative), null, ct);
        using var wrong = await PostWithKeyAsync(http, "wrong-key", ct);
        using var right = await PostWithKeyAsync(http, key!, ct);

        Assert.True(key!.Length >= 32);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        // Past the key check: accepted by the trainer, or a plain 503/502 while none is wired to the API.
        Assert.Contains(right.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway });
    }

    [Fact]
    public async Task Stats_report_consumer_lag_from_the_broker()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = appHost.App.CreateHttpClient("api", "http");
        var watch = Stopwatch.StartNew();
        JsonElement partitions = default;
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                var stats = await http.GetFromJsonAsync<JsonElement>("/api/stats", ct);
                partitions = stats.GetProperty("consumer_lag");
                if (partitions.GetArrayLength() > 0 && partitions.EnumerateArray().Any(p => p.GetProperty("lag").ValueKind == JsonValueKind.Number))
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500, ct);
        }

        Assert.Contains(partitions.EnumerateArray(), p => p.GetProperty("high_watermark").ValueKind == JsonValueKind.Number
            && p.GetProperty("lag").GetInt64() >= 0);
    }

    private static async Task<HttpResponseMessage> PostWithKeyAsync(HttpClient http, string key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/retrain");
        request.Headers.Add("X-Api-Key", key);
        return await http.SendAsync(request, ct);
    }
}
