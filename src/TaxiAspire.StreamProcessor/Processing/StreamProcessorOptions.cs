using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.StreamProcessor.Processing;

/// <summary>Bound from the <c>StreamProcessor</c> configuration section.</summary>
public sealed class StreamProcessorOptions
{
    public const string SectionName = "StreamProcessor";

    [Required]
    public string Topic { get; set; } = "taxi_trips";

    [Required]
    public string DeadLetterTopic { get; set; } = "taxi_trips_dlq";

    /// <summary>The consumer group; also the key of the offsets stored in PostgreSQL.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "stream-processor";

    /// <summary>A micro-batch closes at this many messages…</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchSize { get; set; } = 5_000;

    /// <summary>…or this long after its first message, whichever comes first.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
