using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace TaxiAspire.Api.Caching;

/// <summary>
/// Serializes a response body once, for many requests, with exactly the options (source-generated <see cref="ApiJsonContext"/>,
/// snake_case) the endpoints' own results use.
/// </summary>
public sealed class ResponseJsonSerializer(IOptions<HttpJsonOptions> options)
{
    public byte[] Serialize<T>(T value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, (JsonTypeInfo<T>)options.Value.SerializerOptions.GetTypeInfo(typeof(T)));
}
