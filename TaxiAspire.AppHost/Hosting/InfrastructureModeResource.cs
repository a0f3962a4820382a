using System.Collections.Immutable;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>A row in the dashboard that says which infrastructure mode runs, and why.</summary>
public sealed class InfrastructureModeResource(string name, InfrastructureMode mode, string reason) : Resource(name)
{
    public InfrastructureMode Mode { get; } = mode;

    public string Reason { get; } = reason;

    internal CustomResourceSnapshot Snapshot => new()
    {
        ResourceType = "Infrastructure",
        State = new ResourceStateSnapshot(Mode.ToString().ToLowerInvariant(), KnownResourceStateStyles.Info),
        Properties = ImmutableArray.Create(
            new ResourcePropertySnapshot("infrastructure.mode", Mode.ToString().ToLowerInvariant()),
            new ResourcePropertySnapshot("infrastructure.reason", Reason)),
    };
}
