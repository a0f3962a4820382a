namespace TaxiAspire.Trainer.Training;

/// <summary>What one training run came to; for a registered version <see cref="Detail"/> is the promotion gate's reason.</summary>
public sealed record TrainingOutcome(
    TrainingStatus Status,
    string Trigger,
    DateTimeOffset FinishedAt,
    int Rows,
    string? Version = null,
    bool Promoted = false,
    FareModelMetrics? Metrics = null,
    FareModelMetrics? ChampionMetrics = null,
    string? ChampionVersion = null,
    string? Detail = null,
    FareModelMetrics? BaselineMetrics = null);

public enum TrainingStatus
{
    Registered,
    NotEnoughData,
    Failed,

    /// <summary>Not trained: nothing changed since the newest version was refused (<see cref="TrainingRun.SkipWhenUnchangedSinceRefused"/>).</summary>
    Unchanged,
}
