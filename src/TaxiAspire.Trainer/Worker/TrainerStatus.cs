using TaxiAspire.Trainer.Training;

namespace TaxiAspire.Trainer.Worker;

/// <summary>The last run's outcome, for <c>GET /status</c>. Replaced whole, so readers never see half an update.</summary>
public sealed class TrainerStatus
{
    private TrainingOutcome? _last;

    public TrainingOutcome? Last => Volatile.Read(ref _last);

    public void Record(TrainingOutcome outcome) => Volatile.Write(ref _last, outcome);
}
