using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaxiAspire.IntegrationTests.Infrastructure;

namespace TaxiAspire.IntegrationTests.Api;

public class WriteEndpointTests(PostgresFixture postgres)
{
    private const string ValidTrip = """
        {"vendor_id": 2, "pickup_datetime": "2026-11-25 08:15:00", "passenger_count": 1, "trip_distance": 3.2,
         "pickup_longitude": -73.98, "pickup_latitude": 40.75, "dropoff_longitude": -73.95, "dropoff_latitude": 40.78, "payment_type": 1}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The stream's reason codes, and a detail that names the field when there is one.
    [Theory]
    [InlineData("{not json", "malformed_json", null)]
    [InlineData("[1, 2]", "malformed_json", null)]
    [InlineData("""{"vendor_id": "two", "pickup_datetime": "2026-11-25 08:15:00"}""", "invalid_field_type", "vendor_id")]
    [InlineData("""{"vendor_id": 2, "pickup_datetime": "25/11/2026", "passenger_count": 1, "trip_distance": 1, "payment_type": 1}""", "invalid_field_type", "pickup_datetime")]
    [InlineData("""{"vendor_id": 2, "pickup_datetime": "2026-11-25 08:15:00", "passenger_count": 1, "trip_distance": -4, "payment_type": 1}""", "invalid_distance", "trip_distance")]
    [InlineData("""{"vendor_id": 2, "pickup_datetime": "2026-11-25 08:15:00", "passenger_count": 1, "trip_distance": 4}""", "missing_field", "payment_type")]
    [InlineData("""{"vendor_id": 2, "pickup_datetime": "2026-11-25 08:15:00", "passenger_count": 1, "trip_distance": 4, "payment_type": 1, "pickup_latitude": 123}""", "outside_nyc", null)]
    public async Task Predict_refuses_malformed_trips_with_the_streams_reason(string body, string reason, string? field)
    {
        await using var api = await SeededApi.CreateAsync(postgres);
        using var http = api.Factory.CreateClient();

        using var response = await http.PostAsync(new Uri("/api/predict", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        if (field is not null)
        {
            Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Predict_refuses_a_body_that_is_not_json_with_415()
    {
        await using var api = await SeededApi.CreateAsync(postgres);
        using var http = api.Factory.CreateClient();

        using var response = await http.PostAsync(new Uri("/api/predict", UriKind.Relative), new StringContent(ValidTrip, Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Predict_without_a_champion_is_503_and_is_rate_limited()
    {
        await using var api = await SeededApi.CreateAsync(postgres, new Dictionary<string, string?>
        {
            ["RateLimiting:Predict:PermitLimit"] = "3",
            ["RateLimiting:Predict:Window"] = "00:01:00",
        });
        using var http = api.Factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await http.PostAsync(new Uri("/api/predict", UriKind.Relative), new StringContent(ValidTrip, Encoding.UTF8, "application/json"), Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal(
            [HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            statuses);
    }

    [Fact]
    public async Task Retrain_needs_the_admin_key()
    {
        await using var api = await SeededApi.CreateAsync(postgres);
        using var http = api.Factory.CreateClient();

        using var without = await http.PostAsync(new Uri("/api/admin/retrain", UriKind.Relative), null, Ct);
        using var wrong = await SendWithKeyAsync(http, "not-the-key");
        using var right = await SendWithKeyAsync(http, ApiFactory.AdminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        // The key is right; no trainer is deployed in this test, which the API says plainly.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, right.StatusCode);
        Assert.Contains("trainer", await right.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_database_failure_is_a_500_problem_without_a_stack_trace()
    {
        // Port 1 on loopback refuses at once: the failure is real, not simulated.
        await using var factory = new ApiFactory("Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2");
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(new Uri("/api/trips", UriKind.Relative), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/retrain");
        request.Headers.Add("X-Api-Key", key);
        return await http.SendAsync(request, Ct);
    }
}
