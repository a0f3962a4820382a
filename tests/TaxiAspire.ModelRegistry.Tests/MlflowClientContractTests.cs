using System.Net;
using System.Text;
using TaxiAspire.ModelRegistry.Mlflow;

namespace TaxiAspire.ModelRegistry.Tests;

public sealed class Mlflow2ClientContractTests : MlflowClientContractTests
{
    protected override MlflowServerVersion ServerVersion => MlflowServerVersion.V2;
}

public sealed class Mlflow3ClientContractTests : MlflowClientContractTests
{
    protected override MlflowServerVersion ServerVersion => MlflowServerVersion.V3;
}

/// <summary>
/// Each client call against MLflow's REST API as the server answers it (see <see cref="FakeMlflowServer"/>), once
/// for 2.x and once for 3.x.
/// </summary>
public abstract class MlflowClientContractTests : IAsyncLifetime
{
    private FakeMlflowServer _server = null!;
    private MlflowTestClient _client = null!;

    protected abstract MlflowServerVersion ServerVersion { get; }

    private MlflowClient Client => _client.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeMlflowServer.StartAsync(ServerVersion);
        _client = new MlflowTestClient(_server.BaseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Assert.Empty(_server.UndocumentedFields);
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Experiment_get_or_create_looks_up_by_name_then_creates_once()
    {
        var first = await Client.GetOrCreateExperimentAsync("taxi fare", Ct);
        var second = await Client.GetOrCreateExperimentAsync("taxi fare", Ct);

        Assert.Equal(first, second);
        var requests = _server.Requests.ToList();
        Assert.Equal(("GET", "/api/2.0/mlflow/experiments/get-by-name", "?experiment_name=taxi%20fare"), (requests[0].Method, requests[0].Path, requests[0].Query));
        Assert.Equal(("POST", "/api/2.0/mlflow/experiments/create"), (requests[1].Method, requests[1].Path));
        Assert.Equal("taxi fare", (string)requests[1].Json["name"]!);
        Assert.Equal(3, requests.Count);
    }

    [Fact]
    public async Task Runs_are_created_logged_in_batches_and_finished()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("e", Ct);
        var run = await Client.CreateRunAsync(experiment, "trainer", [new MlflowTag("mlflow.source.name", "TaxiAspire.Trainer")], Ct);
        Assert.Equal("RUNNING", run.Status);
        Assert.StartsWith($"mlflow-artifacts:/{experiment}/", run.ArtifactUri, StringComparison.Ordinal);

        var metrics = Enumerable.Range(0, 1500).Select(i => new MlflowMetric("loss", i, 1_700_000_000_000 + i, i)).ToList();
        var parameters = Enumerable.Range(0, 150).Select(i => new MlflowParam($"p{i}", new string('x', 700))).ToList();
        await Client.LogBatchAsync(run.RunId, metrics, parameters, [new MlflowTag("t", "v")], Ct);
        var finished = await Client.FinishRunAsync(run.RunId, MlflowRunStatus.Finished, Ct);

        Assert.Equal("FINISHED", finished.Status);
        Assert.NotNull(finished.EndTime);
        var batches = _server.Requests.Where(r => r.Path.EndsWith("/runs/log-batch", StringComparison.Ordinal)).Select(r => r.Json).ToList();
        Assert.All(batches, b => Assert.Equal(run.RunId, (string)b["run_id"]!));
        Assert.Equal(1500, batches.Sum(b => b["metrics"]!.AsArray().Count));
        Assert.Equal(150, batches.Sum(b => b["params"]!.AsArray().Count));
        Assert.True(batches.Count >= 2);

        // runs/get carries each metric's latest point only (the history is metrics/get-history's job).
        var stored = await Client.GetRunAsync(run.RunId, Ct);
        Assert.Equal(new MlflowMetric("loss", 1499, 1_700_000_000_000 + 1499, 1499), Assert.Single(stored.Data!.Metrics!));
        Assert.Equal(150, stored.Data.Params!.Count);
        Assert.All(stored.Data.Params!, p => Assert.True(p.Value.Length <= MlflowLimits.MaxParamValueLength));
        var create = _server.Requests.Single(r => r.Path.EndsWith("/runs/create", StringComparison.Ordinal)).Json;
        Assert.Equal(experiment, (string)create["experiment_id"]!);
        Assert.Equal("trainer", (string)create["run_name"]!);
        Assert.True(create["start_time"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Artifacts_go_through_the_proxied_artifact_api()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("e", Ct);
        var run = await Client.CreateRunAsync(experiment, null, null, Ct);
        var bytes = Encoding.UTF8.GetBytes("model bytes");

        await Client.UploadArtifactAsync(run.ArtifactUri, "model/model.zip", bytes, Ct);
        using var downloaded = new MemoryStream();
        await Client.DownloadArtifactAsync(run.ArtifactUri, "model/model.zip", downloaded, Ct);

        Assert.Equal(bytes, downloaded.ToArray());
        var put = _server.Requests.Single(r => r.Method == "PUT");
        Assert.Equal($"/api/2.0/mlflow-artifacts/artifacts/{experiment}/{run.RunId}/artifacts/model/model.zip", put.Path);
    }

    [Theory]
    [InlineData("mlflow-artifacts:/1/abc/artifacts", "1/abc/artifacts/model/model.zip")]
    [InlineData("mlflow-artifacts://mlflow:5000/1/abc/artifacts/", "1/abc/artifacts/model/model.zip")]
    [InlineData("mlflow-artifacts:/1/a b/artifacts", "1/a%20b/artifacts/model/model.zip")]
    public void Artifact_uris_map_to_proxied_paths(string root, string expected) =>
        Assert.Equal(expected, MlflowClient.ProxiedPath(root, "model/model.zip"));

    [Fact]
    public void Artifact_roots_the_server_does_not_serve_are_refused() =>
        Assert.Throws<MlflowException>(() => MlflowClient.ProxiedPath("s3://bucket/1/abc/artifacts", "x"));

    [Fact]
    public async Task Registered_models_versions_aliases_and_search_follow_the_registry_api()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("e", Ct);
        var run = await Client.CreateRunAsync(experiment, null, null, Ct);
        var model = await Client.GetOrCreateRegisteredModelAsync("TaxiFarePrediction", "fares", Ct);
        Assert.Equal("TaxiFarePrediction", model.Name);
        Assert.Equal("fares", (string)_server.Requests.Single(r => r.Path.EndsWith("/registered-models/create", StringComparison.Ordinal)).Json["description"]!);

        var v1 = await Client.CreateModelVersionAsync("TaxiFarePrediction", run.ArtifactUri + "/model", run.RunId, null, Ct);
        var v2 = await Client.CreateModelVersionAsync("TaxiFarePrediction", run.ArtifactUri + "/model", run.RunId, null, Ct);
        Assert.Equal(("1", "2"), (v1.Version, v2.Version));

        Assert.Null(await Client.GetModelVersionByAliasAsync("TaxiFarePrediction", "champion", Ct));
        await Client.SetAliasAsync("TaxiFarePrediction", "champion", "1", Ct);
        await Client.SetAliasAsync("TaxiFarePrediction", "champion", "2", Ct);
        var champion = await Client.GetModelVersionByAliasAsync("TaxiFarePrediction", "champion", Ct);
        Assert.Equal("2", champion!.Version);
        Assert.Contains("champion", champion.Aliases!);

        var setAlias = _server.Requests.First(r => r.Path.EndsWith("/registered-models/alias", StringComparison.Ordinal) && r.Method == "POST").Json;
        Assert.Equal(["alias", "name", "version"], setAlias.Select(p => p.Key).Order());
        Assert.Equal("1", (string)setAlias["version"]!); // a string, as documented

        // Newest first by default (last_updated_timestamp DESC, then version DESC), one version per page here.
        var page1 = await Client.SearchModelVersionsAsync("name='TaxiFarePrediction'", 1, null, Ct);
        var page2 = await Client.SearchModelVersionsAsync("name='TaxiFarePrediction'", 1, page1.NextPageToken, Ct);
        Assert.Equal(["2", "1"], [.. page1.Items.Concat(page2.Items).Select(v => v.Version)]);
        Assert.NotNull(page1.NextPageToken);
        Assert.Null(page2.NextPageToken);
        Assert.Empty((await Client.SearchModelVersionsAsync("name='NoSuchModel'", 10, null, Ct)).Items);

        await Client.DeleteAliasAsync("TaxiFarePrediction", "champion", Ct);
        Assert.Null(await Client.GetModelVersionByAliasAsync("TaxiFarePrediction", "champion", Ct));
        Assert.Equal("1", (await Client.GetModelVersionAsync("TaxiFarePrediction", "1", Ct))!.Version);
        Assert.Null(await Client.GetModelVersionAsync("TaxiFarePrediction", "9", Ct));

        var runs = await Client.SearchRunsAsync([experiment], null, 10, ["attributes.start_time DESC"], null, Ct);
        Assert.Equal(run.RunId, Assert.Single(runs.Items).Info.RunId);
    }

    [Fact]
    public async Task Error_codes_become_typed_exceptions()
    {
        await Client.CreateExperimentAsync("dup", Ct);
        var exists = await Assert.ThrowsAsync<MlflowResourceAlreadyExistsException>(() => Client.CreateExperimentAsync("dup", Ct));
        Assert.Equal("RESOURCE_ALREADY_EXISTS", exists.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, exists.StatusCode);

        var missing = await Assert.ThrowsAsync<MlflowResourceNotFoundException>(() => Client.GetRunAsync("nope", Ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await Assert.ThrowsAsync<MlflowResourceNotFoundException>(() => Client.SetAliasAsync("nope", "champion", "1", Ct));
        var reserved = await Assert.ThrowsAsync<MlflowInvalidParameterException>(() => Client.SetAliasAsync("nope", "latest", "1", Ct));
        Assert.Contains("reserved", reserved.Message, StringComparison.Ordinal);
        Assert.IsType<MlflowPermissionDeniedException>(MlflowException.From("PERMISSION_DENIED", "no", HttpStatusCode.Forbidden));
        Assert.IsType<MlflowInvalidParameterException>(MlflowException.From("INVALID_PARAMETER_VALUE", "bad", HttpStatusCode.BadRequest));
        Assert.IsType<MlflowUnavailableException>(MlflowException.From(null, "html", HttpStatusCode.ServiceUnavailable));
    }

    [Fact]
    public async Task Transient_failures_are_retried()
    {
        _server.FailNext(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway);

        var id = await Client.CreateExperimentAsync("after-outage", Ct);

        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task A_persistent_outage_surfaces_as_unavailable_with_the_servers_text()
    {
        _server.FailNext(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 10).ToArray());

        var error = await Assert.ThrowsAsync<MlflowUnavailableException>(() => Client.CreateExperimentAsync("down", Ct));

        Assert.Contains("upstream unavailable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_alias_sends_its_parameters_in_a_json_body()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("e", Ct);
        var run = await Client.CreateRunAsync(experiment, null, null, Ct);
        await Client.GetOrCreateRegisteredModelAsync("M", null, Ct);
        await Client.CreateModelVersionAsync("M", run.ArtifactUri + "/model", run.RunId, null, Ct);
        await Client.SetAliasAsync("M", "champion", "1", Ct);

        await Client.DeleteAliasAsync("M", "champion", Ct);
        await Client.DeleteAliasAsync("M", "champion", Ct); // an alias that is not set: no error

        var delete = _server.Requests.First(r => r.Method == "DELETE");
        Assert.Equal(("/api/2.0/mlflow/registered-models/alias", string.Empty), (delete.Path, delete.Query));
        Assert.Equal(("M", "champion"), ((string)delete.Json["name"]!, (string)delete.Json["alias"]!));
        Assert.Null(await Client.GetModelVersionByAliasAsync("M", "champion", Ct));
        await Assert.ThrowsAsync<MlflowResourceNotFoundException>(() => Client.DeleteAliasAsync("NoSuchModel", "champion", Ct));
    }

    [Fact]
    public async Task A_deleted_experiment_is_not_reused()
    {
        var id = await Client.GetOrCreateExperimentAsync("taxi-fare", Ct);
        await _client.DeleteExperimentAsync(id, Ct);

        var error = await Assert.ThrowsAsync<MlflowExperimentDeletedException>(() => Client.GetOrCreateExperimentAsync("taxi-fare", Ct));

        Assert.Equal(("taxi-fare", id), (error.ExperimentName, error.ExperimentId));
        Assert.Contains("restore", error.Message, StringComparison.Ordinal);
        Assert.Contains("ModelRegistry:ExperimentName", error.Message, StringComparison.Ordinal);
        // What the server does with it, and why the client must not carry on: the name is taken, runs are refused.
        Assert.Equal("deleted", (await Client.GetExperimentByNameAsync("taxi-fare", Ct))!.LifecycleStage);
        await Assert.ThrowsAsync<MlflowResourceAlreadyExistsException>(() => Client.CreateExperimentAsync("taxi-fare", Ct));
        await Assert.ThrowsAsync<MlflowInvalidParameterException>(() => Client.CreateRunAsync(id, null, null, Ct));
    }

    [Fact]
    public async Task A_missing_artifact_is_not_found_and_not_retried_as_an_outage()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("e", Ct);
        var run = await Client.CreateRunAsync(experiment, null, null, Ct);
        await Client.UploadArtifactAsync(run.ArtifactUri, "model/MLmodel", new byte[] { 1 }, Ct);

        using var destination = new MemoryStream();
        var error = await Assert.ThrowsAsync<MlflowArtifactNotFoundException>(() => Client.DownloadArtifactAsync(run.ArtifactUri, "model/model.zip", destination, Ct));

        Assert.EndsWith("/model/model.zip", error.ArtifactPath, StringComparison.Ordinal);
        Assert.Contains("Artifact not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/model/model.zip", StringComparison.Ordinal)));
        Assert.Equal(0, destination.Length);
    }

    [Fact]
    public async Task Nan_and_infinite_metrics_travel_as_mlflow_stores_them()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("e", Ct);
        var run = await Client.CreateRunAsync(experiment, null, null, Ct);

        await Client.LogBatchAsync(run.RunId, [new("r2", double.NaN, 1), new("mae", double.PositiveInfinity, 1)], [], [], Ct);

        var sent = _server.Requests.Single(r => r.Path.EndsWith("/runs/log-batch", StringComparison.Ordinal)).Json["metrics"]!.AsArray();
        Assert.Equal(["NaN", "Infinity"], [.. sent.Select(m => m!["value"]!.GetValue<string>())]);
        var metrics = (await Client.GetRunAsync(run.RunId, Ct)).Data!.Metrics!.ToDictionary(m => m.Key, m => m.Value);
        Assert.True(double.IsNaN(metrics["r2"]));
        Assert.Equal(double.MaxValue, metrics["mae"]); // the SQL store keeps infinity as the largest double
    }

