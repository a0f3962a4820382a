using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.IntegrationTests.Api;
using TaxiAspire.IntegrationTests.Data;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.ModelRegistry;

namespace TaxiAspire.IntegrationTests.Training;

/// <summary>
/// The promotion gate end to end (issue 12 item 2): the trainer service's worker trains from a real taxidb into a local
/// registry, and the API reads the outcome back: the registry's tags, the trainer's log, <c>/api/models/status</c>
/// and the dashboard's HTML all tell the same decision and reason.
/// </summary>
public sealed class PromotionGateTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _registry = Path.Combine(Path.GetTempPath(), $"taxiaspire-gate-{Guid.NewGuid():N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Random_fares_promote_nothing_and_the_reason_shows_in_the_registry_the_log_the_api_and_the_dashboard()
    {
        await using var database = await TaxiDatabase.CreateAsync(postgres);
        // Real trips (distance, time, rate code) whose fares are drawn at random: nothing in a trip tells its fare.
        var random = new Random(12);
        var rows = await TrainingSamples.FirstRowsAsync(3000);
        await TaxidbTrips.WriteAsync(database, [.. rows.Select(r => r with { FareAmount = (float)Math.Round(3 + (random.NextDouble() * 57), 2) })], first: 0);

        await using var trainer = await TrainerHost.StartAsync(database.ConnectionString, _registry);
        var version = await trainer.WaitForVersionAsync("1");

        // Registry: registered, not champion, the decision and the figures behind it on the version.
        Assert.Null(await trainer.ChampionAsync());
        Assert.Equal(PromotionRecord.Refused, version.Tag(PromotionRecord.DecisionTag));
        var reason = version.Tag(PromotionRecord.ReasonTag);
        Assert.False(string.IsNullOrEmpty(reason));
        Assert.True(version.Metric("r2") <= 0 || version.Metric("mae") > 0.9 * version.Metric("baseline_mae"),
            $"refused although R² {version.Metric("r2")} and MAE {version.Metric("mae")} against the baseline's {version.Metric("baseline_mae")}");
        Assert.InRange(version.Metric("baseline_r2")!.Value, double.MinValue, 0);
        Assert.NotNull(version.Metric("baseline_fare"));

        // Log: one warning that names the version and carries the same reason.
        Assert.Single(trainer.Logs.GetSnapshot(), e => e.Level == LogLevel.Warning
            && e.Message.Contains("Refused to promote TaxiFarePrediction version 1", StringComparison.Ordinal)
            && e.Message.Contains(reason!, StringComparison.Ordinal));

        // API and dashboard, reading the same registry folder.
        await using var api = new ApiFactory(database.ConnectionString, new Dictionary<string, string?> { ["ConnectionStrings:mlflow"] = _registry });
        using var http = api.CreateClient();
        var status = await http.GetFromJsonAsync<JsonElement>("/api/models/status", Ct);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("champion_version").ValueKind);
        var latest = status.GetProperty("latest");
        Assert.Equal(1, latest.GetProperty("version").GetInt32());
        Assert.Equal("refused", latest.GetProperty("promotion").GetProperty("decision").GetString());
        Assert.Equal(reason, latest.GetProperty("promotion").GetProperty("reason").GetString());

        var page = WebUtility.HtmlDecode(await http.GetStringAsync(new Uri("/", UriKind.Relative), Ct));
        Assert.Contains(">refused</strong>", page, StringComparison.Ordinal);
        Assert.Contains(reason!, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_champion_a_refused_version_is_not_trained_again_at_every_poll_but_once_the_trips_have_doubled()
    {
        await using var database = await TaxiDatabase.CreateAsync(postgres);
        var random = new Random(13);
        var rows = (await TrainingSamples.FirstRowsAsync(6000)).Select(r => r with { FareAmount = (float)Math.Round(3 + (random.NextDouble() * 57), 2) }).ToList();
        await TaxidbTrips.WriteAsync(database, rows[..3000], first: 0);
        await using var trainer = await TrainerHost.StartAsync(database.ConnectionString, _registry);
        await trainer.WaitForVersionAsync("1");

        // A trickle of new trips: new inputs at every poll, each of which used to register another refused version.
        await TaxidbTrips.WriteAsync(database, rows[3000..3100], first: 3000);
        await trainer.WaitForLogAsync("waits until taxidb holds 6000 trips (now 3100)");
        Assert.Null(await trainer.Registry.GetVersionAsync(TrainerHost.Model, "2", Ct));

        await TaxidbTrips.WriteAsync(database, rows[3100..], first: 3100);
        var second = await trainer.WaitForVersionAsync("2");
        Assert.Equal(PromotionRecord.Refused, second.Tag(PromotionRecord.DecisionTag));
        // Trained on the 6,000 trips (a fifth held out; ~620 had it been made from the trickle's 3,100).
        Assert.InRange(second.Metric("holdout_rows")!.Value, 1_100, 1_200);
    }

    [Fact]
    public async Task A_model_that_learned_the_fares_is_promoted_and_drift_retraining_on_random_fares_cannot_replace_it()
    {
        await using var database = await TaxiDatabase.CreateAsync(postgres);
        var rows = await TrainingSamples.FirstRowsAsync(3000);
        await TaxidbTrips.WriteAsync(database, rows, first: 0);
        await using var trainer = await TrainerHost.StartAsync(database.ConnectionString, _registry, new Dictionary<string, string?>
        {
            ["Trainer:MaxTrainingRows"] = "3000",
            ["Trainer:DriftMinScoredTrips"] = "50",
        });

        var first = await trainer.WaitForVersionAsync("1");
        Assert.Equal("1", (await trainer.ChampionAsync())?.Version);
        Assert.Equal(PromotionRecord.Promoted, first.Tag(PromotionRecord.DecisionTag));
        Assert.StartsWith("beats the baseline", first.Tag(PromotionRecord.ReasonTag), StringComparison.Ordinal);
        Assert.True(first.Metric("mae") < 0.5 * first.Metric("baseline_mae"), $"MAE {first.Metric("mae")} against the baseline's {first.Metric("baseline_mae")}");
        Assert.InRange(first.Metric("r2")!.Value, 0.8, 1.0);

        // Then the fares stop making sense: newer trips with random fares, scored by the champion as the processor
        // would. Its live error jumps, the drift check retrains on them (the newest 3,000 trips), and the gate refuses.
        var random = new Random(13);
        var nonsense = rows.Select(r => r with { FareAmount = (float)Math.Round(3 + (random.NextDouble() * 57), 2) }).ToList();
        await TaxidbTrips.WriteAsync(database, nonsense, first: rows.Count, (n, row) => new TripScore((decimal)rows[n - 3000].FareAmount, "1", false));

        var second = await trainer.WaitForVersionAsync("2");
        Assert.Equal("drift", second.Tag("trigger"));
        Assert.Equal(PromotionRecord.Refused, second.Tag(PromotionRecord.DecisionTag));
        Assert.Equal("1", (await trainer.ChampionAsync())?.Version);
        Assert.Contains(trainer.Logs.GetSnapshot(), e => e.Level == LogLevel.Warning && e.Message.Contains("Refused to promote TaxiFarePrediction version 2 (trigger drift)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_champion_that_falls_below_its_baseline_on_live_trips_is_flagged_by_the_api_and_the_dashboard()
    {
        await using var database = await TaxiDatabase.CreateAsync(postgres);
        var registry = new ModelRegistry.Local.LocalFolderModelRegistry(_registry, TimeProvider.System);
        var champion = await registry.RegisterAsync(new ModelRegistration
        {
            ModelName = TrainerHost.Model,
            ExperimentName = "taxi-fare",
            ModelFile = new byte[] { 1 },
            Metrics = new Dictionary<string, double> { ["mae"] = 0.5, ["r2"] = 0.9, ["baseline_fare"] = 9.5, ["baseline_mae"] = 4 },
            Tags = new Dictionary<string, string> { [PromotionRecord.DecisionTag] = PromotionRecord.Promoted, [PromotionRecord.ReasonTag] = "test" },
        }, Ct);
        await registry.SetAliasAsync(TrainerHost.Model, ModelRegistryConventions.ChampionAlias, champion.Version, Ct);
        var rows = await TrainingSamples.FirstRowsAsync(600);
        await using var api = new ApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["ConnectionStrings:mlflow"] = _registry,
            ["ModelStatus:RecentTrips"] = "300",
            ["ModelStatus:MinScoredTrips"] = "100",
            ["ModelStatus:CacheFor"] = "00:00:00.100",
        });
        using var http = api.CreateClient();

        // While the champion predicts well (within a dollar), no warning.
        await TaxidbTrips.WriteAsync(database, rows[..300], first: 0, (_, row) => new TripScore((decimal)row.FareAmount + 0.5m, "1", false));
        var good = await http.GetFromJsonAsync<JsonElement>("/api/models/status", Ct);
        Assert.False(good.GetProperty("live").GetProperty("below_baseline").GetBoolean());
        Assert.Equal(0, good.GetProperty("warnings").GetArrayLength());

        // Then its predictions go $25 off the fares: predicting $9.50 for every trip would now do better.
        await TaxidbTrips.WriteAsync(database, rows[300..], first: 300, (_, row) => new TripScore((decimal)row.FareAmount + 25m, "1", true));
        var bad = await WaitForAsync(http, s => s.GetProperty("warnings").GetArrayLength() > 0);
        var live = bad.GetProperty("live");
        Assert.True(live.GetProperty("below_baseline").GetBoolean());
        Assert.Equal(300, live.GetProperty("scored_trips").GetInt64());
        Assert.Equal(25, live.GetProperty("champion_mae").GetDouble(), 2);
        var warning = bad.GetProperty("warnings")[0].GetString()!;
        Assert.Contains("Champion version 1 is doing no better than its baseline on live trips", warning, StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await http.GetStringAsync(new Uri("/", UriKind.Relative), Ct));
        Assert.Contains(warning, page, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient http, Func<JsonElement, bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var status = await http.GetFromJsonAsync<JsonElement>("/api/models/status", deadline.Token);
            if (condition(status))
            {
                return status;
            }

            // The status is cached for CacheFor (100 ms here); ask again until the new trips show.
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_registry))
        {
            Directory.Delete(_registry, recursive: true);
        }
    }
}
