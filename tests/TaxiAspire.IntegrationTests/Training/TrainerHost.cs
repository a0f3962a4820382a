using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaxiAspire.ModelRegistry;
using TaxiAspire.ModelRegistry.Local;
using TaxiAspire.Trainer;

namespace TaxiAspire.IntegrationTests.Training;

/// <summary>
/// The trainer service's worker (its own registrations, <see cref="TrainerServices.AddTrainer"/>) over a real taxidb and
/// a local registry folder, with small-model settings and every log line kept for assertions.
/// </summary>
internal sealed class TrainerHost : IAsyncDisposable
{
    public const string Model = "TaxiFarePrediction";

    private readonly IHost _host;

    private TrainerHost(IHost host, string registryDirectory, LogCollector logs)
    {
        _host = host;
        Registry = new LocalFolderModelRegistry(registryDirectory, TimeProvider.System);
        Logs = logs;
    }

    public LocalFolderModelRegistry Registry { get; }

    public LogCollector Logs { get; }

    public static async Task<TrainerHost> StartAsync(string taxidb, string registryDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:taxidb"] = taxidb,
            ["ConnectionStrings:mlflow"] = registryDirectory,
            ["Trainer:MinTrainingRows"] = "500",
            ["Trainer:PollInterval"] = "00:00:01",
            ["Trainer:Schedule"] = "00:00:00",
            // The quick learner of TrainingSamples.Quick(): seconds, not minutes, on a shared machine.
            ["Trainer:Model:Iterations"] = "40",
            ["Trainer:Model:Leaves"] = "16",
            ["Trainer:Model:MinExamplesPerLeaf"] = "20",
            ["Trainer:Model:LearningRate"] = "0.2",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        var logs = new LogCollector();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.AddTrainer();
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new TrainerHost(host, registryDirectory, logs);
    }

    /// <summary>
    /// Waits until the worker has decided on <paramref name="version"/> (its promoted or refused log line comes after
    /// registering and after moving the alias), then reads the version back from the registry.
    /// </summary>
    public async Task<ModelVersionInfo> WaitForVersionAsync(string version)
    {
        var ct = TestContext.Current.CancellationToken;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(4));
        var decided = $"{Model} version {version} (trigger";
        while (!Logs.Entries.Any(e => e.Message.Contains(decided, StringComparison.Ordinal)))
        {
            // The deadline token ends the wait with a clear failure instead of hanging.
            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }

        return await Registry.GetVersionAsync(Model, version, ct) ?? throw new InvalidOperationException($"Version {version} was decided on but is not in the registry.");
    }

    public Task<ModelVersionInfo?> ChampionAsync() =>
        Registry.GetByAliasAsync(Model, ModelRegistryConventions.ChampionAlias, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}

/// <summary>Keeps every log entry of a host, with its level and formatted message.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Collecting(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Collecting(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception)));
    }
}

internal sealed record LogEntry(string Category, LogLevel Level, string Message);
