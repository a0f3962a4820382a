using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka.Tracing;

/// <summary>
/// The <see cref="IProducer{TKey,TValue}"/> that <c>AddKafkaProducer</c> registers: every <c>ProduceAsync</c> and
/// <c>Produce</c> gets a <c>send {topic}</c> span (PRODUCER) whose context travels in the message headers.
/// When nothing listens to the service's source (or the sampler drops the span) it costs one
/// <see cref="ActivitySource.HasListeners"/> check and adds no header and no allocation.
/// </summary>
internal sealed class TracingProducer<TKey, TValue>(IProducer<TKey, TValue> inner, ActivitySource source, bool deliveryReportsEnabled)
    : IProducer<TKey, TValue>
{
    // One "send {topic}" string per topic instead of one per message.
    private readonly ConcurrentDictionary<string, string> _spanNames = new(StringComparer.Ordinal);

    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    // The topic overloads are the partition overloads with Partition.Any, exactly as Confluent's own producer defines them.
    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(new TopicPartition(topic, Partition.Any), message, cancellationToken);

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicPartition);

        var previous = Activity.Current;
        var activity = StartSend(topicPartition.Topic, topicPartition.Partition, message);
        if (activity is null)
        {
            return inner.ProduceAsync(topicPartition, message, cancellationToken);
        }

        try
        {
            return CompleteAsync(activity, inner.ProduceAsync(topicPartition, message, cancellationToken));
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        Produce(new TopicPartition(topic, Partition.Any), message, deliveryHandler);

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(topicPartition);

        var previous = Activity.Current;
        var activity = StartSend(topicPartition.Topic, topicPartition.Partition, message);
        if (activity is null)
        {
            inner.Produce(topicPartition, message, deliveryHandler);
            return;
        }

        try
        {
            inner.Produce(topicPartition, message, TrackDelivery(activity, deliveryHandler));
            EndIfUntracked(activity);
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    public int Poll(TimeSpan timeout) => inner.Poll(timeout);

    public int Flush(TimeSpan timeout) => inner.Flush(timeout);

    public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);

    public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

    public void BeginTransaction() => inner.BeginTransaction();

    public void CommitTransaction(TimeSpan timeout) => inner.CommitTransaction(timeout);

    public void CommitTransaction() => inner.CommitTransaction();

    public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

    public void AbortTransaction() => inner.AbortTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout)
        => inner.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public void Dispose() => inner.Dispose();

    private Activity? StartSend(string topic, Partition partition, Message<TKey, TValue> message)
    {
        ArgumentNullException.ThrowIfNull(message);

        if (!source.HasListeners())
        {
            return null;
        }

        var name = _spanNames.GetOrAdd(topic, static t => $"{KafkaSemanticConventions.SendOperation} {t}");
        var activity = source.StartActivity(name, ActivityKind.Producer);
        if (activity is null)
        {
            return null;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag(KafkaSemanticConventions.MessagingSystem, KafkaSemanticConventions.MessagingSystemValue);
            activity.SetTag(KafkaSemanticConventions.OperationType, KafkaSemanticConventions.SendOperation);
            activity.SetTag(KafkaSemanticConventions.OperationName, KafkaSemanticConventions.SendOperation);
            activity.SetTag(KafkaSemanticConventions.DestinationName, topic);
            if (partition != Partition.Any)
            {
                activity.SetTag(KafkaSemanticConventions.PartitionId, partition.Value.ToString(CultureInfo.InvariantCulture));
            }
        }

        // Also for unsampled spans: the "not sampled" flag must reach the consumer so it drops its spans too.
        KafkaTraceContext.Inject(activity, message.Headers ??= []);
        return activity;
    }

    private Action<DeliveryReport<TKey, TValue>>? TrackDelivery(Activity activity, Action<DeliveryReport<TKey, TValue>>? deliveryHandler)
    {
        if (!deliveryReportsEnabled)
        {
            // Confluent rejects a handler when delivery reports are off: the handler (if any) goes through untouched.
            return deliveryHandler;
        }

        return report =>
        {
            if (report.Error.IsError)
            {
                Fail(activity, report.Error);
            }
            else
            {
                Delivered(activity, report.TopicPartitionOffset);
            }

            deliveryHandler?.Invoke(report);
        };
    }

    private void EndIfUntracked(Activity activity)
    {
        if (!deliveryReportsEnabled)
        {
            // Without delivery reports, enqueueing is all that can be observed.
            Stop(activity);
        }
    }

    private static async Task<DeliveryResult<TKey, TValue>> CompleteAsync(Activity activity, Task<DeliveryResult<TKey, TValue>> delivery)
    {
        DeliveryResult<TKey, TValue> result;
        try
        {
            result = await delivery.ConfigureAwait(false);
        }
        catch (ProduceException<TKey, TValue> ex)
        {
            Fail(activity, ex.Error, ex);
            throw;
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }

        Delivered(activity, result.TopicPartitionOffset);
        return result;
    }

    private static void Delivered(Activity activity, TopicPartitionOffset delivered)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(KafkaSemanticConventions.PartitionId, delivered.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity.SetTag(KafkaSemanticConventions.Offset, delivered.Offset.Value);
        }

        Stop(activity);
    }

    private static void Fail(Activity activity, Exception exception)
    {
        if (exception is KafkaException kafka)
        {
            Fail(activity, kafka.Error, exception);
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.SetTag(KafkaSemanticConventions.ErrorType, exception.GetType().FullName);
            activity.AddException(exception);
        }

        Stop(activity);
    }

    private static void Fail(Activity activity, Error error, Exception? exception = null)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Reason);
            activity.SetTag(KafkaSemanticConventions.ErrorType, error.Code.ToString());
            if (exception is not null)
            {
                activity.AddException(exception);
            }
        }

        Stop(activity);
    }

    private static void Stop(Activity activity)
    {
        // Delivery reports arrive on librdkafka's poll thread; stopping must not leave a stale Activity.Current there.
        var current = Activity.Current;
        activity.Stop();
        if (Activity.Current != current)
        {
            Activity.Current = current;
        }
    }
}
