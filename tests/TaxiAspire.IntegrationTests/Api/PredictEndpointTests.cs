using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.IntegrationTests.Training;
using TaxiAspire.ModelRegistry.Local;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.IntegrationTests.Api;

/// <summary>
/// <c>POST /api/predict</c> over a real local-folder registry holding models trained on the NYC sample: the API follows
/// the champion alias with the same loader as the processor and scores with it.
/// </summary>
public sealed class PredictEndpointTests(PostgresFixture postgres) : IDisposable
{
    /// <summary>A 3-mile, 15-minute standard-rate ride: about $12 on the meter of the sample's years.</summary>
    private const string ThreeMileTrip = """
        {"vendor_id": 2, "pickup_datetime": "2026-11-25 14:00:00", "dropoff_datetime": "2026-11-25 14:15:00",
         "passenger_count": 1, "trip_distance": 3.0, "payment_type": 1, "rate_code_id": 1}
        """;

    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);

    private readonly string _registryDirectory = Path.Combine(Path.GetTempPath(), $"taxiaspire-predict-{Guid.NewGuid():N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Predict_scores_with_the_champion_and_names_its_version()
    {
        var registry = new LocalFolderModelRegistry(_registryDirectory, TimeProvider.System);
        var version = await TrainingSamples.TrainAndPromoteAsync(registry, iterations: 40);
        await using var api = await StartAsync();
        using var http = api.Factory.CreateClient();

        var prediction = await PredictUntilAsync(http, p => p.Status == HttpStatusCode.OK);

        var fare = prediction.Body.GetProperty("predicted_fare").GetDouble();
        Assert.InRange(fare, 8.0, 25.0);
        Assert.Equal(0.0, fare % 0.5); // snapped to the meter's grid, as the processor stores it
        Assert.Equal("TaxiFarePrediction", prediction.Body.GetProperty("model_name").GetString());
        Assert.Equal(int.Parse(version, System.Globalization.CultureInfo.InvariantCulture), prediction.Body.GetProperty("model_version").GetInt32());
    }

    [Fact]
    public async Task A_champion_promoted_later_is_picked_up_without_restarting()
    {
        var registry = new LocalFolderModelRegistry(_registryDirectory, TimeProvider.System);
        await TrainingSamples.TrainAndPromoteAsync(registry, iterations: 5);
        await using var api = await StartAsync();
        using var http = api.Factory.CreateClient();
        var first = await PredictUntilAsync(http, p => p.Status == HttpStatusCode.OK);

        var second = await TrainingSamples.TrainAndPromoteAsync(registry, iterations: 40);
        var reloaded = await PredictUntilAsync(http, p => p.Status == HttpStatusCode.OK && p.Body.GetProperty("model_version").GetInt32() == 2);

        Assert.Equal(1, first.Body.GetProperty("model_version").GetInt32());
        Assert.Equal("2", second);
        Assert.InRange(reloaded.Body.GetProperty("predicted_fare").GetDouble(), 8.0, 25.0);
    }

    [Fact]
    public async Task Predict_before_any_champion_is_a_503_problem_that_says_what_to_do_then_scores_once_one_is_promoted()
    {
        var registry = new LocalFolderModelRegistry(_registryDirectory, TimeProvider.System);
        await using var api = await StartAsync();
        using var http = api.Factory.CreateClient();

        var before = await PostAsync(http);
        var version = await TrainingSamples.TrainAndPromoteAsync(registry, iterations: 40);
        var after = await PredictUntilAsync(http, p => p.Status == HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.Status);
        Assert.Equal("application/problem+json", before.MediaType);
        Assert.Equal("No champion model", before.Body.GetProperty("title").GetString());
        Assert.Contains("/api/admin/retrain", before.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(version, after.Body.GetProperty("model_version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Predict_rejects_exactly_what_the_stream_rejects_for_the_same_reasons()
    {
        // No registry: a trip that passes the rules gets as far as "no champion" (503); one that breaks them is a 400
        // naming the reason. The stream's verdict comes from the validator the processor runs (DecodeAndValidate).
        await using var api = await StartAsync(withRegistry: false);
        using var http = api.Factory.CreateClient();
        var options = new TripValidationOptions();
        var stream = new TripValidator(options, TimeProvider.System);
        var now = stream.Clock.ToWallClock(TimeProvider.System.GetUtcNow());
        var clean = new TripEvent
        {
            VendorId = 2,
            PickupDateTime = now.AddHours(-2),
            DropoffDateTime = now.AddHours(-2).AddMinutes(15),
            PassengerCount = 1,
            TripDistance = 3.0,
            PickupLongitude = -73.98,
            PickupLatitude = 40.75,
            DropoffLongitude = -73.95,
            DropoffLatitude = 40.78,
            PaymentType = 1,
            RateCodeId = 1,
            FareAmount = 14.5m,
            TipAmount = 3m,
        };

        var mismatches = new List<string>();
        var cases = 0;
        foreach (var reason in TripDefects.Reasons)
        {
            for (var variant = 0; variant < TripDefects.VariantCount(reason); variant++)
            {
                var message = TripDefects.Create(reason, clean, now, options, variant);
                var expected = stream.DecodeAndValidate(message).Rejection?.Code;
                var answer = await PostAsync(http, message);
                var actual = answer.Status == HttpStatusCode.BadRequest ? answer.Body.GetProperty("reason").GetString() : $"HTTP {(int)answer.Status}";
                cases++;
                if (expected is null || actual != expected)
                {
                    mismatches.Add($"{reason} #{variant}: stream {expected ?? "accepts"}, predict {actual}");
                }
            }
        }

        var priced = await PostAsync(http, TripJsonCodec.Encode(clean));
        var unpriced = await PostAsync(http, Encoding.UTF8.GetBytes(ThreeMileTrip));

        Assert.Empty(mismatches);
        Assert.True(cases > TripDefects.Reasons.Count, $"{cases} cases");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (priced.Status, unpriced.Status));
    }

    public void Dispose()
    {
        if (Directory.Exists(_registryDirectory))
        {
            Directory.Delete(_registryDirectory, recursive: true);
        }
    }

    // The registry folder, a one-second champion poll, and room for the polling below under the predict rate limit.
    private Task<SeededApi> StartAsync(bool withRegistry = true) => SeededApi.CreateAsync(postgres, new Dictionary<string, string?>
    {
        ["ConnectionStrings:mlflow"] = withRegistry ? _registryDirectory : null,
        ["Scoring:ReloadInterval"] = "00:00:01",
        ["RateLimiting:Predict:PermitLimit"] = "100000",
    });

    /// <summary>Posts the trip every 100 ms until <paramref name="done"/> holds (the loader works in the background).</summary>
    private static async Task<Answer> PredictUntilAsync(HttpClient http, Func<Answer, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await PostAsync(http);
            if (done(answer))
            {
                return answer;
            }

            Assert.True(clock.Elapsed < LoadTimeout, $"Still {answer.Status} after {LoadTimeout}: {answer.Body}");
            await Task.Delay(100, Ct);
        }
    }

    private static Task<Answer> PostAsync(HttpClient http) => PostAsync(http, Encoding.UTF8.GetBytes(ThreeMileTrip));

    private static async Task<Answer> PostAsync(HttpClient http, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("/api/predict", UriKind.Relative), content, Ct);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    private sealed record Answer(HttpStatusCode Status, string? MediaType, JsonElement Body);
}
