using Microsoft.ML;

namespace TaxiAspire.StreamProcessor.Scoring;

/// <summary>The loaded champion: the registry version and the ML.NET model (whose Transform is thread-safe).</summary>
internal sealed record ChampionModel(string Version, ITransformer Model);

/// <summary>The champion currently scoring, swapped whole by <see cref="ChampionModelLoader"/>; null until one exists.</summary>
internal sealed class ChampionHolder
{
    private ChampionModel? _current;

    public ChampionModel? Current => Volatile.Read(ref _current);

    public void Set(ChampionModel? champion) => Volatile.Write(ref _current, champion);
}
