using System.Text.Json;
using System.Text.Json.Serialization;
using TaxiAspire.Data.Queries;

namespace TaxiAspire.Api;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyList<TripView>))]
[JsonSerializable(typeof(PipelineStats))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
