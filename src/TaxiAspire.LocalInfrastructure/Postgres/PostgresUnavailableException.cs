namespace TaxiAspire.LocalInfrastructure.Postgres;

/// <summary>The machine cannot run a local PostgreSQL server as configured; the message says what to change.</summary>
public sealed class PostgresUnavailableException : Exception
{
    public PostgresUnavailableException()
    {
    }

    public PostgresUnavailableException(string message)
        : base(message)
    {
    }

    public PostgresUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