    [Fact]
    public async Task A_param_cannot_change_once_logged()
    {
        var experiment = await Client.GetOrCreateExperimentAsync("e", Ct);
        var run = await Client.CreateRunAsync(experiment, null, null, Ct);
        await Client.LogBatchAsync(run.RunId, [], [new("leaves", "64")], [], Ct);
        await Client.LogBatchAsync(run.RunId, [], [new("leaves", "64")], [], Ct);

        await Assert.ThrowsAsync<MlflowInvalidParameterException>(() => Client.LogBatchAsync(run.RunId, [], [new("leaves", "32")], [], Ct));
    }

    [Fact]
    public void Log_batch_splits_stay_within_every_limit()
    {
        var metrics = Enumerable.Range(0, 2345).Select(i => new MlflowMetric($"m{i}", i, 0)).ToList();
        var parameters = Enumerable.Range(0, 250).Select(i => new MlflowParam($"p{i}", "v")).ToList();
        var tags = Enumerable.Range(0, 120).Select(i => new MlflowTag($"t{i}", "v")).ToList();

        var batches = MlflowClient.SplitBatch("r", metrics, parameters, tags).ToList();

        Assert.All(batches, b =>
        {
            Assert.InRange(b.Metrics.Count, 0, MlflowLimits.MaxMetricsPerBatch);
            Assert.InRange(b.Params.Count, 0, MlflowLimits.MaxParamsPerBatch);
            Assert.InRange(b.Tags.Count, 0, MlflowLimits.MaxTagsPerBatch);
            Assert.InRange(b.Metrics.Count + b.Params.Count + b.Tags.Count, 1, MlflowLimits.MaxEntitiesPerBatch);
        });
        Assert.Equal((2345, 250, 120), (batches.Sum(b => b.Metrics.Count), batches.Sum(b => b.Params.Count), batches.Sum(b => b.Tags.Count)));
    }
}
