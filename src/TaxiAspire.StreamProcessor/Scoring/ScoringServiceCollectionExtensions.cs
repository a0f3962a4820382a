using TaxiAspire.ModelRegistry;

namespace TaxiAspire.StreamProcessor.Scoring;

internal static class ScoringServiceCollectionExtensions
{
    /// <summary>
    /// Scoring when the app model hands the processor a registry (<c>mlflow</c> connection string); without one the
    /// processor stores trips unscored, exactly as it does while no champion exists.
    /// </summary>
    public static IHostApplicationBuilder AddChampionScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChampionHolder>();
        builder.Services.AddSingleton<TripScorer>();
        builder.Services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetConnectionString(ModelRegistryOptions.ConnectionName) is { Length: > 0 })
        {
            builder.Services.AddModelRegistry(builder.Configuration);
            builder.Services.AddHostedService<ChampionModelLoader>();
        }

        return builder;
    }
}
