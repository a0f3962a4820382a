using System.Net;

namespace TaxiAspire.ModelRegistry.Mlflow;

/// <summary>An error the MLflow server answered with: its <c>error_code</c>, message and HTTP status.</summary>
public class MlflowException : Exception
{
    public MlflowException()
    {
    }

    public MlflowException(string message)
        : base(message)
    {
    }

    public MlflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MlflowException(string errorCode, string message, HttpStatusCode statusCode)
        : base($"{errorCode}: {message}")
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    public string ErrorCode { get; } = "INTERNAL_ERROR";

    public HttpStatusCode StatusCode { get; } = HttpStatusCode.InternalServerError;

    /// <summary>Maps MLflow's error codes (databricks <c>ErrorCode</c> enum) to the typed exceptions callers handle.</summary>
    public static MlflowException From(string? errorCode, string? message, HttpStatusCode statusCode)
    {
        var code = string.IsNullOrEmpty(errorCode) ? FallbackCode(statusCode) : errorCode;
        var text = message ?? string.Empty;
        return code switch
        {
            "RESOURCE_DOES_NOT_EXIST" or "NOT_FOUND" or "ENDPOINT_NOT_FOUND" => new MlflowResourceNotFoundException(code, text, statusCode),
            "RESOURCE_ALREADY_EXISTS" or "ALREADY_EXISTS" => new MlflowResourceAlreadyExistsException(code, text, statusCode),
            "INVALID_PARAMETER_VALUE" or "BAD_REQUEST" or "MALFORMED_REQUEST" or "INVALID_STATE" => new MlflowInvalidParameterException(code, text, statusCode),
            "PERMISSION_DENIED" or "UNAUTHENTICATED" or "CUSTOMER_UNAUTHORIZED" => new MlflowPermissionDeniedException(code, text, statusCode),
            "REQUEST_LIMIT_EXCEEDED" or "TEMPORARILY_UNAVAILABLE" or "INTERNAL_ERROR" => new MlflowUnavailableException(code, text, statusCode),
            _ => new MlflowException(code, text, statusCode),
        };
    }

    private static string FallbackCode(HttpStatusCode statusCode) => statusCode switch
    {
        HttpStatusCode.NotFound => "RESOURCE_DOES_NOT_EXIST",
        HttpStatusCode.BadRequest => "BAD_REQUEST",
        HttpStatusCode.Unauthorized => "UNAUTHENTICATED",
        HttpStatusCode.Forbidden => "PERMISSION_DENIED",
        HttpStatusCode.TooManyRequests => "REQUEST_LIMIT_EXCEEDED",
        HttpStatusCode.ServiceUnavailable => "TEMPORARILY_UNAVAILABLE",
        _ => "INTERNAL_ERROR",
    };
}

public sealed class MlflowResourceNotFoundException(string errorCode, string message, HttpStatusCode statusCode)
    : MlflowException(errorCode, message, statusCode);

public sealed class MlflowResourceAlreadyExistsException(string errorCode, string message, HttpStatusCode statusCode)
    : MlflowException(errorCode, message, statusCode);

public sealed class MlflowInvalidParameterException(string errorCode, string message, HttpStatusCode statusCode)
    : MlflowException(errorCode, message, statusCode);

public sealed class MlflowPermissionDeniedException(string errorCode, string message, HttpStatusCode statusCode)
    : MlflowException(errorCode, message, statusCode);

/// <summary>
/// The experiment exists but is deleted. MLflow keeps a deleted experiment's name (get-by-name still returns it,
/// create answers RESOURCE_ALREADY_EXISTS) and refuses runs in it, until it is restored or purged.
/// </summary>
public sealed class MlflowExperimentDeletedException(string experimentName, string experimentId)
    : MlflowException(
        "INVALID_STATE",
        $"MLflow experiment '{experimentName}' (id {experimentId}) is deleted, and MLflow keeps a deleted experiment's name until it is purged, "
        + $"so no run can be logged to it. Either restore it (`mlflow experiments restore --experiment-id {experimentId}` with "
        + "MLFLOW_TRACKING_URI set to the server), or purge it (`mlflow gc --backend-store-uri <the server's store> "
        + $"--experiment-ids {experimentId}`), or use another experiment: set {ModelRegistryOptions.SectionName}:{nameof(ModelRegistryOptions.ExperimentName)} "
        + $"(environment variable {ModelRegistryOptions.SectionName}__{nameof(ModelRegistryOptions.ExperimentName)}).",
        HttpStatusCode.BadRequest)
{
    public string ExperimentName { get; } = experimentName;

    public string ExperimentId { get; } = experimentId;
}

/// <summary>
/// An artifact that is not there. MLflow's proxied artifact API answers a missing file with 500 INTERNAL_ERROR
/// (2.x and 3.x); the client recognises it by listing the folder rather than retrying it as an outage.
/// </summary>
public sealed class MlflowArtifactNotFoundException(string artifactPath, MlflowException serverAnswer)
    : MlflowException($"Artifact not found on the MLflow server: {artifactPath} (the server answered {serverAnswer.ErrorCode}).", serverAnswer)
{
    public string ArtifactPath { get; } = artifactPath;
}

/// <summary>The server was overloaded or failed; retried by the client's resilience handler before it surfaces.</summary>
public sealed class MlflowUnavailableException(string errorCode, string message, HttpStatusCode statusCode)
    : MlflowException(errorCode, message, statusCode);
