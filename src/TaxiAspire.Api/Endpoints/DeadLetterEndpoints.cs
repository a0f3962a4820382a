using Microsoft.AspNetCore.Http.HttpResults;
using TaxiAspire.Api.Validation;
using TaxiAspire.Api.DeadLetters;

namespace TaxiAspire.Api.Endpoints;

/// <summary><c>/api/dead-letters</c>: the latest rejected messages with their reasons.</summary>
internal static class DeadLetterEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapDeadLetterEndpoints(this IEndpointRouteBuilder app)
    {
        var deadLetters = app.MapGroup("/api/dead-letters").WithTags("Dead letters");
        deadLetters.MapGet("", GetDeadLetters)
            .WithName("GetDeadLetters")
            .WithSummary("The latest rejected messages, newest first")
            .WithDescription($"Filters: reason (a reject reason code), limit. Payloads are shown as UTF-8 text, cut at {DeadLetterQueries.PayloadPreviewBytes} bytes.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetterView>>, ValidationProblem>> GetDeadLetters(
        DeadLetterQueries queries, CancellationToken cancellationToken, string? reason = null, string? limit = null)
    {
        var errors = new ParameterErrors();
        var take = errors.Int("limit", limit, DefaultLimit, 1, MaxLimit);
        if (reason is not null && (reason.Length is 0 or > 64 || !reason.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            errors.Add("reason", "reason must be a reason code: 1 to 64 letters, digits, '_', '-' or '.'.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await queries.LatestAsync(reason, take, cancellationToken));
    }
}
