using TaxiAspire.ModelRegistry;
using TaxiAspire.Trainer.Training;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.IntegrationTests.Training;

/// <summary>Small slices of the real NYC sample (shared/data), so the tests train in a second or two.</summary>
internal static class TrainingSamples
{
    public static string TrainFile => Path.Combine(SharedData(), "taxi-fare-train.csv");

    public static async Task<List<FareModelInput>> FirstRowsAsync(int count) =>
        [.. (await TaxiFareCsv.ReadAsync(TrainFile, TestContext.Current.CancellationToken)).Take(count)];

    /// <summary>Few trees: enough to be far better than a constant, quick enough for a test.</summary>
    public static FareLearnerOptions Quick(int iterations = 40) => new() { Iterations = iterations, Leaves = 16, MinExamplesPerLeaf = 20, LearningRate = 0.2 };

    /// <summary>Trains a quick model on the first 2,000 sample rows, registers it and points <c>champion</c> at it; returns its version.</summary>
    public static async Task<string> TrainAndPromoteAsync(IModelRegistry registry, int iterations, string modelName = "TaxiFarePrediction")
    {
        var ct = TestContext.Current.CancellationToken;
        var model = new FareModelTrainer(Quick(iterations)).Train(await FirstRowsAsync(2000));
        var version = await registry.RegisterAsync(new ModelRegistration { ModelName = modelName, ExperimentName = "t", ModelFile = model.ModelFile }, ct);
        await registry.SetAliasAsync(modelName, ModelRegistryConventions.ChampionAlias, version.Version, ct);
        return version.Version;
    }

    private static string SharedData()
    {
        // The repository sits beside shared/ (work tree and CI clone alike); walk up until it shows.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "nyc-taxi-sample");
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", "data", "nyc-taxi-sample");
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }

        throw new DirectoryNotFoundException("shared/data/nyc-taxi-sample not found above " + AppContext.BaseDirectory);
    }
}
