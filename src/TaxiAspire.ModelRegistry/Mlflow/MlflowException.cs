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

/// <summary>The server was overloaded or failed; retried by the client's resilience handler before it surfaces.</summary>
public sealed class MlflowUnavailableException(string errorCode, string message, HttpStatusCode statusCode)
    : MlflowException(errorCode, message, statusCode);
