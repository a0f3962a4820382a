using System.Text.Json.Serialization;

namespace TaxiAspire.Api.LoadTest;

internal sealed record EndpointReport(string Endpoint, long Requests, long Errors, double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

internal sealed record LoadReport(
    long TripsInTaxidb,
    int Clients,
    double MeasuredSeconds,
    long TripsStreamedDuringRun,
    double StreamedTripsPerSecond,
    int ProcessorCount,
    IReadOnlyList<EndpointReport> Endpoints);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(LoadReport))]
internal sealed partial class LoadReportJsonContext : JsonSerializerContext;
