// What scoring costs per trip, on one core, with the model the processor loads: ChampionModel.PredictFares (ML.NET's
// prediction engine, the processor's and the API's one path), beside a walk of the same trees from plain arrays
// (ML.NET's public tree API). The walk sends a missing value (NaN) the way a plain comparison does, which is not always
// the model's way (that routing is internal to ML.NET), so it is a floor of the walk's cost, not a second scorer.
// Usage: TaxiAspire.ScoringBench MODEL.zip [trips.csv]   (MODEL.zip: e.g. a registry's models/<name>/versions/<n>/model.zip)
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using TaxiAspire.Scoring;
using TaxiAspire.Trainer.Training;

if (args.Length == 0)
{
    Console.Error.WriteLine("Usage: TaxiAspire.ScoringBench MODEL.zip [trips.csv]");
    return 1;
}

var sample = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/nyc-taxi-sample/taxi-fare-test.csv"));
var trips = await TaxiFareCsv.ReadAsync(args.Length > 1 ? args[1] : sample, CancellationToken.None);
var model = new MLContext().Model.Load(args[0], out _);
var champion = new ChampionModel("bench", "1", model);
var trees = Ensembles(model).SelectMany(e => e.Trees).Select(FlatTree.From).ToArray();

const int Runs = 5;

// Below ChampionModel's slicing threshold, so one engine on one thread: the cost of a trip on a core.
const int Slice = 500;
var slices = trips.Chunk(Slice).Where(c => c.Length == Slice).ToArray();
var engineMicros = MicrosPerTrip(() => { foreach (var slice in slices) champion.PredictFares(slice); }, slices.Length * Slice);
var features = trips.Select(t => new[] { t.VendorId, t.RateCode, t.PassengerCount, t.PaymentType, t.TripDistance, t.TripSeconds, t.SecondsPerMile, t.MeteredFareEstimate }).ToArray();
long nodes = 0;
var walkMicros = MicrosPerTrip(() => { nodes = 0; foreach (var x in features) foreach (var tree in trees) nodes += tree.Depth(x); }, features.Length);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $$"""
    {"trips": {{trips.Count}}, "trees": {{trees.Length}}, "max_leaves": {{trees.Max(t => t.Leaves)}}, "nodes_visited_per_trip": {{(double)nodes / features.Length:F1}}, "engine_us_per_trip": {{engineMicros:F2}}, "bare_tree_walk_us_per_trip": {{walkMicros:F2}}}
    """));
return 0;

// Best of a few timed passes after a warm-up: the machine is shared, and the best pass is the least disturbed.
static double MicrosPerTrip(Action pass, int tripsPerPass)
{
    pass();
    var best = double.MaxValue;
    for (var run = 0; run < Runs; run++)
    {
        var watch = Stopwatch.StartNew();
        pass();
        best = Math.Min(best, watch.Elapsed.TotalMicroseconds / tripsPerPass);
    }

    return best;
}

static IEnumerable<RegressionTreeEnsemble> Ensembles(ITransformer transformer) => transformer switch
{
    IEnumerable<ITransformer> chain => chain.SelectMany(Ensembles),
    ISingleFeaturePredictionTransformer<object> { Model: TreeEnsembleModelParametersBasedOnRegressionTree trees } => [trees.TrainedTreeEnsemble],
    _ => [],
};

/// <summary>One regression tree as arrays; a negative child is the complement of a leaf's index.</summary>
internal sealed record FlatTree(int[] Feature, float[] Threshold, int[] Left, int[] Right, int Leaves)
{
    public static FlatTree From(RegressionTree tree) => new(
        [.. tree.NumericalSplitFeatureIndexes], [.. tree.NumericalSplitThresholds], [.. tree.LeftChild], [.. tree.RightChild], tree.NumberOfLeaves);

    /// <summary>How many split nodes a row passes on its way to a leaf.</summary>
    public int Depth(float[] x)
    {
        var depth = 0;
        for (var node = 0; node >= 0; depth++)
        {
            node = x[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
        }

        return depth;
    }
}
