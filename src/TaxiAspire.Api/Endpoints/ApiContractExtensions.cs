using System.Text.Json;
using Scalar.AspNetCore;

namespace TaxiAspire.Api.Endpoints;

internal static class ApiContractExtensions
{
    /// <summary>What every endpoint shares: snake_case source-generated JSON, ProblemDetails for errors, OpenAPI.</summary>
    public static IHostApplicationBuilder AddApiContract(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Whatever the environment, a client never sees exception details.
            context.ProblemDetails.Extensions.Remove("exception");
        });
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            // The context's own naming policy does not carry over to these options; snake_case is the API's contract.
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) and its reference page (<c>/scalar</c>).</summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }
}
