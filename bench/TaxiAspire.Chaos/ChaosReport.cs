using System.Text.Json.Serialization;

namespace TaxiAspire.Chaos;

/// <summary>The chaos runner's one JSON object.</summary>
internal sealed record ChaosReport(
    long TripsSent,
    long ValidSent,
    long TripsStored,
    long Lost,
    long Duplicated,
    long WindowMismatches,
    long RejectsExpected,
    long RejectsStored,
    int Kills,
    int PostgresRestarts,
    int BrokerOutages,
    int KafkaRestarts,
    long WindowsClosed,
    long WindowsPublished,
    long WindowsPublishedTwice,
    long WindowsAwaitingPublication,
    IReadOnlyList<string> Faults,
    double Seconds);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChaosReport))]
internal sealed partial class ChaosJsonContext : JsonSerializerContext;
