using Microsoft.Extensions.DependencyInjection;
using TaxiAspire.ModelRegistry.Mlflow;

namespace TaxiAspire.ModelRegistry.Tests;

/// <summary>The client exactly as services get it (typed client, resilience handler), pointed at a fake server.</summary>
internal sealed class MlflowTestClient : IDisposable
{
    private readonly ServiceProvider _services;

    public MlflowTestClient(Uri server)
    {
        var services = new ServiceCollection();
        services.AddMlflowClient();
        services.Configure<ModelRegistryOptions>(o => o.Location = server.ToString());
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<MlflowClient>();
    }

    public MlflowClient Client { get; }

    public void Dispose() => _services.Dispose();
}
