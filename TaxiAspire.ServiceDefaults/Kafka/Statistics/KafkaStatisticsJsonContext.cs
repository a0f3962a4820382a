using System.Text.Json.Serialization;

namespace TaxiAspire.ServiceDefaults.Kafka.Statistics;

// Source-generated: the statistics arrive every few seconds per client, so no reflection-based serializer warm-up.
[JsonSerializable(typeof(KafkaStatistics))]
internal sealed partial class KafkaStatisticsJsonContext : JsonSerializerContext;
