using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TaxiAspire.ModelRegistry.Mlflow;

namespace TaxiAspire.ModelRegistry.Tests;

/// <summary>The client exactly as services get it (typed client, resilience handler), pointed at a server.</summary>
internal sealed class MlflowTestClient : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly HttpClient _raw;

    public MlflowTestClient(Uri server)
    {
        var services = new ServiceCollection();
        services.AddMlflowClient();
        services.Configure<ModelRegistryOptions>(o => o.Location = server.ToString());
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<MlflowClient>();
        _raw = new HttpClient { BaseAddress = server };
    }

    public MlflowClient Client { get; }

    /// <summary>Deletes an experiment as the MLflow UI does (<c>POST experiments/delete</c>); the client itself never deletes.</summary>
    public async Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        using var response = await _raw.PostAsJsonAsync("api/2.0/mlflow/experiments/delete", new Dictionary<string, string> { ["experiment_id"] = experimentId }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        _raw.Dispose();
        _services.Dispose();
    }
}
