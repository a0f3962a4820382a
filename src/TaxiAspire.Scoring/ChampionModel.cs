using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Scoring;

/// <summary>
/// A loaded champion: the registered model's name and version, the ML.NET model, and a pool of prediction engines
/// over it. A <see cref="PredictionEngine{TSrc, TDst}"/> is not thread-safe but predicts a row in microseconds, with no
/// fixed cost per call; so every caller borrows engines, one per slice of a large batch.
/// The pool belongs to this version: a new champion brings new engines, the old ones go with the old model.
/// </summary>
public sealed class ChampionModel
{
    // Below this many trips per slice, splitting a batch across cores costs more than it saves.
    private const int MinTripsPerSlice = 512;

    private readonly ObjectPool<PredictionEngine<FareModelInput, FareModelScore>> _engines;

    public ChampionModel(string modelName, string version, ITransformer model)
    {
        ModelName = modelName;
        Version = version;
        Model = model;
        _engines = new DefaultObjectPool<PredictionEngine<FareModelInput, FareModelScore>>(new EnginePolicy(model));
    }

    public string ModelName { get; }

    public string Version { get; }

    public ITransformer Model { get; }

    /// <summary>
    /// The fare of each trip, in order, from its <see cref="FareModelInput"/> (built once per trip by the caller, the
    /// input the trainer trained on): the model's score, snapped to the meter's grid by <see cref="FareModelOutput.ToFare"/>.
    /// </summary>
    public decimal[] PredictFares(IReadOnlyList<FareModelInput> trips)
    {
        ArgumentNullException.ThrowIfNull(trips);
        var fares = new decimal[trips.Count];
        var slices = Math.Clamp(trips.Count / MinTripsPerSlice, 1, Environment.ProcessorCount);
        if (slices == 1)
        {
            Predict(trips, fares, 0, trips.Count);
            return fares;
        }

        // A large batch is cut into one slice per core, each through its own pooled engine: the slices use cores the
        // caller's thread is not using.
        var sliceLength = (trips.Count + slices - 1) / slices;
        Parallel.For(0, slices, slice => Predict(trips, fares, slice * sliceLength, Math.Min((slice + 1) * sliceLength, trips.Count)));
        return fares;
    }

    // An engine has no fixed cost per call; a Transform of a data view does (a new data view, schema and cursors),
    // which the small batches of a caught-up consumer would pay again and again.
    private void Predict(IReadOnlyList<FareModelInput> trips, decimal[] fares, int start, int end)
    {
        var engine = _engines.Get();
        try
        {
            // One output row for the slice, overwritten by each prediction, rather than a new one per trip.
            var score = new FareModelScore();
            for (var i = start; i < end; i++)
            {
                engine.Predict(trips[i], ref score);
                fares[i] = FareModelOutput.ToFare(score.Score);
            }
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    private sealed class EnginePolicy(ITransformer model) : PooledObjectPolicy<PredictionEngine<FareModelInput, FareModelScore>>
    {
        private readonly MLContext _ml = new();

        public override PredictionEngine<FareModelInput, FareModelScore> Create() =>
            _ml.Model.CreatePredictionEngine<FareModelInput, FareModelScore>(model);

        public override bool Return(PredictionEngine<FareModelInput, FareModelScore> obj) => true;
    }
}

/// <summary>The fare model's output row: the raw score a prediction engine writes (see <see cref="FareModelOutput"/>).</summary>
public sealed class FareModelScore
{
    [ColumnName(FareModelOutput.ScoreColumn)]
    public float Score { get; set; }
}

/// <summary>The champion currently scoring, swapped whole by the champion loader; null until one exists.</summary>
public sealed class ChampionHolder
{
    private ChampionModel? _current;

    public ChampionModel? Current => Volatile.Read(ref _current);

    public void Set(ChampionModel? champion) => Volatile.Write(ref _current, champion);
}
