using System.Buffers;
using System.Globalization;
using System.Text.Json;
using TaxiAspire.Trips.Validation;

namespace TaxiAspire.Trips.Contract;

/// <summary>
/// Reads and writes the trip contract. Hand-written over <see cref="Utf8JsonReader"/>/<see cref="Utf8JsonWriter"/>
/// rather than a serializer so that the stream processor's hot path allocates little and every defect maps to a
/// precise <see cref="RejectReason"/> naming the field.
/// </summary>
public static class TripJsonCodec
{
    /// <summary>Messages larger than this are rejected before parsing; a trip is ~350 bytes.</summary>
    public const int MaxMessageBytes = 16 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static TripDecodeResult Decode(ReadOnlySpan<byte> utf8Json) => Decode(utf8Json, priceOptional: false, out _);

    /// <summary>
    /// Decodes a trip that may come without its price, as one sent to be priced does: when <c>fare_amount</c> and
    /// <c>tip_amount</c> are both absent the trip carries 0 for them and <paramref name="priced"/> is false; one
    /// without the other is still a missing field.
    /// </summary>
    public static TripDecodeResult DecodeWithOptionalPrice(ReadOnlySpan<byte> utf8Json, out bool priced) =>
        Decode(utf8Json, priceOptional: true, out priced);

    private static TripDecodeResult Decode(ReadOnlySpan<byte> utf8Json, bool priceOptional, out bool priced)
    {
        priced = true;
        if (utf8Json.Length > MaxMessageBytes)
        {
            return TripDecodeResult.Failure(RejectReason.OversizedMessage, $"message is {utf8Json.Length} bytes; the limit is {MaxMessageBytes}");
        }

        try
        {
            return DecodeCore(utf8Json, priceOptional, out priced);
        }
        catch (JsonException ex)
        {
            return TripDecodeResult.Failure(RejectReason.MalformedJson, ex.Message);
        }
    }

    private static TripDecodeResult DecodeCore(ReadOnlySpan<byte> utf8Json, bool priceOptional, out bool priced)
    {
        priced = true;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 8 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return TripDecodeResult.Failure(RejectReason.MalformedJson, "a trip must be a JSON object");
        }

        var fields = new FieldValues();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (reader.Read())
                {
                    return TripDecodeResult.Failure(RejectReason.MalformedJson, "unexpected content after the JSON object");
                }

