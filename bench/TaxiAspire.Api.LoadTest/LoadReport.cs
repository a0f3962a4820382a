using System.Text.Json.Serialization;

namespace TaxiAspire.Api.LoadTest;

internal sealed record EndpointReport(string Endpoint, long Requests, long Errors, double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>Where the CPU went over the measured period, in cores (of <c>processor_count</c>).</summary>
internal sealed record CpuReport(double LoadGeneratorCores, double? ApiCores, double? MachineBusyCores);

internal sealed record LoadReport(
    long TripsInTaxidb,
    int Clients,
    string ClientModel,
    double ThinkTimeMs,
    double MeasuredSeconds,
    double RequestsPerSecond,
    long TripsStreamedDuringRun,
    double StreamedTripsPerSecond,
    int ProcessorCount,
    double[]? LoadAverageBefore,
    double[]? LoadAverageAfter,
    CpuReport Cpu,
    IReadOnlyList<EndpointReport> Endpoints);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(LoadReport))]
internal sealed partial class LoadReportJsonContext : JsonSerializerContext;
