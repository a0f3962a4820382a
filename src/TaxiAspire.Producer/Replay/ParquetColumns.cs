using Parquet;
using Parquet.Schema;

namespace TaxiAspire.Producer.Replay;

/// <summary>Reads one column of a row group as numbers or timestamps, whatever physical type the file chose.</summary>
internal static class ParquetColumns
{
    public static async Task<double?[]> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(double)) return Convert(await ReadAsync<double>(group, field, rows, cancellationToken), v => v);
        if (type == typeof(float)) return Convert(await ReadAsync<float>(group, field, rows, cancellationToken), v => (double)v);
        if (type == typeof(long)) return Convert(await ReadAsync<long>(group, field, rows, cancellationToken), v => (double)v);
        if (type == typeof(int)) return Convert(await ReadAsync<int>(group, field, rows, cancellationToken), v => (double)v);
        if (type == typeof(short)) return Convert(await ReadAsync<short>(group, field, rows, cancellationToken), v => (double)v);
        if (type == typeof(decimal)) return Convert(await ReadAsync<decimal>(group, field, rows, cancellationToken), v => (double)v);
        throw new InvalidDataException($"Column {field.Name} holds {type.Name}; a number is expected.");
    }

    public static async Task<DateTime?[]> ReadTimestampsAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        // TLC stamps are New York wall-clock times written without a zone; whatever Kind the library gives, the clock
        // reading is what the contract carries.
        if (field.ClrType == typeof(DateTime))
        {
            return Convert(await ReadAsync<DateTime>(group, field, rows, cancellationToken), v => DateTime.SpecifyKind(v, DateTimeKind.Unspecified));
        }

        if (field.ClrType == typeof(DateTimeOffset))
        {
            return Convert(await ReadAsync<DateTimeOffset>(group, field, rows, cancellationToken), v => v.DateTime);
        }

        throw new InvalidDataException($"Column {field.Name} holds {field.ClrType.Name}; a timestamp is expected.");
    }

    private static async Task<T?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[rows];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken);
            return values;
        }

        var dense = new T[rows];
        await group.ReadAsync(field, dense.AsMemory(), null, cancellationToken);
        for (var i = 0; i < rows; i++)
        {
            values[i] = dense[i];
        }

        return values;
    }

    private static TOut?[] Convert<TIn, TOut>(TIn?[] values, Func<TIn, TOut> convert)
        where TIn : struct
        where TOut : struct
    {
        var result = new TOut?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v) result[i] = convert(v);
        }

        return result;
    }
}
