using System.Globalization;

namespace Autograd.Data;

/// <summary>Reads numeric CSV files into tensors (as <c>numpy.loadtxt</c> / <c>pandas.read_csv(...).values</c> do for numbers).</summary>
public static class Csv
{
    /// <summary>
    /// The numbers of the CSV file <paramref name="path"/> as a 2-d tensor <c>[rows, columns]</c> of <paramref name="dtype"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="hasHeader">Whether the first non-blank line holds column names (skipped; it still fixes the column count).</param>
    /// <param name="delimiter">The field separator.</param>
    /// <param name="dtype">The element type. Floats accept <c>nan</c>, <c>inf</c>, <c>-inf</c> and exponents; integers must be
    /// integral; bool accepts <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c> (any case).</param>
    /// <remarks>Blank lines are skipped; fields may be surrounded by spaces and by double quotes.</remarks>
    /// <exception cref="FormatException">A field is empty or not a number of the dtype, or a row has a different number of fields; the message gives the line and column.</exception>
    public static Tensor ReadTensor(string path, bool hasHeader = false, char delimiter = ',', DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path);
        return ReadTensor(reader, hasHeader, delimiter, dtype);
    }

    /// <summary>As <see cref="ReadTensor(string, bool, char, DType)"/>, from <paramref name="reader"/>.</summary>
    public static Tensor ReadTensor(TextReader reader, bool hasHeader = false, char delimiter = ',', DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return dtype switch
        {
            DType.Float32 => Read<float>(reader, hasHeader, delimiter, dtype, ParseFloat),
            DType.Int64 => Read<long>(reader, hasHeader, delimiter, dtype, ParseLong),
            DType.Int32 => Read<int>(reader, hasHeader, delimiter, dtype, ParseInt),
            DType.Bool => Read<bool>(reader, hasHeader, delimiter, dtype, ParseBool),
            _ => Read<double>(reader, hasHeader, delimiter, dtype, ParseDouble),   // float64, and float16/bfloat16 rounded once from the exact decimal's double
        };
    }

    private delegate bool Parser<T>(string text, out T value);

    private static Tensor Read<T>(TextReader reader, bool hasHeader, char delimiter, DType dtype, Parser<T> parse)
    {
        var values = new List<T>();
        int columns = -1, rows = 0, lineNumber = 0, firstLine = 0;
        bool headerPending = hasHeader;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split(delimiter);
            if (columns < 0)
            {
                columns = fields.Length;
                firstLine = lineNumber;
            }
            else if (fields.Length != columns)
            {
                throw new FormatException($"CSV line {lineNumber} has {fields.Length} fields, but line {firstLine} has {columns}.");
            }

            if (headerPending)
            {
                headerPending = false;
                continue;
            }

            for (int c = 0; c < fields.Length; c++)
            {
                string text = Unquote(fields[c]);
                if (text.Length == 0)
                {
                    throw new FormatException($"CSV line {lineNumber}, column {c + 1}: the field is empty.");
                }

                if (!parse(text, out T value))
                {
                    throw new FormatException($"CSV line {lineNumber}, column {c + 1}: '{text}' is not a number of dtype {dtype.TorchName()}.");
                }

                values.Add(value);
            }

            rows++;
        }

        int[] shape = [rows, Math.Max(columns, 0)];
        T[] data = [.. values];
        Tensor result = typeof(T) == typeof(float) ? Tensor.From((float[])(object)data, shape)
            : typeof(T) == typeof(long) ? Tensor.From((long[])(object)data, shape)
            : typeof(T) == typeof(int) ? Tensor.From((int[])(object)data, shape)
            : typeof(T) == typeof(bool) ? Tensor.From((bool[])(object)data, shape)
            : Tensor.From((double[])(object)data, shape);
        return result.To(dtype);
    }

    private static string Unquote(string field)
    {
        string text = field.Trim();
        return text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1].Trim() : text;
    }

    private static bool ParseDouble(string text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        value = text.ToUpperInvariant() switch
        {
            "INF" or "+INF" or "INFINITY" or "+INFINITY" => double.PositiveInfinity,
            "-INF" or "-INFINITY" => double.NegativeInfinity,
            "NAN" or "+NAN" or "-NAN" => double.NaN,
            _ => 0,
        };
        return value != 0;
    }

    private static bool ParseFloat(string text, out float value)
    {
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        bool special = ParseDouble(text, out double d);
        value = (float)d;
        return special;
    }

    private static bool ParseLong(string text, out long value) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool ParseInt(string text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool ParseBool(string text, out bool value)
    {
        switch (text.ToUpperInvariant())
        {
            case "TRUE" or "1":
                value = true;
                return true;
            case "FALSE" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
