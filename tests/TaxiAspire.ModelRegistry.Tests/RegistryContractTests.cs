using System.Text;
using Microsoft.Extensions.Time.Testing;
using TaxiAspire.ModelRegistry.Local;
using TaxiAspire.ModelRegistry.Mlflow;

namespace TaxiAspire.ModelRegistry.Tests;

/// <summary>
/// One behaviour, two implementations: every test here runs against the MLflow registry (over HTTP, against
/// <see cref="FakeMlflowServer"/> answering as MLflow 2.x and as 3.x) and against the local folder.
/// </summary>
public abstract class RegistryContractTests : IAsyncLifetime
{
    private const string Model = "TaxiFarePrediction";

    protected IModelRegistry Registry { get; set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public abstract ValueTask InitializeAsync();

    public abstract ValueTask DisposeAsync();

    private static ModelRegistration Registration(string content, double mae) => new()
    {
        ModelName = Model,
        ExperimentName = "taxi-fare",
        RunName = "test",
        ModelFile = Encoding.UTF8.GetBytes(content),
        Parameters = new Dictionary<string, string> { ["trainer"] = "LightGbm", ["rows"] = "1000" },
        Metrics = new Dictionary<string, double> { ["mae"] = mae, ["r2"] = 0.9 },
        Tags = new Dictionary<string, string> { ["source"] = "test" },
        TextArtifacts = new Dictionary<string, string> { ["data_summary.json"] = "{\"rows\":1000}" },
    };

    [Fact]
    public async Task Registering_numbers_versions_from_one()
    {
        var v1 = await Registry.RegisterAsync(Registration("a", 1.0), Ct);
        var v2 = await Registry.RegisterAsync(Registration("b", 0.5), Ct);

        Assert.Equal(("1", "2"), (v1.Version, v2.Version));
        Assert.Equal(Model, v2.ModelName);
        Assert.False(string.IsNullOrEmpty(v2.RunId));
        Assert.NotEqual(v1.RunId, v2.RunId);
    }

    [Fact]
    public async Task A_version_keeps_its_runs_metrics_and_model_file()
    {
        var registered = await Registry.RegisterAsync(Registration("model-bytes", 0.42), Ct);

        var read = await Registry.GetVersionAsync(Model, registered.Version, Ct);
        using var file = new MemoryStream();
        await Registry.DownloadModelAsync(read!, file, Ct);

        Assert.Equal(0.42, read!.Metric("mae"));
        Assert.Equal(0.9, read.Metric("r2"));
        Assert.Null(read.Metric("rmse"));
        Assert.Equal(registered.RunId, read.RunId);
        Assert.Equal("model-bytes", Encoding.UTF8.GetString(file.ToArray()));
    }

    [Fact]
    public async Task A_version_carries_its_runs_tags_in_every_read()
    {
        var registered = await Registry.RegisterAsync(Registration("a", 1.0), Ct);
        await Registry.SetAliasAsync(Model, ModelRegistryConventions.ChampionAlias, registered.Version, Ct);

        var read = await Registry.GetVersionAsync(Model, registered.Version, Ct);
        var listed = Assert.Single(await Registry.ListVersionsAsync(Model, Ct));
        var champion = await Registry.GetByAliasAsync(Model, ModelRegistryConventions.ChampionAlias, Ct);

        // A real server adds its own (mlflow.*) tags; ours must be among them.
        Assert.All(new[] { registered, read!, listed, champion! }, v => Assert.Equal("test", v.Tag("source")));
        Assert.Null(read!.Tag("absent"));
    }

    [Fact]
    public async Task Missing_models_versions_and_aliases_read_as_null()
    {
        Assert.Null(await Registry.GetByAliasAsync(Model, ModelRegistryConventions.ChampionAlias, Ct));
        Assert.Null(await Registry.GetVersionAsync(Model, "1", Ct));
        Assert.Empty(await Registry.ListVersionsAsync(Model, Ct));

        await Registry.RegisterAsync(Registration("a", 1), Ct);
        Assert.Null(await Registry.GetByAliasAsync(Model, ModelRegistryConventions.ChampionAlias, Ct));
        Assert.Null(await Registry.GetVersionAsync(Model, "7", Ct));
    }

    [Fact]
    public async Task The_champion_alias_moves_between_versions()
    {
        await Registry.RegisterAsync(Registration("a", 1.0), Ct);
        await Registry.RegisterAsync(Registration("b", 0.5), Ct);

        await Registry.SetAliasAsync(Model, ModelRegistryConventions.ChampionAlias, "1", Ct);
        Assert.Equal("1", (await Registry.GetByAliasAsync(Model, ModelRegistryConventions.ChampionAlias, Ct))!.Version);

        await Registry.SetAliasAsync(Model, ModelRegistryConventions.ChampionAlias, "2", Ct);
        var champion = await Registry.GetByAliasAsync(Model, ModelRegistryConventions.ChampionAlias, Ct);
        Assert.Equal("2", champion!.Version);
        Assert.Equal(0.5, champion.Metric("mae"));
    }

    [Fact]
    public async Task An_alias_cannot_point_at_a_version_that_does_not_exist()
    {
        await Registry.RegisterAsync(Registration("a", 1.0), Ct);

        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.SetAliasAsync(Model, ModelRegistryConventions.ChampionAlias, "5", Ct));
    }

