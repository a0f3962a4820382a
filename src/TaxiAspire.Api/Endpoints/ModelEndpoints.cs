using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Api.Models;
using TaxiAspire.Api.Security;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/models</c> and <c>/api/predict</c>: the registered fare models and scoring with the champion.</summary>
internal static class ModelEndpoints
{
    /// <summary>Far more than any trip needs; a larger body is refused before it is parsed.</summary>
    public const long MaxPredictBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/models", GetModels)
            .WithName("GetModels").WithTags("Models")
            .WithSummary("Registered versions of the fare model with their metrics, and the champion");
        group.MapGet("/models/status", GetStatus)
            .WithName("GetModelStatus").WithTags("Models")
            .WithSummary("The champion, the newest version with the promotion gate's decision and reason, the champion against its baseline on live trips, and warnings");
        group.MapGet("/models/champion", GetChampion)
            .WithName("GetChampion").WithTags("Models")
            .WithSummary("The champion version; 404 while there is none");
        group.MapGet("/models/{version}", GetVersion)
            .WithName("GetModelVersion").WithTags("Models")
            .WithSummary("One registered version; 404 when unknown");
        group.MapPost("/predict", Predict)
            .WithName("Predict").WithTags("Models")
            .WithSummary("Score one trip (event contract fields, without fare and tip) with the champion")
            .Accepts<PredictRequest>("application/json")
            .RequireRateLimiting(PredictRateLimitOptions.PolicyName);
        return group;
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

    private static async Task<Results<Ok<FarePrediction>, ValidationProblem, ProblemHttpResult>> Predict(
        HttpRequest request, IFarePredictor predictor, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Invalid("body", "Send the trip as a JSON object with Content-Type: application/json.");
        }

        if (request.ContentLength > MaxPredictBodyBytes)
        {
            return Invalid("body", $"The body must be at most {MaxPredictBodyBytes} bytes.");
        }

        PredictRequest? trip;
        try
        {
            trip = await JsonSerializer.DeserializeAsync(request.Body, ApiJsonContext.Default.PredictRequest, cancellationToken);
        }
        catch (JsonException ex)
        {
            // The path names the field ("$.trip_distance"); the message would echo parser internals, so it stays out.
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            return Invalid(field, field == "body" ? "The body is not a valid JSON object." : $"{field} has the wrong type or format.");
        }

        if (trip is null)
        {
            return Invalid("body", "The body must be a JSON object.");
        }

        var errors = trip.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The trip is invalid.");
        }

        return await predictor.PredictAsync(trip, cancellationToken) is { } prediction
            ? TypedResults.Ok(prediction)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "No champion model",
                detail: "No fare model is champion yet, so there is nothing to score with. Train one (POST /api/admin/retrain, or the trainer's CLI); "
                    + "the trainer promotes it when it is the best, and the API scores with a new champion within Scoring:ReloadInterval (20 s by default).");
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request body is invalid.");
}
