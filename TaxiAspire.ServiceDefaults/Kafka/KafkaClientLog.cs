using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>Routes what librdkafka reports (log lines, client errors) to <see cref="ILogger"/>.</summary>
internal static partial class KafkaClientLog
{
    /// <summary>The logger category of every Kafka client, so one filter rule tunes them all.</summary>
    public const string CategoryName = "TaxiAspire.Kafka";

    public static void Write(ILogger logger, LogMessage message)
    {
        var level = ToLogLevel(message.Level);
        if (logger.IsEnabled(level))
        {
            LibrdkafkaLog(logger, level, message.Name, message.Facility, message.Message);
        }
    }

    public static void Write(ILogger logger, string clientName, Error error)
    {
        if (error.IsFatal)
        {
            ClientFatalError(logger, clientName, error.Code, error.Reason);
        }
        else
        {
            // Mostly transient (a broker restarting, all brokers down for a while): librdkafka retries on its own.
            ClientError(logger, clientName, error.Code, error.Reason);
        }
    }

    /// <summary>syslog levels (what librdkafka uses) to Microsoft.Extensions.Logging levels.</summary>
    public static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    [LoggerMessage(EventId = 1, Message = "{ClientName} {Facility}: {Message}")]
    private static partial void LibrdkafkaLog(ILogger logger, LogLevel level, string clientName, string facility, string message);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Kafka client {ClientName} reported {ErrorCode}: {Reason}")]
    private static partial void ClientError(ILogger logger, string clientName, ErrorCode errorCode, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "Kafka client {ClientName} failed fatally with {ErrorCode}: {Reason}")]
    private static partial void ClientFatalError(ILogger logger, string clientName, ErrorCode errorCode, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Kafka statistics of client {ClientName} could not be read; its metrics skip this interval")]
    public static partial void StatisticsUnreadable(ILogger logger, string clientName, Exception exception);
}
