using TaxiAspire.Trainer;

// `accuracy` and `train-file` are commands that run and exit; anything else starts the worker service.
if (TrainerCommands.IsCommandLine(args))
{
    return await TrainerCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTrainer();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTrainerEndpoints();
app.Run();
return 0;
