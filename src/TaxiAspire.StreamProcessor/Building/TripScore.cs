namespace TaxiAspire.StreamProcessor.Building;

/// <summary>The champion's prediction for a trip, the version that made it, and whether the fare is an anomaly.</summary>
public sealed record TripScore(decimal Prediction, string ModelVersion, bool IsFareAnomaly);
