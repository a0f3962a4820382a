using TaxiAspire.Scoring;

namespace TaxiAspire.StreamProcessor.Scoring;

internal static class ScoringServiceCollectionExtensions
{
    /// <summary>
    /// Batch scoring with anomaly flags over the shared champion scoring, which follows the registry only when the app
    /// model hands the processor one (<c>mlflow</c> connection string); without one the processor stores trips
    /// unscored, exactly as it does while no champion exists.
    /// </summary>
    public static IHostApplicationBuilder AddTripScoring(this IHostApplicationBuilder builder)
    {
        builder.AddChampionScoring();
        builder.Services.AddSingleton<TripScorer>();
        builder.Services.AddOptions<AnomalyOptions>().BindConfiguration(ScoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