    [Fact]
    public async Task Versions_are_listed_oldest_first()
    {
        for (var i = 0; i < 3; i++)
        {
            await Registry.RegisterAsync(Registration($"m{i}", i), Ct);
        }

        var versions = await Registry.ListVersionsAsync(Model, Ct);

        Assert.Equal(["1", "2", "3"], [.. versions.Select(v => v.Version)]);
        Assert.Equal([0.0, 1.0, 2.0], [.. versions.Select(v => v.Metric("mae")!.Value)]);
    }

    [Fact]
    public async Task Concurrent_registrations_get_distinct_versions()
    {
        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Registry.RegisterAsync(Registration($"c{i}", i), Ct)));

        Assert.Equal(["1", "2", "3", "4"], [.. versions.Select(v => v.Version).Order()]);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task A_metric_that_is_not_a_finite_number_is_refused_before_anything_is_stored(double mae)
    {
        var error = await Assert.ThrowsAsync<InvalidModelRegistrationException>(() => Registry.RegisterAsync(Registration("a", mae), Ct));

        Assert.Contains("mae=", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Registry.ListVersionsAsync(Model, Ct));
        await AssertNoRunWasStartedAsync("taxi-fare");
    }

    [Fact]
    public async Task A_version_whose_model_file_is_gone_reads_as_not_found()
    {
        var registered = await Registry.RegisterAsync(Registration("a", 1.0), Ct);
        await RemoveModelFileAsync(registered);

        using var file = new MemoryStream();
        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.DownloadModelAsync(registered, file, Ct));

        Assert.Contains("no model file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_that_is_not_a_number_reads_as_null()
    {
        await Registry.RegisterAsync(Registration("a", 1.0), Ct);

        Assert.Null(await Registry.GetVersionAsync(Model, "one", Ct));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => Registry.SetAliasAsync(Model, ModelRegistryConventions.ChampionAlias, "one", Ct));
    }

    /// <summary>Deletes the stored model file of a version behind the registry's back.</summary>
    protected abstract Task RemoveModelFileAsync(ModelVersionInfo version);

    /// <summary>Asserts that the experiment (or folder) holds no run at all.</summary>
    protected abstract Task AssertNoRunWasStartedAsync(string experimentName);
}

/// <summary>The registry over HTTP against the fake server, as MLflow 2.x answers.</summary>
public sealed class Mlflow2RegistryContractTests : MlflowRegistryContractTests
{
    protected override MlflowServerVersion ServerVersion => MlflowServerVersion.V2;
}

/// <summary>The registry over HTTP against the fake server, as MLflow 3.x answers.</summary>
public sealed class Mlflow3RegistryContractTests : MlflowRegistryContractTests
{
    protected override MlflowServerVersion ServerVersion => MlflowServerVersion.V3;
}

public abstract class MlflowRegistryContractTests : RegistryContractTests
{
    private FakeMlflowServer _server = null!;
    private MlflowTestClient _client = null!;

    protected abstract MlflowServerVersion ServerVersion { get; }

    public override async ValueTask InitializeAsync()
    {
        _server = await FakeMlflowServer.StartAsync(ServerVersion);
        _client = new MlflowTestClient(_server.BaseAddress);
        Registry = new MlflowModelRegistry(_client.Client, TimeProvider.System);
    }

