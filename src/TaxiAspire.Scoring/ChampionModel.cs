using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Scoring;

/// <summary>
/// A loaded champion: the registered model's name and version, the ML.NET model, and a pool of prediction engines
/// over it. A <see cref="PredictionEngine{TSrc, TDst}"/> is not thread-safe but predicts a row in microseconds, where a
/// Transform of a one-row data view costs milliseconds; so a few trips borrow an engine, and a batch (the processor's)
/// goes through one Transform, which is cheaper per trip once the batch is large.
/// The pool belongs to this version: a new champion brings new engines, the old ones go with the old model.
/// </summary>
public sealed class ChampionModel
{
    private const int TransformFromTrips = 64;

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
        if (trips.Count >= TransformFromTrips)
        {
            PredictAsBatch(trips, fares);
        }
        else
        {
            PredictOneByOne(trips, fares);
        }

        return fares;
    }

    // A Transform per slice of the batch, the slices in parallel (the model's Transform is thread-safe): one Transform
    // costs less per trip than an engine once the batch is large, and the slices use a core the caller's thread is not
    // using. Measured in the processor benchmark, this halved what scoring costs the stream's throughput.
    private void PredictAsBatch(IReadOnlyList<FareModelInput> trips, decimal[] fares)
    {
        var slices = Math.Clamp(trips.Count / TransformFromTrips, 1, Environment.ProcessorCount);
        var sliceLength = (trips.Count + slices - 1) / slices;
        Parallel.For(0, slices, slice =>
        {
            var start = slice * sliceLength;
            var end = Math.Min(start + sliceLength, trips.Count);
            var inputs = new MLContext().Data.LoadFromEnumerable(Enumerable.Range(start, end - start).Select(i => trips[i]));
            var i = start;
            foreach (var score in Model.Transform(inputs).GetColumn<float>(FareModelOutput.ScoreColumn))
            {
                fares[i++] = FareModelOutput.ToFare(score);
            }
        });
    }

    private void PredictOneByOne(IReadOnlyList<FareModelInput> trips, decimal[] fares)
    {
        var engine = _engines.Get();
        try
        {
            for (var i = 0; i < fares.Length; i++)
            {
                fares[i] = FareModelOutput.ToFare(engine.Predict(trips[i]).Score);
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