                priced = !priceOptional || fields.FareAmount is not null || fields.TipAmount is not null;
                return fields.ToTrip(priced);
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return TripDecodeResult.Failure(RejectReason.MalformedJson, "expected a property name");
            }

            var error = ReadField(ref reader, ref fields);
            if (error is not null)
            {
                return TripDecodeResult.Failure(error.Reason, error.Detail);
            }
        }

        return TripDecodeResult.Failure(RejectReason.MalformedJson, "the JSON object is not closed");
    }

    private static TripRejection? ReadField(ref Utf8JsonReader reader, ref FieldValues fields)
    {
        if (reader.ValueTextEquals(TripFields.VendorId)) return ReadInt(ref reader, TripFields.VendorId, out fields.VendorId);
        if (reader.ValueTextEquals(TripFields.PickupDateTime)) return ReadDateTime(ref reader, TripFields.PickupDateTime, out fields.Pickup);
        if (reader.ValueTextEquals(TripFields.DropoffDateTime)) return ReadDateTime(ref reader, TripFields.DropoffDateTime, out fields.Dropoff);
        if (reader.ValueTextEquals(TripFields.PassengerCount)) return ReadInt(ref reader, TripFields.PassengerCount, out fields.PassengerCount);
        if (reader.ValueTextEquals(TripFields.TripDistance)) return ReadDouble(ref reader, TripFields.TripDistance, out fields.TripDistance);
        if (reader.ValueTextEquals(TripFields.PickupLongitude)) return ReadDouble(ref reader, TripFields.PickupLongitude, out fields.PickupLongitude);
        if (reader.ValueTextEquals(TripFields.PickupLatitude)) return ReadDouble(ref reader, TripFields.PickupLatitude, out fields.PickupLatitude);
        if (reader.ValueTextEquals(TripFields.DropoffLongitude)) return ReadDouble(ref reader, TripFields.DropoffLongitude, out fields.DropoffLongitude);
        if (reader.ValueTextEquals(TripFields.DropoffLatitude)) return ReadDouble(ref reader, TripFields.DropoffLatitude, out fields.DropoffLatitude);
        if (reader.ValueTextEquals(TripFields.PaymentType)) return ReadInt(ref reader, TripFields.PaymentType, out fields.PaymentType);
        if (reader.ValueTextEquals(TripFields.RateCodeId)) return ReadInt(ref reader, TripFields.RateCodeId, out fields.RateCodeId);
        if (reader.ValueTextEquals(TripFields.FareAmount)) return ReadDecimal(ref reader, TripFields.FareAmount, out fields.FareAmount);
        if (reader.ValueTextEquals(TripFields.TipAmount)) return ReadDecimal(ref reader, TripFields.TipAmount, out fields.TipAmount);
        if (reader.ValueTextEquals(TripFields.TripId)) return ReadString(ref reader, TripFields.TripId, out fields.TripId);

        // Unknown fields are ignored, whatever their shape.
        reader.Read();
        reader.Skip();
        return null;
    }

    private static TripRejection? ReadInt(ref Utf8JsonReader reader, string field, out int? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out var i))
            {
                value = i;
                return null;
            }

            // Python clients may send whole numbers as floats (1.0).
            if (reader.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                value = (int)d;
                return null;
            }
        }

        return Mistyped(ref reader, field, "an integer");
    }

    private static TripRejection? ReadDouble(ref Utf8JsonReader reader, string field, out double? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d) && double.IsFinite(d))
        {
            value = d;
            return null;
        }

        return Mistyped(ref reader, field, "a number");
    }

    private static TripRejection? ReadDecimal(ref Utf8JsonReader reader, string field, out decimal? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var m))
        {
            value = m;
            return null;
        }

        return Mistyped(ref reader, field, "a number");
    }

    private static TripRejection? ReadString(ref Utf8JsonReader reader, string field, out string? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.String)
        {
            value = reader.GetString();
            return null;
        }

        return Mistyped(ref reader, field, "a string");
    }

    private static TripRejection? ReadDateTime(ref Utf8JsonReader reader, string field, out DateTime? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
            && TryParseContractDateTime(reader.ValueSpan, out var parsed))
        {
            value = parsed;
            return null;
        }

        return Mistyped(ref reader, field, $"a \"{TripFields.DateTimeFormat}\" string");
    }

    private static TripRejection Mistyped(ref Utf8JsonReader reader, string field, string expected)
    {
        var token = reader.TokenType;
        if (token is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            reader.Skip();
        }

        return new TripRejection(RejectReason.InvalidFieldType, $"{field} must be {expected}, not {Describe(token)}");
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "this number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => token.ToString(),
    };

    /// <summary>Parses <c>yyyy-MM-dd HH:mm:ss</c> from UTF-8 without allocating.</summary>
    public static bool TryParseContractDateTime(ReadOnlySpan<byte> s, out DateTime value)
    {
        value = default;
        if (s.Length != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day)
            || !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute) || !Digits(s.Slice(17, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;

        static bool Digits(ReadOnlySpan<byte> digits, out int number)
        {
            number = 0;
            foreach (var b in digits)
            {
                if (b is < (byte)'0' or > (byte)'9') return false;
                number = (number * 10) + (b - '0');
            }

            return true;
        }
    }

    public static string FormatContractDateTime(DateTime value) =>
        value.ToString(TripFields.DateTimeFormat, CultureInfo.InvariantCulture);

    public static byte[] Encode(TripEvent trip)
    {
        var buffer = new ArrayBufferWriter<byte>(384);
        Encode(trip, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Encode(TripEvent trip, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(trip);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        if (trip.TripId is not null) writer.WriteString(EncodedNames.TripId, trip.TripId);
        writer.WriteNumber(EncodedNames.VendorId, trip.VendorId);
        WriteDateTime(writer, EncodedNames.PickupDateTime, trip.PickupDateTime);
        if (trip.DropoffDateTime is { } dropoff) WriteDateTime(writer, EncodedNames.DropoffDateTime, dropoff);
        writer.WriteNumber(EncodedNames.PassengerCount, trip.PassengerCount);
        writer.WriteNumber(EncodedNames.TripDistance, Math.Round(trip.TripDistance, 2));
        WriteOptional(writer, EncodedNames.PickupLongitude, trip.PickupLongitude);
        WriteOptional(writer, EncodedNames.PickupLatitude, trip.PickupLatitude);
        WriteOptional(writer, EncodedNames.DropoffLongitude, trip.DropoffLongitude);
        WriteOptional(writer, EncodedNames.DropoffLatitude, trip.DropoffLatitude);
        writer.WriteNumber(EncodedNames.PaymentType, trip.PaymentType);
        if (trip.RateCodeId is { } rate) writer.WriteNumber(EncodedNames.RateCodeId, rate);
        writer.WriteNumber(EncodedNames.FareAmount, trip.FareAmount);
        writer.WriteNumber(EncodedNames.TipAmount, trip.TipAmount);
        writer.WriteEndObject();
    }

    // Formats yyyy-MM-dd HH:mm:ss digit by digit: a custom DateTime format string is re-parsed on every call, and
    // the producer's backfill encodes hundreds of thousands of trips a second.
    private static void WriteDateTime(Utf8JsonWriter writer, JsonEncodedText field, DateTime value)
    {
        Span<byte> text = stackalloc byte[19];
        Four(text, value.Year);
        text[4] = (byte)'-';
        Two(text[5..], value.Month);
        text[7] = (byte)'-';
        Two(text[8..], value.Day);
        text[10] = (byte)' ';
        Two(text[11..], value.Hour);
        text[13] = (byte)':';
        Two(text[14..], value.Minute);
        text[16] = (byte)':';
        Two(text[17..], value.Second);
        writer.WriteString(field, text);

        static void Two(Span<byte> span, int number)
        {
            span[0] = (byte)('0' + (number / 10));
            span[1] = (byte)('0' + (number % 10));
        }

        static void Four(Span<byte> span, int number)
        {
            Two(span, number / 100);
            Two(span[2..], number % 100);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, JsonEncodedText field, double? value)
    {
        if (value is { } v) writer.WriteNumber(field, Math.Round(v, 6));
    }

    /// <summary>Property names pre-encoded once (immutable), so writing them is a copy.</summary>
    private static class EncodedNames
    {
        public static readonly JsonEncodedText TripId = JsonEncodedText.Encode(TripFields.TripId);
        public static readonly JsonEncodedText VendorId = JsonEncodedText.Encode(TripFields.VendorId);
        public static readonly JsonEncodedText PickupDateTime = JsonEncodedText.Encode(TripFields.PickupDateTime);
        public static readonly JsonEncodedText DropoffDateTime = JsonEncodedText.Encode(TripFields.DropoffDateTime);
        public static readonly JsonEncodedText PassengerCount = JsonEncodedText.Encode(TripFields.PassengerCount);
        public static readonly JsonEncodedText TripDistance = JsonEncodedText.Encode(TripFields.TripDistance);
        public static readonly JsonEncodedText PickupLongitude = JsonEncodedText.Encode(TripFields.PickupLongitude);
        public static readonly JsonEncodedText PickupLatitude = JsonEncodedText.Encode(TripFields.PickupLatitude);
        public static readonly JsonEncodedText DropoffLongitude = JsonEncodedText.Encode(TripFields.DropoffLongitude);
        public static readonly JsonEncodedText DropoffLatitude = JsonEncodedText.Encode(TripFields.DropoffLatitude);
        public static readonly JsonEncodedText PaymentType = JsonEncodedText.Encode(TripFields.PaymentType);
        public static readonly JsonEncodedText RateCodeId = JsonEncodedText.Encode(TripFields.RateCodeId);
        public static readonly JsonEncodedText FareAmount = JsonEncodedText.Encode(TripFields.FareAmount);
        public static readonly JsonEncodedText TipAmount = JsonEncodedText.Encode(TripFields.TipAmount);
    }

    /// <summary>Collects field values while reading; required ones are checked at the end.</summary>
    private struct FieldValues
    {
        public string? TripId;
        public int? VendorId;
        public DateTime? Pickup;
        public DateTime? Dropoff;
        public int? PassengerCount;
        public double? TripDistance;
        public double? PickupLongitude;
        public double? PickupLatitude;
        public double? DropoffLongitude;
        public double? DropoffLatitude;
        public int? PaymentType;
        public int? RateCodeId;
        public decimal? FareAmount;
        public decimal? TipAmount;

        public readonly TripDecodeResult ToTrip(bool priced)
        {
            var missing = FirstMissing(priced);
            if (missing is not null)
            {
                return TripDecodeResult.Failure(RejectReason.MissingField, $"{missing} is required");
            }

            return TripDecodeResult.Success(new TripEvent
            {
                TripId = TripId,
                VendorId = VendorId!.Value,
                PickupDateTime = Pickup!.Value,
                DropoffDateTime = Dropoff,
                PassengerCount = PassengerCount!.Value,
                TripDistance = TripDistance!.Value,
                PickupLongitude = PickupLongitude,
                PickupLatitude = PickupLatitude,
                DropoffLongitude = DropoffLongitude,
                DropoffLatitude = DropoffLatitude,
                PaymentType = PaymentType!.Value,
                RateCodeId = RateCodeId,
                FareAmount = priced ? FareAmount!.Value : 0m,
                TipAmount = priced ? TipAmount!.Value : 0m,
            });
        }

        private readonly string? FirstMissing(bool priced) =>
            VendorId is null ? TripFields.VendorId
            : Pickup is null ? TripFields.PickupDateTime
            : PassengerCount is null ? TripFields.PassengerCount
            : TripDistance is null ? TripFields.TripDistance
            : PaymentType is null ? TripFields.PaymentType
            : !priced ? null
            : FareAmount is null ? TripFields.FareAmount
            : TipAmount is null ? TripFields.TipAmount
            : null;
    }
}
