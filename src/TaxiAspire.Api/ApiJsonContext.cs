using System.Text.Json;
using System.Text.Json.Serialization;
using TaxiAspire.Api.Models;
using TaxiAspire.Api.DeadLetters;
using TaxiAspire.Api.Stats;
using TaxiAspire.Api.Trips;
using TaxiAspire.Api.Windows;

namespace TaxiAspire.Api;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyList<TripView>))]
[JsonSerializable(typeof(IReadOnlyList<WindowView>))]
[JsonSerializable(typeof(IReadOnlyList<DeadLetterView>))]
[JsonSerializable(typeof(PipelineStats))]
[JsonSerializable(typeof(ModelCatalogView))]
[JsonSerializable(typeof(ModelVersionView))]
[JsonSerializable(typeof(ModelStatusView))]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(FarePrediction))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
