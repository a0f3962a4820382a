using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using TaxiAspire.ModelRegistry.Local;
using TaxiAspire.ModelRegistry.Mlflow;

namespace TaxiAspire.ModelRegistry;

public static class ModelRegistryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModelRegistry"/>: MLflow when the <c>mlflow</c> connection string is an HTTP URL,
    /// otherwise the local folder it names. The <see cref="MlflowClient"/> retries transient failures (connection
    /// errors, 408, 429, 5xx, as MLflow's own client does) with exponential back-off, except a 500 from an artifact
    /// download, which is how MLflow answers a missing file.
    /// </summary>
    public static IServiceCollection AddModelRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ModelRegistryOptions>()
            .BindConfiguration(ModelRegistryOptions.SectionName)
            .Configure(o =>
            {
                if (configuration.GetConnectionString(ModelRegistryOptions.ConnectionName) is { Length: > 0 } location)
                {
                    o.Location = location;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMlflowClient();
        services.AddSingleton<IModelRegistry>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ModelRegistryOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return options.IsMlflowServer
                ? new MlflowModelRegistry(sp.GetRequiredService<MlflowClient>(), time)
                : new LocalFolderModelRegistry(options.LocalDirectory, time);
        });
        return services;
    }

    /// <summary>The typed <see cref="MlflowClient"/> with its base address from <see cref="ModelRegistryOptions.Location"/>.</summary>
    public static IHttpClientBuilder AddMlflowClient(this IServiceCollection services)
    {
        services.AddOptions<ModelRegistryOptions>();
        services.AddSingleton(TimeProvider.System);
        var builder = services.AddHttpClient<MlflowClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<ModelRegistryOptions>>().Value;
            if (options.IsMlflowServer)
            {
                http.BaseAddress = new Uri(options.Location.TrimEnd('/') + "/");
            }

            // The resilience pipeline owns time-outs; HttpClient's own would cut retries short.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });

        // One pipeline, ours: drop the service defaults' standard handler so requests are not retried twice.
#pragma warning disable EXTEXP0001 // Evaluation API, but the documented way to replace an inherited handler.
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddResilienceHandler("mlflow", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<ModelRegistryOptions>>().Value;
            pipeline.AddTimeout(options.RequestTimeout);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome) && !IsMissingArtifactAnswer(args.Outcome.Result)),
            });
            pipeline.AddTimeout(TimeSpan.FromSeconds(30));
        });
        return builder;
    }

    // GET /api/2.0/mlflow-artifacts/artifacts/<path> answers a missing file with 500 INTERNAL_ERROR (2.x and 3.x:
    // the artifact repository's error is re-raised as INTERNAL_ERROR); retrying it only delays "not found".
    private static bool IsMissingArtifactAnswer(HttpResponseMessage? response) =>
        response is { StatusCode: System.Net.HttpStatusCode.InternalServerError, RequestMessage: { } request }
        && request.Method == HttpMethod.Get
        && request.RequestUri?.AbsolutePath.Contains("/api/2.0/mlflow-artifacts/artifacts/", StringComparison.Ordinal) == true;
}
