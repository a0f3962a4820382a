using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.AppHost.Tests;

/// <summary>Keeps the lines a resource wrote to its console, as the AppHost forwards them (EnableResourceLogging).</summary>
internal sealed class ResourceLogCapture : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new(StringComparer.Ordinal);

    /// <summary>Everything the resource named <paramref name="resource"/> wrote so far.</summary>
    public string Of(string resource) => string.Join('\n', _lines
        .Where(kv => kv.Key.EndsWith($".Resources.{resource}", StringComparison.Ordinal))
        .SelectMany(kv => kv.Value));

    public ILogger CreateLogger(string categoryName) => new Capture(_lines.GetOrAdd(categoryName, _ => new ConcurrentQueue<string>()));

    public void Dispose()
    {
    }

    private sealed class Capture(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
