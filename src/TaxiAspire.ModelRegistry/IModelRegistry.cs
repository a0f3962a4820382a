namespace TaxiAspire.ModelRegistry;

/// <summary>
/// Where trained models live between the trainer and the processor: versions of a named model, each with the run
/// that produced it (parameters, metrics, files), and aliases such as <c>champion</c> that point at one version.
/// Two implementations behave the same: <see cref="Mlflow.MlflowModelRegistry"/> and <see cref="Local.LocalFolderModelRegistry"/>.
/// </summary>
public interface IModelRegistry
{
    /// <summary>
    /// Logs a run (parameters, metrics, tags, files), stores the model file with it and registers a new version.
    /// Throws <see cref="InvalidModelRegistrationException"/> before storing anything when <see cref="ModelRegistration.EnsureValid"/> fails.
    /// </summary>
    Task<ModelVersionInfo> RegisterAsync(ModelRegistration registration, CancellationToken cancellationToken);

    /// <summary>A version, or null when the model or the version does not exist.</summary>
    Task<ModelVersionInfo?> GetVersionAsync(string modelName, string version, CancellationToken cancellationToken);

    /// <summary>All versions of a model, oldest first (empty when the model does not exist).</summary>
    Task<IReadOnlyList<ModelVersionInfo>> ListVersionsAsync(string modelName, CancellationToken cancellationToken);

    /// <summary>The version an alias points at, or null when the alias (or the model) does not exist.</summary>
    Task<ModelVersionInfo?> GetByAliasAsync(string modelName, string aliasName, CancellationToken cancellationToken);

    /// <summary>Points an alias at an existing version (moving it if it pointed elsewhere).</summary>
    Task SetAliasAsync(string modelName, string aliasName, string version, CancellationToken cancellationToken);

    /// <summary>Copies a version's model file into <paramref name="destination"/>; <see cref="ModelNotFoundException"/> when the file is gone.</summary>
    Task DownloadModelAsync(ModelVersionInfo version, Stream destination, CancellationToken cancellationToken);
}

/// <summary>What the trainer hands over for one trained model.</summary>
public sealed record ModelRegistration
{
    public required string ModelName { get; init; }

    /// <summary>The experiment (MLflow) or folder (local) the run is recorded under.</summary>
    public required string ExperimentName { get; init; }

    public string? RunName { get; init; }

    /// <summary>The serialized model (an ML.NET zip), stored as <see cref="ModelRegistryConventions.ModelFileName"/>.</summary>
    public required ReadOnlyMemory<byte> ModelFile { get; init; }

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra small text files for the run, by relative path (e.g. <c>data_summary.json</c>).</summary>
    public IReadOnlyDictionary<string, string> TextArtifacts { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Both registries call this before storing anything. A NaN or infinite metric cannot rank a model against the
    /// champion (MLflow would store NaN, and clamp infinity to ±1.8e308), so it is refused, not half-registered.
    /// </summary>
    /// <exception cref="InvalidModelRegistrationException">A metric is NaN or infinite.</exception>
    public void EnsureValid()
    {
        var bad = Metrics.Where(m => !double.IsFinite(m.Value)).Select(m => $"{m.Key}={m.Value}").ToList();
        if (bad.Count > 0)
        {
            throw new InvalidModelRegistrationException(
                $"{ModelName} was not registered: metric(s) {string.Join(", ", bad)} are not finite numbers, so the model cannot be compared "
                + "with the champion. Nothing was stored; check the holdout (too few rows, a constant label) and train again.");
        }
    }
}

/// <summary>One registered version and the metrics and tags of the run that produced it.</summary>
public sealed record ModelVersionInfo(
    string ModelName,
    string Version,
    string RunId,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The run's tags (e.g. the trainer's promotion decision and its reason); empty when it logged none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The tag, or null when the run did not set it.</summary>
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value : null;

    /// <summary>The metric, or null when the run did not log it.</summary>
    public double? Metric(string key) => Metrics.TryGetValue(key, out var value) ? value : null;
}

/// <summary>Names both implementations share.</summary>
public static class ModelRegistryConventions
{
    public const string ModelArtifactDirectory = "model";
    public const string ModelFileName = "model.zip";
    public const string ChampionAlias = "champion";
}
