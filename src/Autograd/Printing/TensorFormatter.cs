using System.Globalization;
using System.Numerics;
using System.Text;

namespace Autograd;

/// <summary>
/// Renders float32 tensors exactly as PyTorch 1.13's <c>repr(tensor)</c> does under the default print
/// options (precision 4, threshold 1000, edgeitems 3, linewidth 80, sci_mode None).
/// </summary>
/// <remarks>
/// The behaviour mirrors <c>torch/_tensor_str.py</c>, including its quirks: the width and notation are
/// chosen from the summarized elements only, <c>-0.</c> and non-finite values do not take part in the
/// width, and the suffix line-length estimate is off by one in the same way PyTorch's is.
/// </remarks>
internal static class TensorFormatter
{
    private const int Precision = 4;
    private const int Threshold = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;
    private const string Prefix = "tensor(";

    /// <summary>Formats a tensor the way PyTorch's <c>str(tensor)</c> prints it.</summary>
    /// <param name="data">The tensor's elements, contiguous row-major.</param>
    /// <param name="shape">The tensor's dimensions; empty for a 0-d scalar.</param>
    /// <param name="suffixes">
    /// Already formatted suffixes such as <c>requires_grad=True</c> or <c>grad_fn=&lt;AddBackward&gt;</c>,
    /// appended in order after any <c>size=</c> suffix that an empty tensor gets.
    /// </param>
    internal static string Format(ReadOnlySpan<float> data, ReadOnlySpan<int> shape, IReadOnlyList<string> suffixes)
    {
        var widened = new double[data.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(data, widened);
        return Format<double>(widened, shape, suffixes, static values => new ElementFormatter(values));
    }

    /// <summary>Formats float64 (or float16 and bfloat16 widened to double) elements as PyTorch prints them.</summary>
    internal static string Format(ReadOnlySpan<double> data, ReadOnlySpan<int> shape, IReadOnlyList<string> suffixes) =>
        Format(data, shape, suffixes, static values => new ElementFormatter(values));

    /// <summary>Formats integer elements as PyTorch prints them: right-aligned to the widest, no decimal point.</summary>
    internal static string Format(ReadOnlySpan<long> data, ReadOnlySpan<int> shape, IReadOnlyList<string> suffixes) =>
        Format(data, shape, suffixes, static values => new TextFormatter<long>(values, static v => v.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Formats bool elements as PyTorch prints them: <c>True</c> and <c>False</c>, right-aligned.</summary>
    internal static string Format(ReadOnlySpan<bool> data, ReadOnlySpan<int> shape, IReadOnlyList<string> suffixes) =>
        Format(data, shape, suffixes, static values => new TextFormatter<bool>(values, static v => v ? "True" : "False"));

    private delegate IElementFormatter<T> FormatterFactory<T>(ReadOnlySpan<T> values);

    private static string Format<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape, IReadOnlyList<string> suffixes, FormatterFactory<T> createFormatter)
    {
        ArgumentNullException.ThrowIfNull(suffixes);

        long count = 1;
        foreach (int size in shape)
        {
            if (size < 0)
            {
                throw new ArgumentException("Dimensions must be non-negative.", nameof(shape));
            }

            count *= size;
        }

        if (count != data.Length)
        {
            throw new ArgumentException(
                $"The shape holds {count} elements but {data.Length} were given.", nameof(data));
        }

        var allSuffixes = new List<string>(suffixes.Count + 1);
        var text = new StringBuilder(Prefix);
        if (count == 0)
        {
            // NumPy-style: only the 1-d empty tensor leaves its shape implicit.
            if (shape.Length != 1)
            {
                allSuffixes.Add("size=" + FormatShape(shape));
            }

            text.Append("[]");
        }
        else
        {
            bool summarize = count > Threshold;
            IElementFormatter<T> formatter = summarize
                ? createFormatter(SummarizedElements(data, shape))
                : createFormatter(data);
            AppendTensor(text, data, shape, Prefix.Length, summarize, formatter);
        }

        allSuffixes.AddRange(suffixes);
        AppendSuffixes(text, allSuffixes, Prefix.Length);
        return text.ToString();
    }

    private static void AppendTensor<T>(
        StringBuilder text, ReadOnlySpan<T> data, ReadOnlySpan<int> shape, int indent, bool summarize, IElementFormatter<T> formatter)
    {
        if (shape.Length == 0)
        {
            text.Append(formatter.Format(data[0]));
            return;
        }

        if (shape.Length == 1)
        {
            AppendVector(text, data, indent, summarize, formatter);
            return;
        }

        int rows = shape[0];
        int stride = data.Length / rows;
        ReadOnlySpan<int> rowShape = shape[1..];
        // Rank-k slices are separated by k-1 newlines, hence the blank lines in rank >= 3 tensors.
        string separator = "," + new string('\n', shape.Length - 1) + new string(' ', indent + 1);
        bool elide = summarize && rows > 2 * EdgeItems;

        text.Append('[');
        for (int i = 0; i < rows; i++)
        {
            if (i > 0)
            {
                text.Append(separator);
            }

            if (elide && i == EdgeItems)
            {
                text.Append("...").Append(separator);
                i = rows - EdgeItems;
            }

            AppendTensor(text, data.Slice(i * stride, stride), rowShape, indent + 1, summarize, formatter);
        }

        text.Append(']');
    }

    private static void AppendVector<T>(StringBuilder text, ReadOnlySpan<T> data, int indent, bool summarize, IElementFormatter<T> formatter)
    {
        // Each element occupies its padded width plus ", ".
        int elementLength = formatter.Width + 2;
        int perLine = Math.Max(1, (int)Math.Floor((LineWidth - indent) / (double)elementLength));

        var items = new List<string>(Math.Min(data.Length, (2 * EdgeItems) + 1));
        if (summarize && data.Length > 2 * EdgeItems)
        {
            AddFormatted(items, data[..EdgeItems], formatter);
            // The ellipsis counts as an element when PyTorch breaks the row into lines.
            items.Add(" ...");
            AddFormatted(items, data[^EdgeItems..], formatter);
        }
        else
        {
            AddFormatted(items, data, formatter);
        }

        string lineBreak = ",\n" + new string(' ', indent + 1);
        text.Append('[');
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                text.Append(i % perLine == 0 ? lineBreak : ", ");
            }

            text.Append(items[i]);
        }

        text.Append(']');
    }

