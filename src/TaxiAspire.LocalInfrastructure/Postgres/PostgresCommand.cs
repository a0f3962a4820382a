namespace TaxiAspire.LocalInfrastructure.Postgres;

/// <summary>A process to launch: what an external supervisor (the Aspire AppHost) needs to run the server.</summary>
public sealed record PostgresCommand(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory);
