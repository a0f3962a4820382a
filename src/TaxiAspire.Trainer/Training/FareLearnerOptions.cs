using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Trainer.Training;

/// <summary>The learner and its settings. Defaults are the tuned values measured on the NYC sample (README "Models").</summary>
public sealed class FareLearnerOptions
{
    public const string SectionName = "Trainer:Model";

    /// <summary>LightGBM and FastTree trained on the same rows, their scores averaged (the default).</summary>
    public const string Ensemble = "LightGbm+FastTree";

    [AllowedValues("LightGbm", "FastTree", Ensemble)]
    public string Algorithm { get; set; } = Ensemble;

    [Range(1, 100_000)]
    public int Iterations { get; set; } = 80;

    [Range(2, 4096)]
    public int Leaves { get; set; } = 63;

    [Range(1, 10_000)]
    public int MinExamplesPerLeaf { get; set; } = 50;

    [Range(1e-4, 1.0)]
    public double LearningRate { get; set; } = 0.15;

    /// <summary>Trips outside this fare range are left out of training and evaluation (the ML.NET sample's $1–150 filter).</summary>
    [Range(0, 10_000)]
    public double MinFare { get; set; } = 1;

    [Range(1, 100_000)]
    public double MaxFare { get; set; } = 150;

    /// <summary>Fixed so that two runs on the same data give the same model.</summary>
    public int Seed { get; set; } = 1;
}
