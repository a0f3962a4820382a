using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaxiAspire.IntegrationTests.Infrastructure;

namespace TaxiAspire.IntegrationTests.Api;

/// <summary>40 trips (20 per vendor, one a minute), two rejects and stored progress, shared by the read tests.</summary>
public sealed class ReadEndpointsFixture(PostgresFixture postgres) : IAsyncLifetime
{
    internal SeededApi Api { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Api = await SeededApi.CreateAsync(postgres);
        await Api.WriteTripsAsync(0, 40, [SeededApi.Reject(100, "malformed_json"), SeededApi.Reject(101, "non_positive_total")]);
        // The processor's scoring columns (migration 0010), set as it would for two far-off fares.
        await Api.Database.ScalarAsync<int>("""
            WITH scored AS (UPDATE trips SET prediction = 30.5, model_version = '4', is_fare_anomaly = true
                            WHERE trip_id IN ('trip-00005', 'trip-00006') RETURNING 1)
            SELECT count(*)::int FROM scored
            """);
        Client = Api.Factory.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
    }
}

public class ReadEndpointTests(ReadEndpointsFixture fixture) : IClassFixture<ReadEndpointsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Client;

    [Fact]
    public async Task Trips_come_newest_first_and_keyset_pages_do_not_overlap()
    {
        using var first = await Http.GetAsync(new Uri("/api/trips?limit=15", UriKind.Relative), Ct);
        var page1 = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var cursor = first.Headers.GetValues("X-Next-Cursor").Single();
        Assert.Contains("before=" + cursor, first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        using var second = await Http.GetAsync(new Uri($"/api/trips?limit=15&before={cursor}", UriKind.Relative), Ct);
        var page2 = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var cursor2 = second.Headers.GetValues("X-Next-Cursor").Single();
        using var last = await Http.GetAsync(new Uri($"/api/trips?limit=15&before={cursor2}", UriKind.Relative), Ct);
        var third = await last.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var ids = page1.EnumerateArray().Concat(page2.EnumerateArray()).Select(t => t.GetProperty("trip_id").GetString()).ToList();

        Assert.Equal("trip-00039", ids[0]);
        Assert.Equal(30, ids.Distinct().Count());
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
        Assert.False(last.Headers.Contains("X-Next-Cursor"));
        Assert.Equal(10, third.GetArrayLength());
    }

    [Fact]
    public async Task Trips_filter_by_vendor_time_range_and_anomaly_flag()
    {
        var from = SeededApi.Start.AddMinutes(10).ToString("O");
        var to = SeededApi.Start.AddMinutes(20).ToString("O");
        var trips = await Http.GetFromJsonAsync<JsonElement>($"/api/trips?vendor=2&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", Ct);

        // Minutes 10..19, odd ones are vendor 2.
        Assert.Equal(["trip-00019", "trip-00017", "trip-00015", "trip-00013", "trip-00011"],
            trips.EnumerateArray().Select(t => t.GetProperty("trip_id").GetString()).ToArray());
        Assert.All(trips.EnumerateArray(), t => Assert.Equal(2, t.GetProperty("vendor_id").GetInt32()));

        var notFlagged = await Http.GetFromJsonAsync<JsonElement>("/api/trips?anomaly=false&limit=100", Ct);
        Assert.Equal(38, notFlagged.GetArrayLength());
        var flagged = await Http.GetFromJsonAsync<JsonElement>("/api/trips?anomaly=true", Ct);
        Assert.Equal(["trip-00006", "trip-00005"], flagged.EnumerateArray().Select(t => t.GetProperty("trip_id").GetString()).ToArray());
        Assert.All(flagged.EnumerateArray(), t =>
        {
            Assert.Equal(30.5, t.GetProperty("predicted_fare").GetDouble());
            Assert.Equal("4", t.GetProperty("model_version").GetString());
        });
    }

    [Theory]
    [InlineData("/api/trips?limit=0", "limit")]
    [InlineData("/api/trips?limit=abc", "limit")]
    [InlineData("/api/trips?vendor=x", "vendor")]
    [InlineData("/api/trips?from=yesterday", "from")]
    [InlineData("/api/trips?from=2026-11-25T12:00:00Z&to=2026-11-25T11:00:00Z", "to")]
    [InlineData("/api/trips?anomaly=maybe", "anomaly")]
    [InlineData("/api/trips?before=-3", "before")]
    [InlineData("/api/windows?vendor=0", "vendor")]
    [InlineData("/api/windows?to=soon", "to")]
    [InlineData("/api/windows?limit=999999", "limit")]
    [InlineData("/api/dead-letters?reason=%27%3B%20drop%20table%20trips", "reason")]
    [InlineData("/api/dead-letters?limit=-1", "limit")]
    [InlineData("/api/models/latest", "version")]
    public async Task Invalid_parameters_get_a_400_problem_naming_the_field(string url, string field)
    {
        using var response = await Http.GetAsync(new Uri(url, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Windows_give_averages_per_vendor()
    {
        var windows = await Http.GetFromJsonAsync<JsonElement>("/api/windows?vendor=2", Ct);

        var all = windows.EnumerateArray().ToList();
        Assert.NotEmpty(all);
        Assert.All(all, w =>
        {
            Assert.Equal(2, w.GetProperty("vendor_id").GetInt32());
            Assert.Equal(11m, w.GetProperty("avg_fare").GetDecimal());
            Assert.Equal(4m, w.GetProperty("avg_tip").GetDecimal());
            Assert.Equal(15m, w.GetProperty("avg_total").GetDecimal());
            Assert.Equal(JsonValueKind.Null, w.GetProperty("model_mae").ValueKind);
        });
        // Newest first; minutes 0..39 from 12:00 touch windows starting 11:55 .. 12:35, five minutes apart.
        Assert.Equal(SeededApi.Start.AddMinutes(35), all[0].GetProperty("window_start").GetDateTimeOffset());
        Assert.Equal(9, all.Count);
        Assert.Equal(5, all.Single(w => w.GetProperty("window_start").GetDateTimeOffset() == SeededApi.Start).GetProperty("trip_count").GetInt64());
    }

    [Fact]
    public async Task Stats_count_trips_rejects_by_reason_and_stored_progress()
    {
        var stats = await Http.GetFromJsonAsync<JsonElement>("/api/stats", Ct);

        Assert.Equal(40, stats.GetProperty("trips_stored").GetInt64());
        Assert.Equal(2, stats.GetProperty("messages_rejected").GetInt64());
        Assert.Equal(420m, stats.GetProperty("fare_total").GetDecimal());
        Assert.Equal(["malformed_json", "non_positive_total"],
            stats.GetProperty("rejects_by_reason").EnumerateArray().Select(r => r.GetProperty("reason").GetString()).Order(StringComparer.Ordinal).ToArray());
        var partition = Assert.Single(stats.GetProperty("consumer_lag").EnumerateArray());
        Assert.Equal(40, partition.GetProperty("stored_offset").GetInt64());
        Assert.Equal(JsonValueKind.Null, partition.GetProperty("lag").ValueKind); // no Kafka configured: unknown, not zero
        Assert.True(stats.GetProperty("trips_per_second").GetDouble() > 0);
    }

    [Fact]
    public async Task Dead_letters_list_the_latest_rejects_with_reasons_and_payloads()
    {
        var letters = await Http.GetFromJsonAsync<JsonElement>("/api/dead-letters?reason=malformed_json", Ct);

        var letter = Assert.Single(letters.EnumerateArray());
        Assert.Equal(100, letter.GetProperty("offset").GetInt64());
        Assert.Equal("{\"vendor_id\": \"x\"}", letter.GetProperty("payload").GetString());
        Assert.Equal(2, (await Http.GetFromJsonAsync<JsonElement>("/api/dead-letters", Ct)).GetArrayLength());
    }

    [Fact]
    public async Task Models_answer_honestly_without_a_registry()
    {
        var models = await Http.GetFromJsonAsync<JsonElement>("/api/models", Ct);
        using var champion = await Http.GetAsync(new Uri("/api/models/champion", UriKind.Relative), Ct);
        using var unknown = await Http.GetAsync(new Uri("/api/models/7", UriKind.Relative), Ct);

        Assert.Equal(0, models.GetProperty("versions").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, champion.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_paths_get_404_and_the_reference_documents_exist()
    {
        using var missing = await Http.GetAsync(new Uri("/api/nothing-here", UriKind.Relative), Ct);
        var openApi = await Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        using var scalar = await Http.GetAsync(new Uri("/scalar", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        foreach (var path in new[] { "/api/trips", "/api/windows", "/api/stats", "/api/models", "/api/predict", "/api/admin/retrain", "/api/dead-letters" })
        {
            Assert.Contains($"\"{path}\"", openApi, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }

    [Fact]
    public async Task The_page_carries_security_headers_and_cors_stays_closed()
    {
        using var page = await Http.GetAsync(new Uri("/", UriKind.Relative), Ct);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/trips");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var cors = await Http.SendAsync(preflight, Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(cors.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
