using Confluent.Kafka;

namespace TaxiAspire.StreamProcessor.Windows;

/// <summary>Reads the last message of each partition of a topic (what the window publisher's recovery needs).</summary>
internal static class WindowTopicTail
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static IEnumerable<(int Partition, Message<byte[], byte[]> Message)> LastMessages(IConsumer<byte[], byte[]> consumer, string topic, int partitions)
    {
        for (var p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            var watermarks = consumer.QueryWatermarkOffsets(tp, Timeout);
            if (watermarks.High.Value <= watermarks.Low.Value) continue;

            consumer.Assign(new TopicPartitionOffset(tp, watermarks.High.Value - 1));
            Message<byte[], byte[]>? last = null;
            try
            {
                var result = consumer.Consume(Timeout);
                last = result is { IsPartitionEOF: false } ? result.Message : null;
            }
            finally
            {
                consumer.Unassign();
            }

            // Guessing "nothing arrived" could publish a window twice; failing makes the publisher try again later.
            yield return (p, last ?? throw new TimeoutException($"The last message of {topic}[{p}] could not be read."));
        }
    }
}
