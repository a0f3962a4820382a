using System.Globalization;
using System.Text;

namespace TaxiAspire.ModelRegistry.Mlflow;

/// <summary><see cref="IModelRegistry"/> on an MLflow tracking server: runs in an experiment, models in its registry.</summary>
public sealed class MlflowModelRegistry(MlflowClient client, TimeProvider timeProvider) : IModelRegistry
{
    public async Task<ModelVersionInfo> RegisterAsync(ModelRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        // Everything that can be checked is checked before the run exists; what fails later marks the run FAILED.
        registration.EnsureValid();
        var experimentId = await client.GetOrCreateExperimentAsync(registration.ExperimentName, cancellationToken);
        var run = await client.CreateRunAsync(experimentId, registration.RunName, [.. registration.Tags.Select(t => new MlflowTag(t.Key, t.Value))], cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            await client.LogBatchAsync(
                run.RunId,
                [.. registration.Metrics.Select(m => new MlflowMetric(m.Key, m.Value, now))],
                [.. registration.Parameters.Select(p => new MlflowParam(p.Key, p.Value))],
                [],
                cancellationToken);

            foreach (var (path, text) in registration.TextArtifacts)
            {
                await client.UploadArtifactAsync(run.ArtifactUri, path, Encoding.UTF8.GetBytes(text), cancellationToken);
            }

            var modelDirectory = ModelRegistryConventions.ModelArtifactDirectory;
            await client.UploadArtifactAsync(run.ArtifactUri, $"{modelDirectory}/{ModelRegistryConventions.ModelFileName}", registration.ModelFile, cancellationToken);
            await client.UploadArtifactAsync(run.ArtifactUri, $"{modelDirectory}/MLmodel", Encoding.UTF8.GetBytes(MlmodelFile(run.RunId)), cancellationToken);

            await client.GetOrCreateRegisteredModelAsync(registration.ModelName, "Predicts a trip's fare_amount (ML.NET regression).", cancellationToken);
            var version = await client.CreateModelVersionAsync(registration.ModelName, $"{run.ArtifactUri.TrimEnd('/')}/{modelDirectory}", run.RunId, null, cancellationToken);
            await client.FinishRunAsync(run.RunId, MlflowRunStatus.Finished, cancellationToken);
            return new ModelVersionInfo(version.Name, version.Version, run.RunId, FromMilliseconds(version.CreationTimestamp), registration.Metrics) { Tags = registration.Tags };
        }
        catch
        {
            // Leave the run marked failed rather than RUNNING forever; the original error is what matters.
            await TryFailRunAsync(run.RunId);
            throw;
        }
    }

    public async Task<ModelVersionInfo?> GetVersionAsync(string modelName, string version, CancellationToken cancellationToken) =>
        await client.GetModelVersionAsync(modelName, version, cancellationToken) is { } found ? await ToInfoAsync(found, cancellationToken) : null;

    public async Task<IReadOnlyList<ModelVersionInfo>> ListVersionsAsync(string modelName, CancellationToken cancellationToken)
    {
        var versions = new List<MlflowModelVersion>();
        string? pageToken = null;
        do
        {
            var page = await client.SearchModelVersionsAsync($"name='{modelName.Replace("'", "\\'", StringComparison.Ordinal)}'", 200, pageToken, cancellationToken);
            versions.AddRange(page.Items);
            pageToken = page.NextPageToken;
        }
        while (pageToken is not null);

        var result = new List<ModelVersionInfo>(versions.Count);
        foreach (var version in versions.OrderBy(v => long.Parse(v.Version, CultureInfo.InvariantCulture)))
        {
            result.Add(await ToInfoAsync(version, cancellationToken));
        }

        return result;
    }

    public async Task<ModelVersionInfo?> GetByAliasAsync(string modelName, string aliasName, CancellationToken cancellationToken) =>
        await client.GetModelVersionByAliasAsync(modelName, aliasName, cancellationToken) is { } found ? await ToInfoAsync(found, cancellationToken) : null;

    public async Task SetAliasAsync(string modelName, string aliasName, string version, CancellationToken cancellationToken)
    {
        try
        {
            await client.SetAliasAsync(modelName, aliasName, version, cancellationToken);
        }
        catch (MlflowResourceNotFoundException ex)
        {
            throw new ModelNotFoundException($"{modelName} version {version} does not exist.", ex);
        }
        catch (MlflowInvalidParameterException ex) when (ex.Message.Contains("must be an integer", StringComparison.Ordinal))
        {
            throw new ModelNotFoundException($"{modelName} version {version} does not exist.", ex);
        }
    }

    public async Task DownloadModelAsync(ModelVersionInfo version, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var found = await client.GetModelVersionAsync(version.ModelName, version.Version, cancellationToken)
            ?? throw new ModelNotFoundException($"{version.ModelName} version {version.Version} does not exist.");
        var source = found.Source ?? throw new MlflowException($"{version.ModelName} version {version.Version} has no source.");
        try
        {
            await client.DownloadArtifactAsync(source, ModelRegistryConventions.ModelFileName, destination, cancellationToken);
        }
        catch (MlflowArtifactNotFoundException ex)
        {
            throw new ModelNotFoundException($"{version.ModelName} version {version.Version} has no model file: {ex.Message}", ex);
        }
    }

    private async Task<ModelVersionInfo> ToInfoAsync(MlflowModelVersion version, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
        IReadOnlyDictionary<string, string> tags = new Dictionary<string, string>();
        if (!string.IsNullOrEmpty(version.RunId))
        {
            var run = await client.GetRunAsync(version.RunId, cancellationToken);
            // runs/get returns the latest value of each metric.
            metrics = (run.Data?.Metrics ?? []).GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Timestamp).ThenBy(m => m.Step).Last().Value);
            // A tag set twice keeps its last value, as the server does.
            tags = (run.Data?.Tags ?? []).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        }

        return new ModelVersionInfo(version.Name, version.Version, version.RunId ?? string.Empty, FromMilliseconds(version.CreationTimestamp), metrics) { Tags = tags };
    }

    private async Task TryFailRunAsync(string runId)
    {
        try
        {
            await client.FinishRunAsync(runId, MlflowRunStatus.Failed, CancellationToken.None);
        }
        catch (Exception ex) when (ex is MlflowException or HttpRequestException or TaskCanceledException)
        {
            // Best effort only.
        }
    }

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    // Lets the MLflow UI show the folder as a model; the flavor is ours (ML.NET has none upstream).
    private static string MlmodelFile(string runId) => $"""
        artifact_path: {ModelRegistryConventions.ModelArtifactDirectory}
        flavors:
          mlnet:
            model_file: {ModelRegistryConventions.ModelFileName}
            framework: Microsoft.ML 5.0.1
        run_id: {runId}
        """;
}
