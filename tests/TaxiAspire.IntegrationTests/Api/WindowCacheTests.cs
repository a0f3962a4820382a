extern alias api;

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TaxiAspire.IntegrationTests.Infrastructure;

namespace TaxiAspire.IntegrationTests.Api;

/// <summary>
/// <c>/api/windows</c> is served from answers cached per query for at most a second (the endpoint's stated freshness).
/// The API's clock is a fake here, so "a second later" is exact and no assertion depends on how fast the machine is.
/// </summary>
public class WindowCacheTests(PostgresFixture postgres)
{
    private static readonly TimeSpan StatedFreshness = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_query_gets_its_own_answer_and_equal_queries_share_one()
    {
        await using var clocked = await ClockedApi.CreateAsync(postgres, 40);
        var http = clocked.Http;
        var from = Uri.EscapeDataString(SeededApi.Start.ToString("O"));
        var to = Uri.EscapeDataString(SeededApi.Start.AddMinutes(10).ToString("O"));

        var all = await WindowsAsync(http, "/api/windows");
        var vendor1 = await WindowsAsync(http, "/api/windows?vendor=1");
        var vendor2 = await WindowsAsync(http, "/api/windows?vendor=2");
        var range = await WindowsAsync(http, $"/api/windows?from={from}&to={to}");
        var limited = await WindowsAsync(http, "/api/windows?vendor=2&limit=3");
        var sameAsVendor1 = await WindowsAsync(http, "/api/windows?vendor=01&limit=288");

        // Minutes 0..39 from 12:00 touch windows starting 11:55 .. 12:35 for each vendor.
        Assert.Equal(18, all.Count);
        Assert.Equal(9, vendor1.Count);
        Assert.All(vendor1, w => Assert.Equal(1, w.Vendor));
        Assert.Equal(9, vendor2.Count);
        Assert.All(vendor2, w => Assert.Equal(2, w.Vendor));
        Assert.Equal([SeededApi.Start.AddMinutes(5), SeededApi.Start.AddMinutes(5), SeededApi.Start, SeededApi.Start], range.Select(w => w.Start));
        Assert.Equal(vendor2.Take(3), limited);
        Assert.Equal(vendor1, sameAsVendor1);
    }

    [Fact]
    public async Task New_windows_appear_once_the_cached_answer_reaches_the_stated_age()
    {
        await using var clocked = await ClockedApi.CreateAsync(postgres, 20);
        var (api, time, http) = (clocked.Api, clocked.Time, clocked.Http);
        var newest = SeededApi.Start.AddMinutes(60);

        var before = await WindowsAsync(http, "/api/windows?vendor=1");
        await api.WriteTripsAsync(60, 2);
        var sameMoment = await WindowsAsync(http, "/api/windows?vendor=1");
        using var invalid = await http.GetAsync(new Uri("/api/windows?vendor=1&limit=0", UriKind.Relative), Ct);
        time.Advance(StatedFreshness);
        var after = await WindowsAsync(http, "/api/windows?vendor=1");
        var otherVendor = await WindowsAsync(http, "/api/windows?vendor=2");

        // Within the second the cached answer may be served; at a second old it no longer is.
        Assert.Equal(before, sameMoment);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.DoesNotContain(before, w => w.Start == newest);
        Assert.Equal(newest, after[0].Start);
        Assert.Equal(1, after[0].Trips);
        Assert.Equal(newest, otherVendor[0].Start);
    }

    [Fact]
    public async Task A_polled_answer_is_refreshed_in_the_background_before_it_expires()
    {
        await using var clocked = await ClockedApi.CreateAsync(postgres, 20);
        var (api, time, http) = (clocked.Api, clocked.Time, clocked.Http);
        var newest = SeededApi.Start.AddMinutes(60);

        await WindowsAsync(http, "/api/windows");
        await api.WriteTripsAsync(60, 2);
        // Past half the stated age a request starts one background read and is answered without waiting for it;
        // the clock then stands still, so the new windows can only come from that read.
        time.Advance(StatedFreshness * 0.6);
        await WindowsAsync(http, "/api/windows");
        var refreshed = false;
        for (var attempt = 0; attempt < 200 && !refreshed; attempt++)
        {
            refreshed = (await WindowsAsync(http, "/api/windows"))[0].Start == newest;
            if (!refreshed)
            {
                await Task.Delay(50, Ct);
            }
        }

        Assert.True(refreshed, "the background read never replaced the answer");
    }

    private static async Task<List<Window>> WindowsAsync(HttpClient http, string path)
    {
        var json = await http.GetFromJsonAsync<JsonElement>(path, Ct);
        return [.. json.EnumerateArray().Select(w => new Window(
            w.GetProperty("vendor_id").GetInt32(), w.GetProperty("window_start").GetDateTimeOffset(), w.GetProperty("trip_count").GetInt64()))];
    }

    private sealed record Window(int Vendor, DateTimeOffset Start, long Trips);

    /// <summary>A seeded API whose clock only moves when the test says so.</summary>
    private sealed class ClockedApi(SeededApi api, FakeTimeProvider time, WebApplicationFactory<api::Program> factory) : IAsyncDisposable
    {
        public SeededApi Api => api;

        public FakeTimeProvider Time => time;

        public HttpClient Http { get; } = factory.CreateClient();

        public static async Task<ClockedApi> CreateAsync(PostgresFixture postgres, int trips)
        {
            var api = await SeededApi.CreateAsync(postgres);
            await api.WriteTripsAsync(0, trips);
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            return new ClockedApi(api, time, api.Factory.WithWebHostBuilder(
                web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time))));
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await factory.DisposeAsync();
            await api.DisposeAsync();
        }
    }
}
