using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka.Tracing;

/// <summary>
/// Carries W3C trace context (<c>traceparent</c>, <c>tracestate</c>) in Kafka message headers through
/// <see cref="DistributedContextPropagator.Current"/>, the propagator HttpClient and ASP.NET Core use too, so the
/// format stays the same across every hop and works whether or not the OpenTelemetry SDK is loaded.
/// </summary>
public static class KafkaTraceContext
{
    /// <summary>Writes <paramref name="activity"/>'s context into <paramref name="headers"/>, replacing any earlier value.</summary>
    public static void Inject(Activity activity, Headers headers)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(headers);

        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) =>
        {
            if (carrier is Headers target)
            {
                // A retried message object already carries the previous attempt's context.
                target.Remove(name);
                target.Add(name, Encoding.UTF8.GetBytes(value));
            }
        });
    }

    /// <summary>Reads the producer's span context from <paramref name="headers"/>.</summary>
    /// <returns><see langword="false"/> when the message carries no (valid) <c>traceparent</c>.</returns>
    public static bool TryExtract(Headers? headers, out ActivityContext context)
    {
        context = default;
        if (headers is null || headers.Count == 0)
        {
            return false;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = carrier is Headers source && source.TryGetLastBytes(name, out var bytes) && bytes is not null
                ? Encoding.UTF8.GetString(bytes)
                : null;
        }, out var traceParent, out var traceState);

        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out context);
    }

    /// <summary>The producer's span context, or <see langword="default"/> when the message carries none.</summary>
    public static ActivityContext Extract(Headers? headers) => TryExtract(headers, out var context) ? context : default;
}
