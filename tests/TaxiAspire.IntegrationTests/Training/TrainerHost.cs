using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TaxiAspire.IntegrationTests.Processing;
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

    private TrainerHost(IHost host, string registryDirectory)
    {
        _host = host;
        Registry = new LocalFolderModelRegistry(registryDirectory, TimeProvider.System);
    }

    public LocalFolderModelRegistry Registry { get; }

    /// <summary>Every log entry of the host (Information and up).</summary>
    public FakeLogCollector Logs => _host.Services.GetFakeLogCollector();

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
        builder.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Information);
        builder.AddTrainer();
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new TrainerHost(host, registryDirectory);
    }

    /// <summary>
    /// Waits until the worker has decided on <paramref name="version"/> (its promoted or refused log line comes after
    /// registering and after moving the alias), then reads the version back from the registry.
    /// </summary>
    public async Task<ModelVersionInfo> WaitForVersionAsync(string version)
    {
        await WaitForLogAsync($"{Model} version {version} (trigger");
        return await Registry.GetVersionAsync(Model, version, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"Version {version} was decided on but is not in the registry.");
    }

    /// <summary>Waits until the trainer has logged a line containing <paramref name="text"/>.</summary>
    public Task WaitForLogAsync(string text) => StreamProcessorTests.WaitUntilAsync(
        () => Logs.GetSnapshot().Any(e => e.Message.Contains(text, StringComparison.Ordinal)),
        TimeSpan.FromMinutes(4), $"the trainer logged \"{text}\"");

    public Task<ModelVersionInfo?> ChampionAsync() =>
        Registry.GetByAliasAsync(Model, ModelRegistryConventions.ChampionAlias, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
