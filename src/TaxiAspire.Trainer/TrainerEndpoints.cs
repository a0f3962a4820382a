using TaxiAspire.Trainer.Training;
using TaxiAspire.Trainer.Worker;

namespace TaxiAspire.Trainer;

internal static class TrainerEndpoints
{
    /// <summary><c>POST /retrain</c> queues a run (the API and the dashboard command call it); <c>GET /status</c> shows the last one.</summary>
    public static WebApplication MapTrainerEndpoints(this WebApplication app)
    {
        app.MapPost("/retrain", (TrainingTriggers triggers) =>
        {
            var queued = triggers.Request("on-demand");
            return TypedResults.Json(new RetrainAccepted(queued, queued ? "queued" : "a run is already queued"), TrainerJsonContext.Default.RetrainAccepted, statusCode: StatusCodes.Status202Accepted);
        });
        app.MapGet("/status", (TrainerStatus status) => status.Last is { } last
            ? Results.Json(last, TrainerJsonContext.Default.TrainingOutcome)
            : Results.NoContent());
        return app;
    }
}
