namespace TaxiAspire.Data.Ingestion;

/// <summary>What one committed micro-batch changed.</summary>
public sealed record BatchWriteResult(int TripsInserted, int TripsAlreadyStored, int RejectsInserted, int WindowsClosed = 0);
