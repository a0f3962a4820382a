using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka.Tracing;

/// <summary>
/// Consumer-side spans that follow the OpenTelemetry messaging conventions, started on the service's own
/// <see cref="ActivitySource"/> (<see cref="ServiceTelemetry.ActivitySource"/>).
/// </summary>
public static class KafkaActivitySourceExtensions
{
    /// <summary>
    /// Starts the <c>process {topic}</c> span (CONSUMER) of a whole batch. It links to the producer contexts of the
    /// messages (collect them with <see cref="KafkaTraceContext.TryExtract"/>; keep only sampled ones to bound the
    /// link count) rather than having one parent, because a batch has many.
    /// </summary>
    public static Activity? StartProcessBatchActivity(
        this ActivitySource source,
        string topic,
        int messageCount,
        IEnumerable<ActivityLink>? producerLinks = null,
        string? consumerGroup = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(topic);

        if (!source.HasListeners())
        {
            return null;
        }

        // An explicit default parent makes the batch span a root even if the poll loop runs under some other span.
        var activity = source.StartActivity(ActivityKind.Consumer, parentContext: default, links: producerLinks, name: ProcessName(topic));
        if (activity is { IsAllDataRequested: true })
        {
            SetCommonTags(activity, topic, consumerGroup);
            activity.SetTag(KafkaSemanticConventions.BatchMessageCount, messageCount);
        }

        return activity;
    }

    /// <summary>
    /// Starts the <c>process {topic}</c> span (CONSUMER) of one message, as a child of the producer's span, so the
    /// producer's sampling decision carries over (ParentBased sampling). Returns <see langword="null"/> when the message
    /// carries no trace context: a per-message root span would bypass that decision.
    /// </summary>
    public static Activity? StartProcessActivity<TKey, TValue>(
        this ActivitySource source,
        ConsumeResult<TKey, TValue> result,
        string? consumerGroup = null,
        string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(result);

        if (!source.HasListeners() || !KafkaTraceContext.TryExtract(result.Message?.Headers, out var producerContext))
        {
            return null;
        }

        var activity = source.StartActivity(ActivityKind.Consumer, producerContext, name: name ?? ProcessName(result.Topic));
        if (activity is { IsAllDataRequested: true })
        {
            SetCommonTags(activity, result.Topic, consumerGroup);
            activity.SetTag(KafkaSemanticConventions.PartitionId, result.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity.SetTag(KafkaSemanticConventions.Offset, result.Offset.Value);
        }

        return activity;
    }

    private static string ProcessName(string topic) => $"{KafkaSemanticConventions.ProcessOperation} {topic}";

    private static void SetCommonTags(Activity activity, string topic, string? consumerGroup)
    {
        activity.SetTag(KafkaSemanticConventions.MessagingSystem, KafkaSemanticConventions.MessagingSystemValue);
        activity.SetTag(KafkaSemanticConventions.OperationType, KafkaSemanticConventions.ProcessOperation);
        activity.SetTag(KafkaSemanticConventions.OperationName, KafkaSemanticConventions.ProcessOperation);
        activity.SetTag(KafkaSemanticConventions.DestinationName, topic);
        if (consumerGroup is not null)
        {
            activity.SetTag(KafkaSemanticConventions.ConsumerGroupName, consumerGroup);
        }
    }
}
