using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TaxiAspire.ModelRegistry;

namespace TaxiAspire.Scoring;

public static class ScoringServiceCollectionExtensions
{
    /// <summary>
    /// The champion holder, the <see cref="FareScorer"/> over it and <see cref="ScoringOptions"/>; the loader that
    /// follows the <c>champion</c> alias only when the app model hands this service a registry (<c>mlflow</c>
    /// connection string). Without one the holder stays empty and every caller sees "no champion", exactly as it does
    /// before the first model is promoted.
    /// </summary>
    public static IHostApplicationBuilder AddChampionScoring(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ChampionHolder>();
        builder.Services.AddSingleton<FareScorer>();
        builder.Services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ModelRegistryOptions.ConnectionName)))
        {
            builder.Services.AddModelRegistry(builder.Configuration);
            builder.Services.AddHostedService<ChampionModelLoader>();
        }

        return builder;
    }
}
