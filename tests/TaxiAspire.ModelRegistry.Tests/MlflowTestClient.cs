using System.Text;
using System.Text.Json;
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
        // StringContent has a length: MLflow 3.x reads a chunked body as empty (see FakeMlflowServer.ReadBody).
        using var body = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["experiment_id"] = experimentId }), Encoding.UTF8, "application/json");
        using var response = await _raw.PostAsync("api/2.0/mlflow/experiments/delete", body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        _raw.Dispose();
        _services.Dispose();
    }
}
