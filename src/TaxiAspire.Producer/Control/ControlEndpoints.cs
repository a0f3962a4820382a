using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TaxiAspire.Producer.Control;

/// <summary>
/// <c>/control/*</c>: what the Aspire dashboard's producer commands call (see the AppHost's ProducerCommands). Plain
/// query parameters, so <c>curl -X POST localhost:port/control/rate?tripsPerSecond=200</c> works as well.
/// </summary>
internal static class ControlEndpoints
{
    public static IEndpointRouteBuilder MapProducerControls(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/control");
        control.MapGet("/", (ProducerControl c) => TypedResults.Ok(c.Status()));
        control.MapPost("/pause", (ProducerControl c) =>
        {
            c.Pause();
            return TypedResults.Ok(c.Status());
        });
        control.MapPost("/resume", (ProducerControl c) =>
        {
            c.Resume();
            return TypedResults.Ok(c.Status());
        });
        control.MapPost("/rate", Results<Ok<ProducerStatus>, ProblemHttpResult> (ProducerControl c, double tripsPerSecond) =>
        {
            if (tripsPerSecond is < 0.1 or > 1_000_000)
            {
                return TypedResults.Problem("tripsPerSecond must lie between 0.1 and 1,000,000.", statusCode: StatusCodes.Status400BadRequest);
            }

            c.SetRate(tripsPerSecond);
            return TypedResults.Ok(c.Status());
        });
        control.MapPost("/burst", Results<Ok<ProducerStatus>, ProblemHttpResult> (ProducerControl c, int count, bool? dirty) =>
        {
            if (count is < 1 or > ProducerControl.MaxBurst)
            {
                return TypedResults.Problem($"count must lie between 1 and {ProducerControl.MaxBurst:N0}.", statusCode: StatusCodes.Status400BadRequest);
            }

            c.RequestBurst(count, dirty ?? false);
            return TypedResults.Ok(c.Status());
        });
        return app;
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProducerStatus))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
internal sealed partial class ProducerControlJsonContext : JsonSerializerContext;
