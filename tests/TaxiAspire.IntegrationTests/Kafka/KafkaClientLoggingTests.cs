using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace TaxiAspire.IntegrationTests.Kafka;

/// <summary>librdkafka's log lines and client errors reach ILogger under one category.</summary>
public sealed class KafkaClientLoggingTests
{
    [Fact]
    public async Task Connection_failures_are_logged_through_ILogger()
    {
        // A loopback port nobody listens on: librdkafka's connection attempts are refused at once.
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var builder = KafkaTestHost.CreateBuilder($"127.0.0.1:{port}");
        builder.Logging.AddFakeLogging();
        builder.AddKafkaProducer<string, string>(KafkaTestHost.ConnectionName);
        using var host = builder.Build();

        _ = host.Services.GetRequiredService<IProducer<string, string>>();
        var sink = host.Services.GetFakeLogCollector();

        var stopwatch = Stopwatch.StartNew();
        while ((FindRefusal(sink, port, LibrdkafkaLogEvent) is null || FindRefusal(sink, port, ClientErrorEvent) is null)
               && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        // librdkafka's own log line (syslog level 3) and the client's error callback both name the broker.
        var logLine = FindRefusal(sink, port, LibrdkafkaLogEvent);
        var clientError = FindRefusal(sink, port, ClientErrorEvent);
        Assert.NotNull(logLine);
        Assert.NotNull(clientError);
        Assert.Equal(LogLevel.Error, logLine.Level);
        Assert.Equal(LogLevel.Warning, clientError.Level);
        Assert.All([logLine, clientError], e => Assert.Equal("TaxiAspire.Kafka", e.Category));
        Assert.Contains("rdkafka#producer", logLine.Message, StringComparison.Ordinal);
    }

    private const int LibrdkafkaLogEvent = 1;
    private const int ClientErrorEvent = 2;

    private static FakeLogRecord? FindRefusal(FakeLogCollector sink, int port, int eventId)
        => sink.GetSnapshot().FirstOrDefault(e => e.Id.Id == eventId && e.Message.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
}
