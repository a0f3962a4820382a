using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TaxiAspire.Api.Validation;

/// <summary>
/// Parses query parameters by hand, so that every bad value gives a 400 ProblemDetails that names the field: the
/// framework's own binding failures name it only in Development and only in an exception message.
/// </summary>
internal sealed class ParameterErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(_errors, title: "One or more parameters are invalid.");

    public int Int(string field, string? raw, int defaultValue, int min, int max)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return defaultValue;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Add(field, $"{field} must be a whole number from {min} to {max}.");
            return defaultValue;
        }

        return value;
    }

    public int? OptionalInt(string field, string? raw, int min, int max) =>
        string.IsNullOrEmpty(raw) ? null : Int(field, raw, min, min, max);

    public long? OptionalLong(string field, string? raw, long min)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            Add(field, $"{field} must be a whole number of at least {min}.");
            return null;
        }

        return value;
    }

    public bool? OptionalBool(string field, string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (!bool.TryParse(raw, out var value))
        {
            Add(field, $"{field} must be true or false.");
            return null;
        }

        return value;
    }

    /// <summary>An ISO 8601 instant; one without an offset is taken as UTC.</summary>
    public DateTimeOffset? OptionalInstant(string field, string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            Add(field, $"{field} must be an ISO 8601 date and time, e.g. 2026-11-25T15:00:00Z.");
            return null;
        }

        return value;
    }

    public void RequireOrder(string fromField, DateTimeOffset? from, string toField, DateTimeOffset? to)
    {
        if (from is { } f && to is { } t && f >= t)
        {
            Add(toField, $"{toField} must be later than {fromField}.");
        }
    }
}
