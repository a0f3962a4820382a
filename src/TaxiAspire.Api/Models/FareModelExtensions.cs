using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaxiAspire.ModelRegistry;
using TaxiAspire.Scoring;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Api.Models;

internal static class FareModelExtensions
{
    /// <summary>
    /// The trip rules the processor applies (predict refuses what the stream rejects), the champion the processor
    /// scores with, and the registry's catalog of versions.
    /// </summary>
    public static IHostApplicationBuilder AddFareModels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TripValidationOptions>()
            .BindConfiguration(TripValidationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new TripValidator(
            sp.GetRequiredService<IOptions<TripValidationOptions>>().Value, sp.GetRequiredService<TimeProvider>()));

        // When the AppHost hands the API its "mlflow" connection (a server URL or the local registry folder), the
        // shared champion scoring registers the registry and follows its champion alias, as the processor does; model
        // versions are read from the same registry. Without one no champion ever loads: predict answers 503, the
        // catalog is empty.
        builder.AddChampionScoring();
        builder.Services.AddSingleton<IFarePredictor, ChampionFarePredictor>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ModelRegistryOptions.ConnectionName)))
        {
            builder.Services.AddSingleton<IModelCatalog, RegistryModelCatalog>();
        }

        builder.Services.TryAddSingleton<IModelCatalog, UnconfiguredModelCatalog>();

        // The promotion gate's decision for the newest version, and the champion against its baseline on live trips.
        builder.Services.AddOptions<ModelStatusOptions>().BindConfiguration(ModelStatusOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LiveModelQueries>();
        builder.Services.AddSingleton<ModelStatusReader>();
        return builder;
    }
}
