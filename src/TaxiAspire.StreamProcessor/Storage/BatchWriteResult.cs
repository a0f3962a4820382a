namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>
/// What one committed micro-batch changed. <see cref="CopiedIntoTrips"/> tells that its trips took the fast path, a
/// COPY straight into <c>trips</c> (see <see cref="TripBatchWriter"/>).
/// </summary>
public sealed record BatchWriteResult(int TripsInserted, int TripsAlreadyStored, int RejectsInserted, int WindowsClosed = 0, bool CopiedIntoTrips = false);
