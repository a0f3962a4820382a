using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>
/// The builder handed to a registration's <c>configure</c> callback. It adds the instrumentation handlers afterwards,
/// only where the callback set none of its own (Confluent allows one handler of each kind and throws on a second).
/// </summary>
internal sealed class InstrumentedConsumerBuilder<TKey, TValue>(IEnumerable<KeyValuePair<string, string>> config)
    : ConsumerBuilder<TKey, TValue>(config)
{
    public IConsumer<TKey, TValue> Build(KafkaClientHandlers handlers)
    {
        LogHandler ??= handlers.OnLog;
        ErrorHandler ??= handlers.OnError;
        if (handlers.PublishesStatistics)
        {
            StatisticsHandler ??= handlers.OnStatistics;
        }

        return Build();
    }
}