    public override async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Assert.Empty(_server.UndocumentedFields);
        _client.Dispose();
        await _server.DisposeAsync();
    }

    protected override Task RemoveModelFileAsync(ModelVersionInfo version)
    {
        Assert.True(_server.RemoveArtifact(Assert.Single(_server.Artifacts.Keys, k => k.EndsWith($"{version.RunId}/artifacts/model/model.zip", StringComparison.Ordinal))));
        return Task.CompletedTask;
    }

    protected override async Task AssertNoRunWasStartedAsync(string experimentName)
    {
        if (await _client.Client.GetExperimentByNameAsync(experimentName, Ct) is { } experiment)
        {
            Assert.Empty((await _client.Client.SearchRunsAsync([experiment.ExperimentId], null, 100, null, null, Ct)).Items);
        }
    }

    [Fact]
    public async Task The_run_holds_params_metrics_files_and_an_mlmodel_descriptor()
    {
        var registered = await Registry.RegisterAsync(new ModelRegistration
        {
            ModelName = "M",
            ExperimentName = "x",
            ModelFile = new byte[] { 1, 2, 3 },
            Parameters = new Dictionary<string, string> { ["leaves"] = "64" },
            TextArtifacts = new Dictionary<string, string> { ["data_summary.json"] = "{}" },
        }, Ct);

        var run = await _client.Client.GetRunAsync(registered.RunId, Ct);
        Assert.Equal("FINISHED", run.Info.Status);
        Assert.Contains(run.Data!.Params!, p => p is { Key: "leaves", Value: "64" });
        Assert.Contains(_server.Artifacts.Keys, k => k.EndsWith($"{registered.RunId}/artifacts/model/model.zip", StringComparison.Ordinal));
        Assert.Contains(_server.Artifacts.Keys, k => k.EndsWith($"{registered.RunId}/artifacts/model/MLmodel", StringComparison.Ordinal));
        Assert.Contains(_server.Artifacts.Keys, k => k.EndsWith($"{registered.RunId}/artifacts/data_summary.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deleted_experiment_stops_registration_with_what_to_do()
    {
        var first = await Registry.RegisterAsync(new ModelRegistration { ModelName = "M", ExperimentName = "taxi-fare", ModelFile = new byte[] { 1 } }, Ct);
        var experimentId = (await _client.Client.GetRunAsync(first.RunId, Ct)).Info.ExperimentId;
        await _client.DeleteExperimentAsync(experimentId, Ct);

        var error = await Assert.ThrowsAsync<MlflowExperimentDeletedException>(() =>
            Registry.RegisterAsync(new ModelRegistration { ModelName = "M", ExperimentName = "taxi-fare", ModelFile = new byte[] { 2 } }, Ct));

        Assert.Equal(experimentId, error.ExperimentId);
        Assert.Contains($"mlflow experiments restore --experiment-id {experimentId}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"mlflow gc", error.Message, StringComparison.Ordinal);
        Assert.Contains("ModelRegistry__ExperimentName", error.Message, StringComparison.Ordinal);
        Assert.Single(await Registry.ListVersionsAsync("M", Ct));
        Assert.Equal(1, _server.Requests.Count(r => r.Path.EndsWith("/runs/create", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failure_after_the_run_started_leaves_it_failed_and_registers_nothing()
    {
        _server.FailWhile(r => r.Method == "PUT");

        await Assert.ThrowsAsync<MlflowUnavailableException>(() =>
            Registry.RegisterAsync(new ModelRegistration { ModelName = "M", ExperimentName = "x", ModelFile = new byte[] { 1 } }, Ct));

        _server.FailWhile(null);
        var experiment = await _client.Client.GetExperimentByNameAsync("x", Ct);
        var run = Assert.Single((await _client.Client.SearchRunsAsync([experiment!.ExperimentId], null, 10, null, null, Ct)).Items);
        Assert.Equal(MlflowRunStatus.Failed, run.Info.Status);
        Assert.NotNull(run.Info.EndTime);
        Assert.Empty(await Registry.ListVersionsAsync("M", Ct));
    }
}

public sealed class LocalFolderRegistryContractTests : RegistryContractTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "taxiaspire-registry-" + Guid.NewGuid().ToString("N"));

    public override ValueTask InitializeAsync()
    {
        Registry = new LocalFolderModelRegistry(_root, new FakeTimeProvider(DateTimeOffset.UtcNow));
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    protected override Task RemoveModelFileAsync(ModelVersionInfo version)
    {
        File.Delete(Path.Combine(_root, "models", version.ModelName, "versions", version.Version, ModelRegistryConventions.ModelFileName));
        return Task.CompletedTask;
    }

    protected override Task AssertNoRunWasStartedAsync(string experimentName)
    {
        Assert.False(Directory.Exists(Path.Combine(_root, "runs")) && Directory.EnumerateFileSystemEntries(Path.Combine(_root, "runs")).Any());
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Names_that_would_escape_the_folder_are_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.GetVersionAsync("../etc", "1", Ct));
}
