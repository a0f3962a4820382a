using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.ModelRegistry;
using TaxiAspire.ModelRegistry.Local;

namespace TaxiAspire.IntegrationTests.Api;

/// <summary>The model endpoints over a real registry: the local-folder implementation the AppHost uses without MLflow.</summary>
public sealed class ModelEndpointTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _registryDirectory = Path.Combine(Path.GetTempPath(), $"taxiaspire-api-registry-{Guid.NewGuid():N}");

    [Fact]
    public async Task Models_list_versions_with_metrics_and_name_the_champion()
    {
        var ct = TestContext.Current.CancellationToken;
        var registry = new LocalFolderModelRegistry(_registryDirectory, TimeProvider.System);
        await registry.RegisterAsync(Registration(mae: 0.61), ct);
        var second = await registry.RegisterAsync(Registration(mae: 0.41), ct);
        await registry.SetAliasAsync("TaxiFarePrediction", ModelRegistryConventions.ChampionAlias, second.Version, ct);
        await using var api = await SeededApi.CreateAsync(postgres, new Dictionary<string, string?> { ["ConnectionStrings:mlflow"] = _registryDirectory });
        using var http = api.Factory.CreateClient();

        var models = await http.GetFromJsonAsync<JsonElement>("/api/models", ct);
        var champion = await http.GetFromJsonAsync<JsonElement>("/api/models/champion", ct);
        var first = await http.GetFromJsonAsync<JsonElement>("/api/models/1", ct);
        using var unknown = await http.GetAsync(new Uri("/api/models/9", UriKind.Relative), ct);

        Assert.Equal(int.Parse(second.Version, System.Globalization.CultureInfo.InvariantCulture), models.GetProperty("champion_version").GetInt32());
        Assert.Equal(2, models.GetProperty("versions").GetArrayLength());
        Assert.Equal(0.41, champion.GetProperty("metrics").GetProperty("mae").GetDouble(), 6);
        Assert.Equal("champion", champion.GetProperty("aliases")[0].GetString());
        Assert.Equal(0, first.GetProperty("aliases").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static ModelRegistration Registration(double mae) => new()
    {
        ModelName = "TaxiFarePrediction",
        ExperimentName = "taxi-fare",
        ModelFile = new byte[] { 1, 2, 3 },
        Metrics = new Dictionary<string, double> { ["mae"] = mae, ["rmse"] = mae * 2, ["r2"] = 0.95 },
    };

    public void Dispose()
    {
        if (Directory.Exists(_registryDirectory))
        {
            Directory.Delete(_registryDirectory, recursive: true);
        }
    }
}
