using TaxiAspire.ModelRegistry;
using TaxiAspire.Trainer;
using TaxiAspire.Trainer.Training;
using TaxiAspire.Trainer.Worker;

// `accuracy` and `train-file` are commands that run and exit; anything else starts the worker service.
if (args.Length > 0 && TrainerCommands.IsCommand(args[0]))
{
    return await TrainerCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("taxidb");
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddModelRegistry(builder.Configuration);
builder.Services.AddOptions<TrainerOptions>().BindConfiguration(TrainerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<FareTrainingOptions>().BindConfiguration(FareTrainingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(sp => new FareModelTrainer(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FareTrainingOptions>>().Value));
builder.Services.AddSingleton<TrainingDataStore>();
builder.Services.AddSingleton<TrainingTriggers>();
builder.Services.AddSingleton<TrainerStatus>();
builder.Services.AddHostedService<TrainerWorker>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTrainerEndpoints();
app.Run();
return 0;
