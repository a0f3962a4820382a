using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaxiAspire.ModelRegistry.Local;

/// <summary>
/// <see cref="IModelRegistry"/> in a folder, for machines without an MLflow server (local mode's fallback):
/// <c>runs/&lt;id&gt;/run.json</c> + files, <c>models/&lt;name&gt;/versions/&lt;n&gt;/</c> and <c>models/&lt;name&gt;/aliases/&lt;alias&gt;.json</c>.
/// Every file is written to a temporary name and renamed, so a reader in another process never sees half a file.
/// </summary>
public sealed class LocalFolderModelRegistry(string rootDirectory, TimeProvider timeProvider) : IModelRegistry
{
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(20);
    private static LocalRegistryJsonContext Json => LocalRegistryJsonContext.Default;

    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory);

    public async Task<ModelVersionInfo> RegisterAsync(ModelRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        registration.EnsureValid();
        var createdAt = timeProvider.GetUtcNow();
        var runId = Guid.NewGuid().ToString("N");
        var runDirectory = Path.Combine(RootDirectory, "runs", runId);
        foreach (var (path, text) in registration.TextArtifacts)
        {
            await WriteAtomicallyAsync(Path.Combine(runDirectory, "artifacts", SafeRelativePath(path)), System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
        }

        var run = new LocalRun(runId, registration.ExperimentName, registration.RunName, createdAt,
            new(registration.Parameters), new(registration.Metrics), new(registration.Tags));
        await WriteAtomicallyAsync(Path.Combine(runDirectory, "run.json"), JsonSerializer.SerializeToUtf8Bytes(run, Json.LocalRun), cancellationToken);

        var modelDirectory = ModelDirectory(registration.ModelName);
        Directory.CreateDirectory(Path.Combine(modelDirectory, "versions"));
        // Version numbers are allocated under an exclusive lock file so that two trainers never take the same one.
        await using var gate = await AcquireLockAsync(Path.Combine(modelDirectory, ".lock"), cancellationToken);
        var next = ExistingVersions(registration.ModelName).DefaultIfEmpty(0).Max() + 1;
        var version = next.ToString(CultureInfo.InvariantCulture);
        var versionDirectory = Path.Combine(modelDirectory, "versions", version);
        await WriteAtomicallyAsync(Path.Combine(versionDirectory, ModelRegistryConventions.ModelFileName), registration.ModelFile, cancellationToken);
        var record = new LocalVersion(registration.ModelName, version, runId, createdAt);
        // version.json last: a version exists for readers only once its model file is complete.
        await WriteAtomicallyAsync(Path.Combine(versionDirectory, "version.json"), JsonSerializer.SerializeToUtf8Bytes(record, Json.LocalVersion), cancellationToken);
        return new ModelVersionInfo(registration.ModelName, version, runId, createdAt, registration.Metrics) { Tags = registration.Tags };
    }

    public async Task<ModelVersionInfo?> GetVersionAsync(string modelName, string version, CancellationToken cancellationToken)
    {
        var file = Path.Combine(ModelDirectory(modelName), "versions", SafeSegment(version), "version.json");
        if (!File.Exists(file))
        {
            return null;
        }

        var record = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(file, cancellationToken), Json.LocalVersion)
            ?? throw new InvalidDataException($"{file} is empty.");
        var runFile = Path.Combine(RootDirectory, "runs", SafeSegment(record.RunId), "run.json");
        var run = File.Exists(runFile) ? JsonSerializer.Deserialize(await File.ReadAllBytesAsync(runFile, cancellationToken), Json.LocalRun) : null;
        return new ModelVersionInfo(record.ModelName, record.Version, record.RunId, record.CreatedAt, run?.Metrics ?? []) { Tags = run?.Tags ?? [] };
    }

    public async Task<IReadOnlyList<ModelVersionInfo>> ListVersionsAsync(string modelName, CancellationToken cancellationToken)
    {
        var result = new List<ModelVersionInfo>();
        foreach (var number in ExistingVersions(modelName).Order())
        {
            if (await GetVersionAsync(modelName, number.ToString(CultureInfo.InvariantCulture), cancellationToken) is { } info)
            {
                result.Add(info);
            }
        }

        return result;
    }

    public async Task<ModelVersionInfo?> GetByAliasAsync(string modelName, string aliasName, CancellationToken cancellationToken)
    {
        var file = AliasFile(modelName, aliasName);
        if (!File.Exists(file))
        {
            return null;
        }

        var pointer = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(file, cancellationToken), Json.LocalAlias);
        return pointer is null ? null : await GetVersionAsync(modelName, pointer.Version, cancellationToken);
    }

    public async Task SetAliasAsync(string modelName, string aliasName, string version, CancellationToken cancellationToken)
    {
        if (await GetVersionAsync(modelName, version, cancellationToken) is null)
        {
            throw new ModelNotFoundException($"{modelName} version {version} does not exist.");
        }

        var pointer = new LocalAlias(aliasName, version, timeProvider.GetUtcNow());
        await WriteAtomicallyAsync(AliasFile(modelName, aliasName), JsonSerializer.SerializeToUtf8Bytes(pointer, Json.LocalAlias), cancellationToken);
    }

    public async Task DownloadModelAsync(ModelVersionInfo version, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(destination);
        var file = Path.Combine(ModelDirectory(version.ModelName), "versions", SafeSegment(version.Version), ModelRegistryConventions.ModelFileName);
        if (!File.Exists(file))
        {
            throw new ModelNotFoundException($"{version.ModelName} version {version.Version} has no model file.");
        }

        await using var source = File.OpenRead(file);
        await source.CopyToAsync(destination, cancellationToken);
    }

    private string ModelDirectory(string modelName) => Path.Combine(RootDirectory, "models", SafeSegment(modelName));

    private string AliasFile(string modelName, string alias) => Path.Combine(ModelDirectory(modelName), "aliases", SafeSegment(alias) + ".json");

    private IEnumerable<int> ExistingVersions(string modelName)
    {
        var versions = Path.Combine(ModelDirectory(modelName), "versions");
        if (!Directory.Exists(versions))
        {
            return [];
        }

        return Directory.EnumerateDirectories(versions)
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(n => n > 0);
    }

    private static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                // Real time on purpose: another process holds the file, and a test's frozen clock must not stall the wait.
                await Task.Delay(LockRetry, cancellationToken);
            }
        }
    }

    // Names come from configuration and callers; never let one escape the registry folder.
    private static string SafeSegment(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || name.IndexOfAny(['/', '\\', ':']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{name}' cannot name a registry entry.", nameof(name));
        }

        return name;
    }

    private static string SafeRelativePath(string path) => Path.Combine(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(SafeSegment).ToArray());
}

internal sealed record LocalRun(
    string RunId,
    string Experiment,
    string? RunName,
    DateTimeOffset CreatedAt,
    Dictionary<string, string> Params,
    Dictionary<string, double> Metrics,
    Dictionary<string, string> Tags);

internal sealed record LocalVersion(string ModelName, string Version, string RunId, DateTimeOffset CreatedAt);

internal sealed record LocalAlias(string Alias, string Version, DateTimeOffset SetAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(LocalRun))]
[JsonSerializable(typeof(LocalVersion))]
[JsonSerializable(typeof(LocalAlias))]
internal sealed partial class LocalRegistryJsonContext : JsonSerializerContext;
