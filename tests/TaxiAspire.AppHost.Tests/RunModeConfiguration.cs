using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace TaxiAspire.AppHost.Tests;

/// <summary>
/// What the orchestrator hands a resource in run mode: endpoints allocated as DCP allocates them (the host port on the
/// localhost network, the target port under the resource's name on the container network), then the environment and
/// arguments resolved for that resource, through the same builder DCP uses.
/// </summary>
internal static class RunModeConfiguration
{
    public static void AllocateEndpoints(IEnumerable<IResource> resources)
    {
        var hostPort = 40000;
        foreach (var resource in resources)
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                var port = endpoint.Port ?? hostPort++;
                endpoint.AllAllocatedEndpoints.AddOrUpdateAllocatedEndpoint(KnownNetworkIdentifiers.LocalhostNetwork,
                    new AllocatedEndpoint(endpoint, "localhost", port, EndpointBindingMode.SingleAddress, targetPortExpression: null, KnownNetworkIdentifiers.LocalhostNetwork));
                if (resource is ContainerResource && endpoint.TargetPort is int target)
                {
                    endpoint.AllAllocatedEndpoints.AddOrUpdateAllocatedEndpoint(KnownNetworkIdentifiers.DefaultAspireContainerNetwork,
                        new AllocatedEndpoint(endpoint, resource.Name, target, EndpointBindingMode.SingleAddress, targetPortExpression: null, KnownNetworkIdentifiers.DefaultAspireContainerNetwork));
                }
            }
        }
    }

    public static async Task<IExecutionConfigurationResult> ResolveAsync(DistributedApplication app, IResource resource)
    {
        var context = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        Assert.True(context.IsRunMode);
        var result = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .WithArgumentsConfig()
            .BuildAsync(context, resourceLogger: null, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30)); // an unallocated endpoint fails the test instead of hanging it
        Assert.Null(result.Exception);
        return result;
    }
}
