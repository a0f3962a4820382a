using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TaxiAspire.StreamProcessor.Building;

namespace TaxiAspire.StreamProcessor.Committing;

/// <summary>
/// Sends rejected messages to the dead-letter topic with their original key, value and headers, plus headers naming
/// the reason and the source. Delivery is awaited before the batch commits, so a reject is never only in PostgreSQL;
/// a crash between the two can repeat a dead letter (at least once), never lose one.
/// </summary>
internal sealed class DeadLetterPublisher(IProducer<byte[]?, byte[]?> producer)
{
    public const string ReasonHeader = "x-reject-reason";
    public const string DetailHeader = "x-reject-detail";
    public const string SourceTopicHeader = "x-source-topic";
    public const string SourcePartitionHeader = "x-source-partition";
    public const string SourceOffsetHeader = "x-source-offset";

    public async Task PublishAsync(string topic, IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }

        var deliveries = new Task[deadLetters.Count];
        for (var i = 0; i < deadLetters.Count; i++)
        {
            deliveries[i] = producer.ProduceAsync(topic, ToDeadLetterMessage(deadLetters[i]), cancellationToken);
        }

        await Task.WhenAll(deliveries);
    }

    private static Message<byte[]?, byte[]?> ToDeadLetterMessage(DeadLetter deadLetter)
    {
        var original = deadLetter.Message;
        var headers = new Headers();
        if (original.Message.Headers is { } originalHeaders)
        {
            foreach (var header in originalHeaders)
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        headers.Add(ReasonHeader, Encoding.UTF8.GetBytes(deadLetter.Rejection.Code));
        headers.Add(DetailHeader, Encoding.UTF8.GetBytes(deadLetter.Rejection.Detail));
        headers.Add(SourceTopicHeader, Encoding.UTF8.GetBytes(original.Topic));
        headers.Add(SourcePartitionHeader, Encoding.UTF8.GetBytes(original.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(SourceOffsetHeader, Encoding.UTF8.GetBytes(original.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        return new Message<byte[]?, byte[]?> { Key = original.Message.Key, Value = original.Message.Value, Headers = headers };
    }
}
