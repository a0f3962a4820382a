namespace TaxiAspire.AppHost.Hosting.Local;

/// <summary>Dashboard property names shared by the local-mode resources.</summary>
internal static class LocalInfrastructureProperties
{
    public const string Mode = "infrastructure.mode";
    public const string LocalMode = "local";
}
