using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Api.Models;
using TaxiAspire.Api.Security;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/predict</c>: scoring one trip with the champion fare model.</summary>
internal static class PredictEndpoints
{
    /// <summary>The ProblemDetails member naming why a trip was refused: the stream's reject reason code.</summary>
    public const string ReasonExtension = "reason";

    public static IEndpointRouteBuilder MapPredictEndpoints(this IEndpointRouteBuilder app)
    {
        var predict = app.MapGroup("/api/predict").WithTags("Models");
        predict.MapPost("", Predict)
            .WithName("Predict")
            .WithSummary("Score one trip (event contract fields, without fare and tip) with the champion")
            .WithDescription("The trip is checked by the stream's own rules: a trip the processor would dead-letter is a 400 problem whose "
                + "reason member is the same reject reason code (invalid_vendor, outside_nyc, ...). fare_amount and tip_amount may be left out together.")
            .Accepts<PredictRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(PredictRateLimitOptions.PolicyName);
        return app;
    }

    private static async Task<Results<Ok<FarePrediction>, ProblemHttpResult>> Predict(
        HttpRequest request, TripValidator validator, IFarePredictor predictor, CancellationToken cancellationToken)
    {
        // Only the media type is the request's own business. Everything about the trip (its size included) is the
        // stream's rule, so a trip is refused here for exactly the reasons the processor would dead-letter it.
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The body must be JSON.",
                detail: "Send the trip as a JSON object with Content-Type: application/json.");
        }

        var body = await ReadBodyAsync(request.BodyReader, cancellationToken);
        var decoded = body is null
            ? TripDecodeResult.Failure(RejectReason.OversizedMessage, $"the body is larger than {TripJsonCodec.MaxMessageBytes} bytes")
            : validator.DecodeAndValidateForPricing(body);
        if (!decoded.IsSuccess)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The trip is invalid.",
                detail: decoded.Rejection.Detail,
                extensions: new Dictionary<string, object?> { [ReasonExtension] = decoded.Rejection.Code });
        }

        return await predictor.PredictAsync(decoded.Trip, cancellationToken) is { } prediction
            ? TypedResults.Ok(prediction)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "No champion model",
                detail: "No fare model is champion yet, so there is nothing to score with. Train one (POST /api/admin/retrain, or the trainer's CLI); "
                    + "the trainer promotes it when it is the best, and the API scores with a new champion within Scoring:ReloadInterval (20 s by default).");
    }

    /// <summary>The whole body, or null once it grows past the contract's message limit (the rest is not read).</summary>
    private static async Task<byte[]?> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > TripJsonCodec.MaxMessageBytes)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
