using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TaxiAspire.ServiceDefaults.Kafka;
using TaxiAspire.ServiceDefaults.Kafka.Tracing;

namespace TaxiAspire.IntegrationTests.Kafka;

/// <summary>Trace context in headers and librdkafka log levels: pure functions, no broker.</summary>
public sealed class KafkaTraceContextTests
{
    [Fact]
    public void Injected_context_is_W3C_traceparent_and_extracts_to_the_same_span()
    {
        using var activity = new Activity("send taxi_trips").SetIdFormat(ActivityIdFormat.W3C);
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        activity.TraceStateString = "vendor=1";
        activity.Start();
        var headers = new Headers();

        KafkaTraceContext.Inject(activity, headers);

        Assert.Equal($"00-{activity.TraceId}-{activity.SpanId}-01", Encoding.UTF8.GetString(headers.GetLastBytes("traceparent")));
        Assert.True(KafkaTraceContext.TryExtract(headers, out var context));
        Assert.Equal(activity.TraceId, context.TraceId);
        Assert.Equal(activity.SpanId, context.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.Equal("vendor=1", context.TraceState);
        Assert.True(context.IsRemote);
    }

    [Fact]
    public void Injecting_again_replaces_the_previous_context()
    {
        var headers = new Headers();
        using (var first = new Activity("first").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            KafkaTraceContext.Inject(first, headers);
        }

        using var second = new Activity("second").SetIdFormat(ActivityIdFormat.W3C).Start();
        KafkaTraceContext.Inject(second, headers);

        Assert.Single(headers, h => h.Key == "traceparent");
        Assert.Equal(second.SpanId, KafkaTraceContext.Extract(headers).SpanId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-traceparent")]
    public void Messages_without_a_valid_traceparent_have_no_context(string? traceParent)
    {
        var headers = new Headers();
        if (traceParent is not null)
        {
            headers.Add("traceparent", Encoding.UTF8.GetBytes(traceParent));
        }

        Assert.False(KafkaTraceContext.TryExtract(headers, out _));
        Assert.False(KafkaTraceContext.TryExtract(null, out _));
        Assert.Equal(default, KafkaTraceContext.Extract(headers));
    }

    [Theory]
    [InlineData(SyslogLevel.Emergency, LogLevel.Critical)]
    [InlineData(SyslogLevel.Alert, LogLevel.Critical)]
    [InlineData(SyslogLevel.Critical, LogLevel.Critical)]
    [InlineData(SyslogLevel.Error, LogLevel.Error)]
    [InlineData(SyslogLevel.Warning, LogLevel.Warning)]
    [InlineData(SyslogLevel.Notice, LogLevel.Information)]
    [InlineData(SyslogLevel.Info, LogLevel.Information)]
    [InlineData(SyslogLevel.Debug, LogLevel.Debug)]
    public void Librdkafka_syslog_levels_map_to_logging_levels(SyslogLevel syslog, LogLevel expected)
        => Assert.Equal(expected, KafkaClientLog.ToLogLevel(syslog));
}
