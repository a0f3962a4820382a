using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TaxiAspire.Api.Security;

/// <summary>
/// Guards admin endpoints: 401 without the <see cref="AdminOptions.HeaderName"/> header, 403 with a wrong key.
/// The comparison takes the same time whatever the key, so timing tells an attacker nothing.
/// </summary>
internal sealed partial class ApiKeyEndpointFilter(IOptions<AdminOptions> options, ILogger<ApiKeyEndpointFilter> logger) : IEndpointFilter
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = http.Request.Headers[AdminOptions.HeaderName].ToString();
        if (presented.Length == 0)
        {
            http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{AdminOptions.HeaderName}\"";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "API key required",
                detail: $"Send the admin API key in the {AdminOptions.HeaderName} header.");
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected))
        {
            LogRejectedKey(logger, http.Request.Path, http.Connection.RemoteIpAddress?.ToString());
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "API key refused",
                detail: $"The {AdminOptions.HeaderName} header does not hold the admin API key.");
        }

        return await next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a wrong admin API key for {Path} from {RemoteAddress}")]
    private static partial void LogRejectedKey(ILogger logger, string path, string? remoteAddress);
}
