using System.Text.Json.Serialization;

namespace TaxiAspire.ModelRegistry.Mlflow;

// The MLflow REST API's JSON shapes (snake_case on the wire, see MlflowJsonContext). Only the fields this project
// reads or writes are modelled; the server ignores absent optional fields and we ignore unknown ones.

public sealed record MlflowTag(string Key, string Value);

public sealed record MlflowParam(string Key, string Value);

/// <summary>A metric point; <see cref="Timestamp"/> is milliseconds since the Unix epoch.</summary>
public sealed record MlflowMetric(string Key, double Value, long Timestamp, long Step = 0);

public sealed record MlflowExperiment(
    string ExperimentId,
    string Name,
    string? ArtifactLocation = null,
    string? LifecycleStage = null,
    IReadOnlyList<MlflowTag>? Tags = null);

public sealed record MlflowRunInfo(
    string RunId,
    string ExperimentId,
    string? RunName,
    string Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    string? LifecycleStage = null);

public sealed record MlflowRunData(
    IReadOnlyList<MlflowMetric>? Metrics = null,
    IReadOnlyList<MlflowParam>? Params = null,
    IReadOnlyList<MlflowTag>? Tags = null);

public sealed record MlflowRun(MlflowRunInfo Info, MlflowRunData? Data);

public sealed record MlflowModelAlias(string Alias, string Version);

public sealed record MlflowRegisteredModel(
    string Name,
    long? CreationTimestamp = null,
    long? LastUpdatedTimestamp = null,
    string? Description = null,
    IReadOnlyList<MlflowTag>? Tags = null,
    IReadOnlyList<MlflowModelAlias>? Aliases = null);

public sealed record MlflowModelVersion(
    string Name,
    string Version,
    long CreationTimestamp,
    string? Source = null,
    string? RunId = null,
    string? Status = null,
    string? CurrentStage = null,
    IReadOnlyList<MlflowTag>? Tags = null,
    IReadOnlyList<string>? Aliases = null);

/// <summary>Run statuses (<c>RunStatus</c> in the API).</summary>
public static class MlflowRunStatus
{
    public const string Running = "RUNNING";
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string Killed = "KILLED";
}

/// <summary>Lifecycle stages of experiments and runs (<c>LifecycleStage</c> in the API).</summary>
public static class MlflowLifecycleStage
{
    public const string Active = "active";
    public const string Deleted = "deleted";
}

internal sealed record CreateExperimentRequest(string Name, IReadOnlyList<MlflowTag>? Tags = null);

internal sealed record CreateExperimentResponse(string ExperimentId);

internal sealed record GetExperimentResponse(MlflowExperiment Experiment);

internal sealed record CreateRunRequest(string ExperimentId, string? RunName, long StartTime, IReadOnlyList<MlflowTag>? Tags);

internal sealed record RunResponse(MlflowRun Run);

internal sealed record UpdateRunRequest(string RunId, string Status, long? EndTime, string? RunName = null);

internal sealed record UpdateRunResponse(MlflowRunInfo RunInfo);

internal sealed record LogBatchRequest(
    string RunId,
    IReadOnlyList<MlflowMetric> Metrics,
    IReadOnlyList<MlflowParam> Params,
    IReadOnlyList<MlflowTag> Tags);

internal sealed record SearchRunsRequest(
    IReadOnlyList<string> ExperimentIds,
    string? Filter,
    int MaxResults,
    IReadOnlyList<string>? OrderBy,
    string? PageToken);

internal sealed record SearchRunsResponse(IReadOnlyList<MlflowRun>? Runs, string? NextPageToken);

internal sealed record CreateRegisteredModelRequest(string Name, string? Description = null, IReadOnlyList<MlflowTag>? Tags = null);

internal sealed record RegisteredModelResponse(MlflowRegisteredModel RegisteredModel);

internal sealed record CreateModelVersionRequest(string Name, string Source, string? RunId, string? Description = null, IReadOnlyList<MlflowTag>? Tags = null);

internal sealed record ModelVersionResponse(MlflowModelVersion ModelVersion);

internal sealed record SearchModelVersionsResponse(IReadOnlyList<MlflowModelVersion>? ModelVersions, string? NextPageToken);

internal sealed record SetAliasRequest(string Name, string Alias, string Version);

internal sealed record DeleteAliasRequest(string Name, string Alias);

/// <summary>One entry of an artifact folder's listing; <see cref="Path"/> is the file's name within the folder.</summary>
public sealed record MlflowFileInfo(string Path, bool IsDir = false, long? FileSize = null);

internal sealed record ListArtifactsResponse(IReadOnlyList<MlflowFileInfo>? Files);

internal sealed record EmptyResponse;

/// <summary>The body of every MLflow error response.</summary>
internal sealed record MlflowErrorResponse(string? ErrorCode, string? Message);

/// <summary>One page of a search.</summary>
public sealed record MlflowPage<T>(IReadOnlyList<T> Items, string? NextPageToken);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    // int64 fields are numbers in MLflow's JSON, but proto3 JSON allows strings; accept both. A NaN metric is the
    // string "NaN" both ways (proto3 JSON; MLflow stores it and returns it so).
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(GetExperimentResponse))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(UpdateRunResponse))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(SearchRunsRequest))]
[JsonSerializable(typeof(SearchRunsResponse))]
[JsonSerializable(typeof(CreateRegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(CreateModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(SearchModelVersionsResponse))]
[JsonSerializable(typeof(SetAliasRequest))]
[JsonSerializable(typeof(DeleteAliasRequest))]
[JsonSerializable(typeof(ListArtifactsResponse))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(MlflowErrorResponse))]
internal sealed partial class MlflowJsonContext : JsonSerializerContext;
