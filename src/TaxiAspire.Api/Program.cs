using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Radzen;
using Scalar.AspNetCore;
using TaxiAspire.Api;
using TaxiAspire.Api.Caching;
using TaxiAspire.Api.Components;
using TaxiAspire.Api.Endpoints;
using TaxiAspire.Api.Models;
using TaxiAspire.Api.Monitoring;
using TaxiAspire.Api.Security;
using TaxiAspire.Api.Training;
using TaxiAspire.Api.DeadLetters;
using TaxiAspire.Api.Stats;
using TaxiAspire.Api.Trips;
using TaxiAspire.Api.Windows;
using TaxiAspire.ModelRegistry;
using TaxiAspire.Scoring;
using TaxiAspire.Trips.Windows;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("taxidb");

builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton(HoppingWindows.Default);
builder.Services.AddSingleton<TripQueries>();
builder.Services.AddSingleton<WindowQueries>();
builder.Services.AddSingleton<StatsQueries>();
builder.Services.AddSingleton<DeadLetterQueries>();

// When the AppHost hands the API its "mlflow" connection (a server URL or the local registry folder), the shared
// champion scoring registers the registry and follows its champion alias, as the processor does; model versions
// are read from the same registry. Without one no champion ever loads: predict answers 503, the catalog is empty.
builder.AddChampionScoring();
builder.Services.AddSingleton<IFarePredictor, ChampionFarePredictor>();
if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ModelRegistryOptions.ConnectionName)))
{
    builder.Services.AddSingleton<IModelCatalog, RegistryModelCatalog>();
}

builder.Services.TryAddSingleton<IModelCatalog, UnconfiguredModelCatalog>();
builder.Services.AddOptions<ModelStatusOptions>().BindConfiguration(ModelStatusOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<LiveModelQueries>();
builder.Services.AddSingleton<ModelStatusReader>();

// Consumer lag needs the broker's high watermarks; without a Kafka connection lag is reported as unknown.
if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("kafka")))
{
    builder.AddKafkaConsumer<byte[]?, byte[]?>("kafka", configureConfig: config =>
    {
        config.GroupId = "taxiaspire-api-lag";
        config.EnableAutoCommit = false;
    });
    builder.Services.AddSingleton<IHighWatermarks, KafkaHighWatermarks>();
}
else
{
    builder.Services.AddSingleton<IHighWatermarks, NoHighWatermarks>();
}

builder.Services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<PipelineMonitor>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PipelineMonitor>());

builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<TrainerClientOptions>().BindConfiguration(TrainerClientOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHttpClient<TrainerClient>((sp, http) =>
{
    if (sp.GetRequiredService<IOptions<TrainerClientOptions>>().Value.BaseAddress is { Length: > 0 } address)
    {
        http.BaseAddress = new Uri(address);
    }
});

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

// Browsers may call the API from other origins only when those origins are configured.
var corsOrigins = builder.Configuration.GetSection(CorsSettings.SectionName).Get<CorsSettings>()?.AllowedOrigins ?? [];
builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. corsOrigins]).WithMethods("GET", "POST").AllowAnyHeader()));

builder.Services.AddOptions<PredictRateLimitOptions>().BindConfiguration(PredictRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddRateLimiter(limiter =>
{
    limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    limiter.OnRejected = async (context, cancellationToken) =>
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
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

// Windows change at most once per processor batch; answers serialized once and refreshed ahead in the background
// (at most a second old) keep pollers off the database and off the serializer.
builder.Services.AddSingleton<JsonAnswers>();
builder.Services.AddSingleton<WindowAnswers>();
builder.Services.AddSingleton<StatsAnswer>();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
// The AppHost runs the API from its build output in the Production environment (it has no launch profile), where
// package assets (_framework/blazor.web.js, Radzen's files) are found only through the build's static web assets
// manifest. This reads it when present; a published app has the files in wwwroot and no manifest, so it is a no-op.
builder.WebHost.UseStaticWebAssets();
// The security headers already forbid framing (X-Frame-Options: DENY); antiforgery would add a second, weaker value.
builder.Services.AddAntiforgery(options => options.SuppressXFrameOptionsHeader = true);
builder.Services.AddRadzenComponents();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
if (corsOrigins.Count > 0)
{
    app.UseCors();
}

app.UseRateLimiter();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapScalarApiReference();

app.MapGroup("/api")
    .MapTripEndpoints()
    .MapWindowEndpoints()
    .MapStatsEndpoints()
    .MapModelEndpoints()
    .MapDeadLetterEndpoints()
    .MapAdminEndpoints();

app.MapStaticAssets();
// Our own policy (SecurityHeaders) already says frame-ancestors 'none'; Blazor would add a second CSP header.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);

app.Run();
