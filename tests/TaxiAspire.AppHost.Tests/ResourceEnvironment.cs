using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TaxiAspire.AppHost.Tests;

/// <summary>Evaluates a resource's environment callbacks as the orchestrator would, without starting anything.</summary>
internal static class ResourceEnvironment
{
    public static Task<Dictionary<string, string>> EvaluateAsync(IResource resource, DistributedApplicationOperation operation)
    {
        // Obsolete in favour of ExecutionConfigurationBuilder, but still the one-call way to evaluate a model in tests.
#pragma warning disable CS0618
        return ((IResourceWithEnvironment)resource).GetEnvironmentVariableValuesAsync(operation).AsTask()
            .WaitAsync(TimeSpan.FromSeconds(30)); // an unresolvable reference fails the test instead of hanging it
#pragma warning restore CS0618
    }
}
