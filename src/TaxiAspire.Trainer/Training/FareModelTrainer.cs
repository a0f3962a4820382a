using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trainer.Training;

/// <summary>A trained model, its serialized form (what the registry stores and the processor loads) and its settings.</summary>
public sealed record TrainedFareModel(ITransformer Model, byte[] ModelFile, IReadOnlyDictionary<string, string> Parameters);

/// <summary>
/// Trains and evaluates the ML.NET regression of <c>fare_amount</c> on <see cref="FareModelInput"/> rows. The feature
/// vector is assembled inside the saved model, so whoever loads the file only needs <see cref="FareModelInput"/>.
/// </summary>
public sealed class FareModelTrainer(FareLearnerOptions options, IReadOnlyList<string>? featureColumns = null)
{
    private readonly IReadOnlyList<string> _features = featureColumns ?? FareModelInput.FeatureColumns;

    private const string FeaturesColumn = "Features";

    public bool InFareRange(FareModelInput row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.FareAmount >= options.MinFare && row.FareAmount <= options.MaxFare;
    }

    public TrainedFareModel Train(IReadOnlyList<FareModelInput> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows.Where(InFareRange));
        var pipeline = ml.Transforms.Concatenate(FeaturesColumn, [.. _features])
            .Append(Learners(ml));
        var model = pipeline.Fit(data);

        using var file = new MemoryStream();
        ml.Model.Save(model, data.Schema, file);
        return new TrainedFareModel(model, file.ToArray(), Parameters());
    }

    /// <summary>
    /// Metrics of a model on rows it was not trained on (fares outside the range are left out, as in training), on the
    /// fares the processor would store (<see cref="FareModelOutput.ToFare"/>), not on raw scores.
    /// </summary>
    public FareModelMetrics Evaluate(ITransformer model, IReadOnlyList<FareModelInput> holdout)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(holdout);
        var ml = new MLContext(options.Seed);
        var rows = holdout.Where(InFareRange).ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException("No holdout rows in the fare range.", nameof(holdout));
        }

        var scores = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>(FareModelOutput.ScoreColumn);
        return FareModelMetrics.Of([.. rows.Select(r => (double)r.FareAmount)], [.. scores.Select(s => (double)FareModelOutput.ToFare(s))]);
    }

    /// <summary>Loads a model file written by <see cref="Train"/> (e.g. the current champion, to compare on the same holdout).</summary>
    public static ITransformer Load(Stream modelFile)
    {
        var ml = new MLContext();
        return ml.Model.Load(modelFile, out _);
    }

    /// <summary>
    /// One learner, or (<see cref="FareLearnerOptions.Ensemble"/>) LightGBM and FastTree averaged inside the model
    /// itself, so the saved file still writes one <see cref="FareModelOutput.ScoreColumn"/> and scoring needs no change.
    /// The two boost differently (leaf-wise vs depth-wise with different binning) and their errors are only partly
    /// correlated: on the NYC sample the average beats either alone on R², RMSE and MAE (README "Models").
    /// </summary>
    private IEstimator<ITransformer> Learners(MLContext ml)
    {
        if (options.Algorithm != FareLearnerOptions.Ensemble)
        {
            return Learner(ml, options.Algorithm);
        }

        return Learner(ml, "LightGbm")
            .Append(ml.Transforms.CopyColumns(LightGbmScoreColumn, FareModelOutput.ScoreColumn))
            .Append(Learner(ml, "FastTree"))
            .Append(ml.Transforms.Expression(FareModelOutput.ScoreColumn, "(a, b) => (a + b) / 2", LightGbmScoreColumn, FareModelOutput.ScoreColumn));
    }

    private const string LightGbmScoreColumn = "LightGbmScore";

    private IEstimator<ITransformer> Learner(MLContext ml, string algorithm) => algorithm switch
    {
        "FastTree" => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = FareModelInput.LabelColumn,
            FeatureColumnName = FeaturesColumn,
            NumberOfTrees = options.Iterations,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            LearningRate = options.LearningRate,
            // Single-threaded for the same reason as LightGBM below.
            NumberOfThreads = 1,
        }),
        _ => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = FareModelInput.LabelColumn,
            FeatureColumnName = FeaturesColumn,
            NumberOfIterations = options.Iterations,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            LearningRate = options.LearningRate,
            Seed = options.Seed,
            // Single-threaded: the processor and four other builders share two cores, and results stay reproducible.
            NumberOfThreads = 1,
        }),
    };

    /// <summary>The learner's settings, as logged with each run.</summary>
    public Dictionary<string, string> Parameters() => new()
    {
        ["algorithm"] = options.Algorithm,
        ["iterations"] = options.Iterations.ToString(CultureInfo.InvariantCulture),
        ["leaves"] = options.Leaves.ToString(CultureInfo.InvariantCulture),
        ["min_examples_per_leaf"] = options.MinExamplesPerLeaf.ToString(CultureInfo.InvariantCulture),
        ["learning_rate"] = options.LearningRate.ToString(CultureInfo.InvariantCulture),
        ["fare_range"] = string.Create(CultureInfo.InvariantCulture, $"{options.MinFare}-{options.MaxFare}"),
        ["features"] = string.Join(',', _features),
        ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
    };
}
