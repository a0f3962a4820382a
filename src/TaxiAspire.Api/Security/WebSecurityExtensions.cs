using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace TaxiAspire.Api.Security;

internal static class WebSecurityExtensions
{
    /// <summary>The admin key, cross-origin access (only for configured origins) and the predict rate limit.</summary>
    public static IHostApplicationBuilder AddWebSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Browsers may call the API from other origins only when those origins are configured.
        var origins = CorsOrigins(builder.Configuration);
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. origins]).WithMethods("GET", "POST").AllowAnyHeader()));

        builder.Services.AddOptions<PredictRateLimitOptions>().BindConfiguration(PredictRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = "The predict rate limit was reached; retry later." },
                });
            };
            limiter.AddPolicy(PredictRateLimitOptions.PolicyName, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<PredictRateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitLimit, Window = settings.Window, QueueLimit = 0 });
            });
        });

        // The security headers already forbid framing (X-Frame-Options: DENY); antiforgery would add a second, weaker value.
        builder.Services.AddAntiforgery(options => options.SuppressXFrameOptionsHeader = true);
        return builder;
    }

    /// <summary>Security headers, CORS when origins are configured, rate limits and antiforgery, in that order.</summary>
    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (CorsOrigins(app.Configuration).Count > 0)
        {
            app.UseCors();
        }

        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    private static IList<string> CorsOrigins(IConfiguration configuration) =>
        configuration.GetSection(CorsSettings.SectionName).Get<CorsSettings>()?.AllowedOrigins ?? [];
}
