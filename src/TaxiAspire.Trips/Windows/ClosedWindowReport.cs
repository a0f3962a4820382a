using System.Text.Json.Serialization;

namespace TaxiAspire.Trips.Windows;

/// <summary>
/// What is published once per closed window on <c>taxi_trip_windows</c> (JSON, snake_case like the trip contract).
/// <see cref="Sequence"/> is unique and increasing per publication: downstream can deduplicate on it, and the
/// publisher uses it to tell what already reached the topic after a crash.
/// </summary>
public sealed record ClosedWindowReport(
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("vendor_id")] int VendorId,
    [property: JsonPropertyName("window_start")] DateTimeOffset WindowStart,
    [property: JsonPropertyName("window_end")] DateTimeOffset WindowEnd,
    [property: JsonPropertyName("trip_count")] long TripCount,
    [property: JsonPropertyName("fare_sum")] decimal FareSum,
    [property: JsonPropertyName("tip_sum")] decimal TipSum,
    [property: JsonPropertyName("total_sum")] decimal TotalSum,
    [property: JsonPropertyName("distance_sum")] double DistanceSum,
    [property: JsonPropertyName("avg_tip")] decimal AverageTip,
    [property: JsonPropertyName("watermark")] DateTimeOffset Watermark);

[JsonSerializable(typeof(ClosedWindowReport))]
public sealed partial class ClosedWindowJsonContext : JsonSerializerContext;
