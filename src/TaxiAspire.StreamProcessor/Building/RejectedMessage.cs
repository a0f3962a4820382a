namespace TaxiAspire.StreamProcessor.Building;

/// <summary>A message the validator refused, kept with its original bytes.</summary>
public sealed record RejectedMessage(KafkaSource Source, string ReasonCode, string Detail, ReadOnlyMemory<byte> Payload);
