using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace TaxiAspire.ModelRegistry.Mlflow;

/// <summary>
/// A client of MLflow's REST API (<c>/api/2.0/mlflow/...</c>) and of the tracking server's proxied artifact API
/// (<c>/api/2.0/mlflow-artifacts/artifacts/...</c>). No maintained .NET client exists; this covers what the model
/// lifecycle needs. Errors become <see cref="MlflowException"/> subclasses; transient failures are retried by the
/// resilience handler of the <see cref="HttpClient"/> (see <see cref="ModelRegistryServiceCollectionExtensions"/>).
/// </summary>
public sealed class MlflowClient(HttpClient http, TimeProvider timeProvider)
{
    private const string Api = "api/2.0/mlflow/";
    private const string ArtifactsApi = "api/2.0/mlflow-artifacts/artifacts/";
    private const string ProxiedArtifactScheme = "mlflow-artifacts:";

    private static MlflowJsonContext Json => MlflowJsonContext.Default;

    // ---- experiments

    public async Task<MlflowExperiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await GetAsync($"experiments/get-by-name?experiment_name={Uri.EscapeDataString(name)}", Json.GetExperimentResponse, cancellationToken);
            return response.Experiment;
        }
        catch (MlflowResourceNotFoundException)
        {
            return null;
        }
    }

    public async Task<string> CreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        var response = await PostAsync("experiments/create", new CreateExperimentRequest(name), Json.CreateExperimentRequest, Json.CreateExperimentResponse, cancellationToken);
        return response.ExperimentId;
    }

    /// <summary>
    /// The experiment's id, creating it when missing (a concurrent creator wins the race harmlessly). A deleted
    /// experiment is not reused: get-by-name returns it with lifecycle_stage "deleted" and runs/create would answer
    /// 400 (tracking sqlalchemy_store: get_experiment_by_name reads ViewType.ALL; _check_experiment_is_active).
    /// </summary>
    /// <exception cref="MlflowExperimentDeletedException">The experiment exists but is deleted.</exception>
    public async Task<string> GetOrCreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        if (await GetExperimentByNameAsync(name, cancellationToken) is { } existing)
        {
            return ActiveId(existing);
        }

        try
        {
            return await CreateExperimentAsync(name, cancellationToken);
        }
        catch (MlflowResourceAlreadyExistsException)
        {
            return await GetExperimentByNameAsync(name, cancellationToken) is { } created
                ? ActiveId(created)
                : throw new MlflowException($"Experiment '{name}' exists yet cannot be read.");
        }
    }

    private static string ActiveId(MlflowExperiment experiment) =>
        string.Equals(experiment.LifecycleStage, MlflowLifecycleStage.Deleted, StringComparison.OrdinalIgnoreCase)
            ? throw new MlflowExperimentDeletedException(experiment.Name, experiment.ExperimentId)
            : experiment.ExperimentId;

    // ---- runs

    public async Task<MlflowRunInfo> CreateRunAsync(string experimentId, string? runName, IReadOnlyList<MlflowTag>? tags, CancellationToken cancellationToken)
    {
        var request = new CreateRunRequest(experimentId, runName, NowMilliseconds(), tags);
        var response = await PostAsync("runs/create", request, Json.CreateRunRequest, Json.RunResponse, cancellationToken);
        return response.Run.Info;
    }

    public async Task<MlflowRun> GetRunAsync(string runId, CancellationToken cancellationToken) =>
        (await GetAsync($"runs/get?run_id={Uri.EscapeDataString(runId)}", Json.RunResponse, cancellationToken)).Run;

    /// <summary>Ends a run (<see cref="MlflowRunStatus.Finished"/>, <see cref="MlflowRunStatus.Failed"/>…).</summary>
    public async Task<MlflowRunInfo> FinishRunAsync(string runId, string status, CancellationToken cancellationToken)
    {
        var request = new UpdateRunRequest(runId, status, NowMilliseconds());
        return (await PostAsync("runs/update", request, Json.UpdateRunRequest, Json.UpdateRunResponse, cancellationToken)).RunInfo;
    }

    /// <summary>Logs any number of metrics, params and tags, split into requests within MLflow's log-batch limits.</summary>
    public async Task LogBatchAsync(string runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<MlflowParam> parameters, IReadOnlyList<MlflowTag> tags, CancellationToken cancellationToken)
    {
        foreach (var batch in SplitBatch(runId, metrics, parameters, tags))
        {
            await PostAsync("runs/log-batch", batch, Json.LogBatchRequest, Json.EmptyResponse, cancellationToken);
        }
    }

    internal static IEnumerable<LogBatchRequest> SplitBatch(string runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyList<MlflowParam> parameters, IReadOnlyList<MlflowTag> tags)
    {
        int m = 0, p = 0, t = 0;
        while (m < metrics.Count || p < parameters.Count || t < tags.Count)
        {
            // Params and tags first (small caps), metrics fill what is left of the 1000 entities.
            var takeParams = Math.Min(MlflowLimits.MaxParamsPerBatch, parameters.Count - p);
            var takeTags = Math.Min(MlflowLimits.MaxTagsPerBatch, tags.Count - t);
            var takeMetrics = Math.Min(Math.Min(MlflowLimits.MaxMetricsPerBatch, MlflowLimits.MaxEntitiesPerBatch - takeParams - takeTags), metrics.Count - m);
            yield return new LogBatchRequest(
                runId,
                [.. metrics.Skip(m).Take(takeMetrics)],
                [.. parameters.Skip(p).Take(takeParams).Select(Truncate)],
                [.. tags.Skip(t).Take(takeTags)]);
            m += takeMetrics;
            p += takeParams;
            t += takeTags;
        }
    }

    private static MlflowParam Truncate(MlflowParam param) =>
        param.Value.Length <= MlflowLimits.MaxParamValueLength ? param : param with { Value = param.Value[..MlflowLimits.MaxParamValueLength] };

    public async Task<MlflowPage<MlflowRun>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter, int maxResults, IReadOnlyList<string>? orderBy, string? pageToken, CancellationToken cancellationToken)
    {
        var response = await PostAsync("runs/search", new SearchRunsRequest(experimentIds, filter, maxResults, orderBy, pageToken), Json.SearchRunsRequest, Json.SearchRunsResponse, cancellationToken);
        return new MlflowPage<MlflowRun>(response.Runs ?? [], NullIfEmpty(response.NextPageToken));
    }

    // ---- artifacts (through the tracking server: needs `mlflow server` with served artifacts, the default since 2.0)

    /// <summary>Uploads one file below a run's artifact root, e.g. <c>model/model.zip</c>.</summary>
    public async Task UploadArtifactAsync(string artifactRootUri, string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        // Bytes, not a stream: a retried PUT must be able to send the body again.
        using var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PutAsync(ArtifactsApi + ProxiedPath(artifactRootUri, relativePath), body, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// Downloads one file. MLflow answers a missing file with 500 INTERNAL_ERROR ("The following failures occurred
    /// while downloading one or more artifacts", artifact_repo.download_artifacts), which the resilience handler does
    /// not retry on this endpoint; the folder's listing then tells a missing file from a server fault.
    /// </summary>
    /// <exception cref="MlflowArtifactNotFoundException">The file is not in the run's artifacts.</exception>
    public async Task DownloadArtifactAsync(string artifactRootUri, string relativePath, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var path = ProxiedPath(artifactRootUri, relativePath);
        using var response = await http.GetAsync(ArtifactsApi + path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
        catch (MlflowException error) when (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.InternalServerError)
        {
            if (!await ArtifactExistsAsync(path, cancellationToken))
            {
                throw new MlflowArtifactNotFoundException(path, error);
            }

            throw;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(destination, cancellationToken);
    }

    /// <summary>Whether a file is listed in its folder (<c>GET mlflow-artifacts/artifacts?path=</c>; an empty or missing folder lists nothing).</summary>
    private async Task<bool> ArtifactExistsAsync(string proxiedPath, CancellationToken cancellationToken)
    {
        var slash = proxiedPath.LastIndexOf('/');
        var (folder, file) = slash < 0 ? (string.Empty, proxiedPath) : (proxiedPath[..slash], proxiedPath[(slash + 1)..]);
        using var response = await http.GetAsync($"{ArtifactsApi.TrimEnd('/')}?path={Uri.EscapeDataString(Uri.UnescapeDataString(folder))}", cancellationToken);
        var listing = await ReadAsync(response, Json.ListArtifactsResponse, cancellationToken);
        var name = Uri.UnescapeDataString(file);
        return (listing.Files ?? []).Any(f => !f.IsDir && f.Path == name);
    }

    /// <summary>
    /// The path under <c>/api/2.0/mlflow-artifacts/artifacts/</c> for an artifact below <paramref name="artifactRootUri"/>,
    /// which the server reports as <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts</c> (or with a host: <c>mlflow-artifacts://h:p/…</c>).
    /// </summary>
    internal static string ProxiedPath(string artifactRootUri, string relativePath)
    {
        if (!artifactRootUri.StartsWith(ProxiedArtifactScheme, StringComparison.Ordinal))
        {
            throw new MlflowException(
                $"Artifact root '{artifactRootUri}' is not served by the tracking server; start it with --serve-artifacts (the default) and an --artifacts-destination.");
        }

        var path = artifactRootUri[ProxiedArtifactScheme.Length..];
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            var hostEnd = path.IndexOf('/', 2);
            path = hostEnd < 0 ? string.Empty : path[hostEnd..];
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Concat(relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
            .Select(Uri.EscapeDataString);
        return string.Join('/', segments);
    }

    // ---- registered models, versions, aliases

    public async Task<MlflowRegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await GetAsync($"registered-models/get?name={Uri.EscapeDataString(name)}", Json.RegisteredModelResponse, cancellationToken)).RegisteredModel;
        }
        catch (MlflowResourceNotFoundException)
        {
            return null;
        }
    }

    public async Task<MlflowRegisteredModel> GetOrCreateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken)
    {
        if (await GetRegisteredModelAsync(name, cancellationToken) is { } existing)
        {
            return existing;
        }

        try
        {
            var request = new CreateRegisteredModelRequest(name, description);
            return (await PostAsync("registered-models/create", request, Json.CreateRegisteredModelRequest, Json.RegisteredModelResponse, cancellationToken)).RegisteredModel;
        }
        catch (MlflowResourceAlreadyExistsException)
        {
            return await GetRegisteredModelAsync(name, cancellationToken) ?? throw new MlflowException($"Registered model '{name}' exists yet cannot be read.");
        }
    }

    public async Task<MlflowModelVersion> CreateModelVersionAsync(string name, string source, string? runId, IReadOnlyList<MlflowTag>? tags, CancellationToken cancellationToken)
    {
        var request = new CreateModelVersionRequest(name, source, runId, Tags: tags);
        return (await PostAsync("model-versions/create", request, Json.CreateModelVersionRequest, Json.ModelVersionResponse, cancellationToken)).ModelVersion;
    }

    /// <summary>The version, or null when it does not exist (or is not a number, which MLflow answers with 400).</summary>
    public async Task<MlflowModelVersion?> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        if (!long.TryParse(version, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        try
        {
            var query = $"model-versions/get?name={Uri.EscapeDataString(name)}&version={Uri.EscapeDataString(version)}";
            return (await GetAsync(query, Json.ModelVersionResponse, cancellationToken)).ModelVersion;
        }
        catch (MlflowResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Versions matching an MLflow filter such as <c>name='TaxiFarePrediction'</c>, one page at a time.</summary>
    public async Task<MlflowPage<MlflowModelVersion>> SearchModelVersionsAsync(string filter, int maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("model-versions/search?filter=").Append(Uri.EscapeDataString(filter))
            .Append("&max_results=").Append(maxResults.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(pageToken))
        {
            query.Append("&page_token=").Append(Uri.EscapeDataString(pageToken));
        }

        var response = await GetAsync(query.ToString(), Json.SearchModelVersionsResponse, cancellationToken);
        return new MlflowPage<MlflowModelVersion>(response.ModelVersions ?? [], NullIfEmpty(response.NextPageToken));
    }

    public Task SetAliasAsync(string name, string alias, string version, CancellationToken cancellationToken) =>
        PostAsync("registered-models/alias", new SetAliasRequest(name, alias, version), Json.SetAliasRequest, Json.EmptyResponse, cancellationToken);

    /// <summary>
    /// Removes an alias (no error when it is not set). The parameters go in a JSON body: MLflow 2.x and 3.x read the
    /// query string for GET only (handlers._get_request_message), so a DELETE with a query string answers 400.
    /// </summary>
    public async Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Api + "registered-models/alias")
        {
            Content = JsonBody(new DeleteAliasRequest(name, alias), Json.DeleteAliasRequest),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        await ReadAsync(response, Json.EmptyResponse, cancellationToken);
    }

    /// <summary>The version an alias points at, or null when the model or the alias does not exist.</summary>
    public async Task<MlflowModelVersion?> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        try
        {
            var query = $"registered-models/alias?name={Uri.EscapeDataString(name)}&alias={Uri.EscapeDataString(alias)}";
            return (await GetAsync(query, Json.ModelVersionResponse, cancellationToken)).ModelVersion;
        }
        catch (MlflowResourceNotFoundException)
        {
            // 3.x: the registered model does not exist.
            return null;
        }
        catch (MlflowInvalidParameterException ex) when (ex.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            // "Registered model alias X not found." is INVALID_PARAMETER_VALUE (400) in 2.x and 3.x, and 2.x answers
            // it for a missing model too (model_registry sqlalchemy_store.get_model_version_by_alias).
            return null;
        }
    }

    // ---- plumbing

    private long NowMilliseconds() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private async Task<TResponse> GetAsync<TResponse>(string pathAndQuery, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(Api + pathAndQuery, cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var body = JsonBody(request, requestType);
        using var response = await http.PostAsync(Api + path, body, cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    /// <summary>
    /// A JSON body with a Content-Length. MLflow 3.x serves Flask behind uvicorn (FastAPI's WSGIMiddleware), which
    /// passes a chunked body on without a length, and Flask then reads it as empty: every field reads as missing.
    /// </summary>
    private static ByteArrayContent JsonBody<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static async Task<TResponse> ReadAsync<TResponse>(HttpResponseMessage response, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
            ?? throw new MlflowException($"MLflow answered {(int)response.StatusCode} with an empty body.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        MlflowErrorResponse? error = null;
        try
        {
            error = System.Text.Json.JsonSerializer.Deserialize(body, Json.MlflowErrorResponse);
        }
        catch (System.Text.Json.JsonException)
        {
            // Proxies and gunicorn answer with HTML or plain text; keep the text as the message.
        }

        throw MlflowException.From(error?.ErrorCode, error?.Message ?? Shorten(body), response.StatusCode == 0 ? HttpStatusCode.InternalServerError : response.StatusCode);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300];
}
