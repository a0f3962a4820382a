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
    public static FareTrainingOptions Quick(int iterations = 40) => new() { Iterations = iterations, Leaves = 16, MinExamplesPerLeaf = 20, LearningRate = 0.2 };

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
