namespace TaxiAspire.ModelRegistry;

/// <summary>
/// A registration refused before anything was stored (no run, no file, no version), e.g. a metric that is NaN or
/// infinite. An <see cref="InvalidOperationException"/> so a training loop treats it like any failed cycle.
/// </summary>
public sealed class InvalidModelRegistrationException : InvalidOperationException
{
    public InvalidModelRegistrationException()
    {
    }

    public InvalidModelRegistrationException(string message)
        : base(message)
    {
    }

    public InvalidModelRegistrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
