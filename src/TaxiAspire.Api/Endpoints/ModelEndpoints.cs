using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Api.Models;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/models</c>: the registered versions of the fare model and which one is champion.</summary>
internal static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/models").WithTags("Models");
        models.MapGet("", GetModels)
            .WithName("GetModels")
            .WithSummary("Registered versions of the fare model with their metrics, and the champion");
        models.MapGet("/status", GetStatus)
            .WithName("GetModelStatus")
            .WithSummary("The champion, the newest version with the promotion gate's decision and reason, the champion against its baseline on live trips, and warnings");
        models.MapGet("/champion", GetChampion)
            .WithName("GetChampion")
            .WithSummary("The champion version; 404 while there is none");
        models.MapGet("/{version}", GetVersion)
            .WithName("GetModelVersion")
            .WithSummary("One registered version; 404 when unknown");

        return app;
    }

    private static async Task<Ok<ModelCatalogView>> GetModels(IModelCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.GetAsync(cancellationToken));

    private static async Task<Ok<ModelStatusView>> GetStatus(ModelStatusReader status, CancellationToken cancellationToken) =>
        TypedResults.Ok(await status.GetAsync(cancellationToken));

    private static async Task<Results<Ok<ModelVersionView>, ProblemHttpResult>> GetChampion(IModelCatalog catalog, CancellationToken cancellationToken)
    {
        var view = await catalog.GetAsync(cancellationToken);
        return view.Versions.FirstOrDefault(v => v.Version == view.ChampionVersion) is { } champion
            ? TypedResults.Ok(champion)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No champion model", detail: $"{view.Name} has no version with the champion alias yet.");
    }

    private static async Task<Results<Ok<ModelVersionView>, ProblemHttpResult, ValidationProblem>> GetVersion(
        string version, IModelCatalog catalog, CancellationToken cancellationToken)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["version must be a positive whole number."] });
        }

        var view = await catalog.GetAsync(cancellationToken);
        return view.Versions.FirstOrDefault(v => v.Version == number) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown model version", detail: $"{view.Name} has no version {number}.");
    }
}
