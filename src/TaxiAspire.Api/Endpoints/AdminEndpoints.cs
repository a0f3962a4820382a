using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Api.Security;
using TaxiAspire.Api.Training;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/admin</c>: operations that change the system; every one needs the admin API key.</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin")
            .WithTags("Admin")
            .AddEndpointFilter<ApiKeyEndpointFilter>();
        admin.MapPost("/retrain", Retrain)
            .WithName("Retrain")
            .WithSummary("Ask the trainer for a training run")
            .WithDescription($"Requires the {AdminOptions.HeaderName} header: 401 without it, 403 with a wrong key. 503 while no trainer is deployed.");
        return app;
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> Retrain(TrainerClient trainer, CancellationToken cancellationToken) =>
        await trainer.RequestRetrainAsync(cancellationToken) switch
        {
            RetrainOutcome.Accepted => TypedResults.Accepted((string?)null),
            RetrainOutcome.NotDeployed => TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "No trainer deployed",
                detail: "The trainer service is not part of this deployment (Trainer:BaseAddress is not set), so no training run can be started."),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status502BadGateway,
                title: "The trainer did not accept the request",
                detail: "The trainer service could not be reached or refused the request; see the API's logs."),
        };
}