    private static void AddFormatted<T>(List<string> items, ReadOnlySpan<T> values, IElementFormatter<T> formatter)
    {
        foreach (T value in values)
        {
            items.Add(formatter.Format(value));
        }
    }

    private static void AppendSuffixes(StringBuilder text, List<string> suffixes, int indent)
    {
        // PyTorch measures the last line as len - rfind('\n') + 1, which is two more than its true length
        // without a newline and one more with one; the placement decisions depend on that estimate.
        int lastNewline = -1;
        for (int i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == '\n')
            {
                lastNewline = i;
                break;
            }
        }

        int lastLineLength = text.Length - lastNewline + 1;
        foreach (string suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > LineWidth)
            {
                text.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                text.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }

        text.Append(')');
    }

    private static string FormatShape(ReadOnlySpan<int> shape)
    {
        // Python's tuple repr: a one-element tuple keeps its trailing comma.
        var text = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(shape.Length == 1 ? ",)" : ")").ToString();
    }

    /// <summary>The elements a summarized print shows: edge items of every dimension.</summary>
    private static T[] SummarizedElements<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape)
    {
        var kept = new List<T>();
        CollectSummarized(data, shape, kept);
        return [.. kept];
    }

    private static void CollectSummarized<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape, List<T> kept)
    {
        if (shape.Length == 0)
        {
            kept.Add(data[0]);
            return;
        }

        int rows = shape[0];
        int stride = data.Length / rows;
        bool elide = rows > 2 * EdgeItems;
        for (int i = 0; i < rows; i++)
        {
            if (elide && i == EdgeItems)
            {
                i = rows - EdgeItems;
            }

            CollectSummarized(data.Slice(i * stride, stride), shape[1..], kept);
        }
    }

    /// <summary>Formats one element padded to the common width.</summary>
    private interface IElementFormatter<in T>
    {
        int Width { get; }

        string Format(T value);
    }

    /// <summary>Non-floating elements: their text, right-aligned to the widest (PyTorch's <c>_Formatter</c> for ints and bools).</summary>
    private sealed class TextFormatter<T> : IElementFormatter<T>
    {
        private readonly Func<T, string> _text;

        public TextFormatter(ReadOnlySpan<T> values, Func<T, string> text)
        {
            _text = text;
            Width = 1;
            foreach (T value in values)
            {
                Width = Math.Max(Width, text(value).Length);
            }
        }

        public int Width { get; }

        public string Format(T value) => _text(value).PadLeft(Width);
    }

    /// <summary>
    /// Chooses one notation and width for all elements, as PyTorch's <c>_Formatter</c> does.
    /// </summary>
    private sealed class ElementFormatter : IElementFormatter<double>
    {
        private readonly bool _intMode = true;
        private readonly bool _sciMode;

        public ElementFormatter(ReadOnlySpan<double> values)
        {
            // Zeros and non-finite values do not influence the notation or the width.
            double min = double.PositiveInfinity;
            double max = 0;
            bool any = false;
            foreach (double value in values)
            {
                if (!double.IsFinite(value) || value == 0)
                {
                    continue;
                }

                any = true;
                double magnitude = Math.Abs(value);
                min = Math.Min(min, magnitude);
                max = Math.Max(max, magnitude);
                if (_intMode && value != Math.Ceiling(value))
                {
                    _intMode = false;
                }
            }

            Width = 1;
            if (!any)
            {
                return;
            }

            _sciMode = max / min > 1000.0 || max > 1.0e8 || (!_intMode && min < 1.0e-4);
            foreach (double value in values)
            {
                if (!double.IsFinite(value) || value == 0)
                {
                    continue;
                }

                int length = _sciMode
                    ? PythonFloat.Exponential(value, Precision).Length
                    : _intMode
                        ? PythonFloat.Fixed(value, 0).Length + 1
                        : PythonFloat.Fixed(value, Precision).Length;
                Width = Math.Max(Width, length);
            }
        }

        public int Width { get; }

        public string Format(double value)
        {
            string text;
            if (_sciMode)
            {
                text = PythonFloat.Exponential(value, Precision);
            }
            else if (_intMode)
            {
                text = PythonFloat.Fixed(value, 0);
                // The trailing point tells the reader the tensor is floating point.
                if (double.IsFinite(value))
                {
                    text += ".";
                }
            }
            else
            {
                text = PythonFloat.Fixed(value, Precision);
            }

            return text.PadLeft(Width);
        }
    }

    /// <summary>
    /// Python's <c>'{:.Nf}'</c> and <c>'{:.Ne}'</c> for a float32 widened to double: the exact binary value
    /// rounded half-to-even, so the output cannot depend on the runtime's own formatting routines.
    /// </summary>
    private static class PythonFloat
    {
        public static string Fixed(double value, int decimals)
        {
            if (!double.IsFinite(value))
            {
                return NonFinite(value);
            }

            (BigInteger numerator, BigInteger denominator) = ExactFraction(Math.Abs(value));
            BigInteger scaled = RoundHalfEven(numerator * BigInteger.Pow(10, decimals), denominator);
            string digits = scaled.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');

            var text = new StringBuilder();
            if (double.IsNegative(value))
            {
                text.Append('-');
            }

            text.Append(digits, 0, digits.Length - decimals);
            if (decimals > 0)
            {
                text.Append('.').Append(digits, digits.Length - decimals, decimals);
            }

            return text.ToString();
        }

        public static string Exponential(double value, int decimals)
        {
            if (!double.IsFinite(value))
            {
                return NonFinite(value);
            }

            int exponent = 0;
            BigInteger mantissa = BigInteger.Zero;
            if (value != 0)
            {
                (BigInteger numerator, BigInteger denominator) = ExactFraction(Math.Abs(value));
                exponent = DecimalExponent(numerator, denominator, Math.Abs(value));
                mantissa = RoundHalfEven(ScaleByPowerOfTen(numerator, denominator, decimals - exponent));
                // Rounding can carry into a new digit (9.99999 -> 10.0000); the result is then exactly 10^(decimals+1).
                if (mantissa == BigInteger.Pow(10, decimals + 1))
                {
                    mantissa /= 10;
                    exponent++;
                }
            }

            string digits = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
            var text = new StringBuilder();
            if (double.IsNegative(value))
            {
                text.Append('-');
            }

            text.Append(digits[0]);
            if (decimals > 0)
            {
                text.Append('.').Append(digits, 1, decimals);
            }

            text.Append('e').Append(exponent < 0 ? '-' : '+');
            text.Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
            return text.ToString();
        }

        // Python prints NaN without a sign whatever its sign bit.
        private static string NonFinite(double value) =>
            double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

        private static (BigInteger Numerator, BigInteger Denominator) ExactFraction(double magnitude)
        {
            long bits = BitConverter.DoubleToInt64Bits(magnitude);
            int biasedExponent = (int)((bits >> 52) & 0x7FF);
            long significand = bits & 0xF_FFFF_FFFF_FFFFL;
            if (biasedExponent == 0)
            {
                biasedExponent = 1;
            }
            else
            {
                significand |= 1L << 52;
            }

            int binaryExponent = biasedExponent - 1075;
            return binaryExponent >= 0
                ? (new BigInteger(significand) << binaryExponent, BigInteger.One)
                : (new BigInteger(significand), BigInteger.One << -binaryExponent);
        }

        /// <summary>The exact floor(log10(numerator / denominator)), seeded by a floating-point estimate.</summary>
        private static int DecimalExponent(BigInteger numerator, BigInteger denominator, double magnitude)
        {
            int exponent = (int)Math.Floor(Math.Log10(magnitude));
            while (Compare(numerator, denominator, exponent) < 0)
            {
                exponent--;
            }

            while (Compare(numerator, denominator, exponent + 1) >= 0)
            {
                exponent++;
            }

            return exponent;
        }

        /// <summary>Compares numerator / denominator with 10^power.</summary>
        private static int Compare(BigInteger numerator, BigInteger denominator, int power) =>
            power >= 0
                ? numerator.CompareTo(denominator * BigInteger.Pow(10, power))
                : (numerator * BigInteger.Pow(10, -power)).CompareTo(denominator);

        private static (BigInteger Numerator, BigInteger Denominator) ScaleByPowerOfTen(
            BigInteger numerator, BigInteger denominator, int power) =>
            power >= 0
                ? (numerator * BigInteger.Pow(10, power), denominator)
                : (numerator, denominator * BigInteger.Pow(10, -power));

        private static BigInteger RoundHalfEven((BigInteger Numerator, BigInteger Denominator) fraction) =>
            RoundHalfEven(fraction.Numerator, fraction.Denominator);

        private static BigInteger RoundHalfEven(BigInteger numerator, BigInteger denominator)
        {
            BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
            int half = (remainder * 2).CompareTo(denominator);
            return half > 0 || (half == 0 && !quotient.IsEven) ? quotient + 1 : quotient;
        }
    }
}
