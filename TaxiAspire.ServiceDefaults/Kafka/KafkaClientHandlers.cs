using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaxiAspire.ServiceDefaults.Kafka.Statistics;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>The callbacks every registered Kafka client gets: logs and errors to ILogger, statistics to metrics.</summary>
internal sealed class KafkaClientHandlers
{
    private readonly ILogger _logger;
    private readonly KafkaStatisticsMetrics? _metrics;
    private readonly string? _consumerGroup;
    private readonly TimeSpan _statisticsInterval;

    private KafkaClientHandlers(ILogger logger, KafkaStatisticsMetrics? metrics, string? consumerGroup, TimeSpan statisticsInterval)
    {
        _logger = logger;
        _metrics = metrics;
        _consumerGroup = consumerGroup;
        _statisticsInterval = statisticsInterval;
    }

    public bool PublishesStatistics => _metrics is not null;

    public static KafkaClientHandlers Create(IServiceProvider services, KafkaClientSettings settings, string? consumerGroup)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(KafkaClientLog.CategoryName);
        var intervalMs = settings.ClientConfig.StatisticsIntervalMs ?? 0;
        var metrics = settings.DisableMetrics || intervalMs <= 0 ? null : services.GetRequiredService<KafkaStatisticsMetrics>();
        return new KafkaClientHandlers(logger, metrics, consumerGroup, TimeSpan.FromMilliseconds(intervalMs));
    }

    public void OnLog(IClient client, LogMessage message) => KafkaClientLog.Write(_logger, message);

    public void OnError(IClient client, Error error) => KafkaClientLog.Write(_logger, client.Name, error);

    public void OnStatistics(IClient client, string json)
    {
        if (!string.IsNullOrEmpty(json))
        {
            _metrics?.Record(client.Name, json, _consumerGroup, _statisticsInterval);
        }
    }
}
