using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaxiAspire.ModelRegistry;
using TaxiAspire.Trainer.Promotion;
using TaxiAspire.Trainer.Training;
using TaxiAspire.Trainer.Worker;

namespace TaxiAspire.Trainer;

internal static class TrainerServices
{
    /// <summary>The trainer service's parts: taxidb, the registry, validated settings, the gate and the worker.</summary>
    public static IHostApplicationBuilder AddTrainer(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("taxidb");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddModelRegistry(builder.Configuration);
        builder.Services.AddOptions<TrainingPolicyOptions>().BindConfiguration(TrainingPolicyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<FareLearnerOptions>().BindConfiguration(FareLearnerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<PromotionGateOptions>().BindConfiguration(PromotionGateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new FareModelTrainer(sp.GetRequiredService<IOptions<FareLearnerOptions>>().Value));
        builder.Services.AddSingleton<PromotionGate>();
        builder.Services.AddSingleton<TrainingDataStore>();
        builder.Services.AddSingleton<TrainingTriggers>();
        builder.Services.AddSingleton<TrainerStatus>();
        builder.Services.AddHostedService<TrainerWorker>();
        return builder;
    }
}
