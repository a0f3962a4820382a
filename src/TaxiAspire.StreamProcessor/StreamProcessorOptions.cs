using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.StreamProcessor;

/// <summary>Bound from the <c>StreamProcessor</c> configuration section.</summary>
public sealed class StreamProcessorOptions
{
    public const string SectionName = "StreamProcessor";

    [Required]
    public string Topic { get; set; } = "taxi_trips";

    [Required]
    public string DeadLetterTopic { get; set; } = "taxi_trips_dlq";

    /// <summary>Where each closed window is published once, as JSON.</summary>
    [Required]
    public string WindowsTopic { get; set; } = "taxi_trip_windows";

    /// <summary>The consumer group; also the key of the offsets stored in PostgreSQL.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "stream-processor";

    /// <summary>A micro-batch closes at this many messages, or earlier when the consumer has caught up.</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchSize { get; set; } = 5_000;

    /// <summary>
    /// An upper bound on a batch's age. A batch closes as soon as the consumer has caught up with what the broker sent
    /// (see <c>Consuming/BatchFiller</c>), so this only bounds a batch whose queue keeps refilling without filling it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Built batches waiting for the database, per write lane. Parsing overlaps the previous batch's write; beyond this
    /// many the consume loop stops reading, so memory stays bounded when PostgreSQL is slower than Kafka: at most
    /// WriteLanes × (MaxBatchesInFlight + 1) + 1 batches are in hand.
    /// </summary>
    [Range(1, 16)]
    public int MaxBatchesInFlight { get; set; } = 2;

    /// <summary>
    /// Write lanes: each batch is split by partition across this many lanes, each committing its part in its own
    /// transaction on its own connection, in order. While one lane waits for PostgreSQL (a COPY, a commit's flush) the
    /// other works. A partition keeps its lane, so its batches still commit in offset order.
    /// </summary>
    [Range(1, 8)]
    public int WriteLanes { get; set; } = 2;

    /// <summary>librdkafka's prefetch bound (queued.max.messages.kbytes), the other half of bounded memory.</summary>
    [Range(1024, 1_048_576)]
    public int PrefetchKilobytes { get; set; } = 16 * 1024;

    /// <summary>
    /// How long a broker may hold a fetch that finds no new data (fetch.wait.max.ms). Kafka answers early when data
    /// arrives, but librdkafka's mock cluster (local mode, tests, benchmark) holds an empty fetch for the whole wait,
    /// so librdkafka's 500 ms default put up to half a second on a trip produced just after an empty fetch. On a real
    /// broker a short wait only costs a few more empty fetches per second while the topic is idle.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan FetchMaxWait { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How far behind the slowest partition's newest pickup a trip may arrive before its windows close.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the window publisher looks for newly closed windows.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan WindowPublishInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The window producer's delivery timeout. A publisher that just became leader waits a little longer than this
    /// before reading the topic's tail, so a previous leader's last deliveries have landed or failed by then.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan WindowDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// On shutdown, how long batches in hand may keep retrying a database that does not answer; then they are abandoned
    /// with their offsets unstored, to be read again. With <see cref="ConsumerCloseTimeout"/> it must fit in the
    /// host's stop budget (ServiceLifetime:ShutdownTimeout, 2.5 s), or the host stops waiting for the worker.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown, how long the Kafka consumer may take to leave its group (see <see cref="ShutdownDrainTimeout"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConsumerCloseTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
