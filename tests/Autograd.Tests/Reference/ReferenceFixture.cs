using System.Globalization;
using System.Text.Json;
using FluentAssertions;

namespace Autograd.Tests.Reference;

/// <summary>
/// Reads and replays the fixture files written by the per-family generators under <c>tools/reference/</c> (the
/// schema of <c>tools/reference/refcases.py</c>): every tensor carries its dtype, floating values are lossless bit
/// patterns, a case may hold PyTorch's error message instead of an output, and a case may record second-order
/// gradients.
/// </summary>
/// <remarks>
/// Tolerances, by dtype of the expected value:
/// <list type="bullet">
/// <item>float32: |ours − torch| ≤ 1e-6 + 1e-5·|torch|. Both sides compute in float32 with different libm
/// implementations (a few ulp apart) and different summation orders (error growing with the number of terms, here a
/// few dozen); 1e-5 relative is ~80 ulp, five orders below the O(1) error of a wrong formula. The absolute term
/// covers sums that cancel to near zero.</item>
/// <item>float64: |ours − torch| ≤ 1e-12·max(1, |torch|): a few ulp of libm difference and short sums stay below
/// 1e-14 relative; a value that went through float32 (6e-8 relative) fails.</item>
/// <item>integers and bools: exact. NaN must be NaN, an infinity the same infinity, in every floating dtype.</item>
/// </list>
/// A class may pass a looser <c>scale</c> for a documented reason (a long reduction, an iterative special function).
/// </remarks>
internal static class ReferenceFixture
{
    /// <summary>The cases of <c>Fixtures/<paramref name="fileName"/></c>, by name.</summary>
    internal static Dictionary<string, JsonElement> Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    }

    /// <summary>
    /// Runs one case through <paramref name="op"/>: the same inputs, then (when recorded) the same upstream gradient
    /// back; the output and each input's gradient must match PyTorch's. When the case recorded second-order gradients,
    /// the first backward runs with <c>createGraph</c> and Σ (gradᵢ · upstream2ᵢ) is differentiated again. A case that
    /// recorded an error must throw an exception whose message starts with PyTorch's.
    /// </summary>
    internal static void Replay(string name, JsonElement testCase, Func<Tensor[], Tensor> op, double scale = 1)
    {
        Tensor[] inputs = [.. testCase.GetProperty("inputs").EnumerateArray().Select(ToTensor)];
        if (testCase.TryGetProperty("error", out JsonElement error))
        {
            FluentActions.Invoking(() => op(inputs)).Should().Throw<Exception>()
                .Which.Message.Should().StartWith(error.GetString(), "{0}: PyTorch's message", name);
            return;
        }

        Tensor output = op(inputs);
        ShouldMatch(output, testCase.GetProperty("output"), $"{name}: output", scale);
        if (!testCase.TryGetProperty("upstream", out JsonElement upstream))
        {
            return;
        }

        bool secondOrder = testCase.TryGetProperty("grads2", out JsonElement grads2);
        output.Backward(ToTensor(upstream), retainGraph: secondOrder, createGraph: secondOrder);
        JsonElement[] grads = [.. testCase.GetProperty("grads").EnumerateArray()];
        var firstOrder = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null)
            {
                inputs[i].Grad.Should().BeNull($"{name}: input {i} does not require grad");
                continue;
            }

            inputs[i].Grad.Should().NotBeNull($"{name}: input {i} requires grad");
            ShouldMatch(inputs[i].Grad!, grads[i], $"{name}: gradient of input {i}", scale);
            firstOrder[i] = inputs[i].Grad;
            inputs[i].Grad = null;
        }

        if (!secondOrder)
        {
            return;
        }

        // The same selection as the generator: first-order gradients that are themselves part of a graph.
        Tensor[] upstream2 = [.. testCase.GetProperty("upstream2").EnumerateArray().Select(ToTensor)];
        Tensor[] present = [.. firstOrder.Where(g => g is not null && g.RequiresGrad).Select(g => g!)];
        present.Length.Should().Be(upstream2.Length, "{0}: the gradients that depend on the inputs", name);
        Tensor total = present.Select((g, k) => (g * upstream2[k]).Sum()).Aggregate((a, b) => a + b);
        total.Backward();
        JsonElement[] expected2 = [.. grads2.EnumerateArray()];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (expected2[i].ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            Tensor actual = inputs[i].Grad ?? Tensor.ZerosLike(inputs[i]);
            ShouldMatch(actual, expected2[i], $"{name}: second-order gradient of input {i}", scale);
        }
    }

    /// <summary>Asserts <paramref name="actual"/> has the expected shape, dtype and values (tolerances above).</summary>
    internal static void ShouldMatch(Tensor actual, JsonElement expected, string what, double scale = 1)
    {
        actual.Shape.ToArray().Should().Equal(ShapeOf(expected), "{0}: shape", what);
        DType dtype = DTypeOf(expected);
        actual.DType.Should().Be(dtype, "{0}: dtype", what);
        JsonElement[] data = [.. expected.GetProperty("data").EnumerateArray()];
        if (!dtype.IsFloatingPoint())
        {
            long[] values = actual.To(DType.Int64).ToArray<long>();
            long[] want = [.. data.Select(e => e.ValueKind switch
            {
                JsonValueKind.True => 1L,
                JsonValueKind.False => 0L,
                _ => e.GetInt64(),
            })];
            values.Should().Equal(want, "{0}: values", what);
            return;
        }

        double[] got = actual.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < got.Length; i++)
        {
            double want = ParseFloating(data[i], dtype);
            if (double.IsNaN(want) || double.IsInfinity(want))
            {
                got[i].Should().Be(want, "{0}: element {1}", what, i);
                continue;
            }

            double tolerance = scale * (dtype == DType.Float64 ? 1e-12 * Math.Max(1, Math.Abs(want)) : 1e-6 + (1e-5 * Math.Abs(want)));
            got[i].Should().BeApproximately(want, tolerance, "{0}: element {1}", what, i);
        }
    }

    /// <summary>A fixture tensor, with its dtype and requires_grad.</summary>
    internal static Tensor ToTensor(JsonElement entry)
    {
        int[] shape = ShapeOf(entry);
        DType dtype = DTypeOf(entry);
        JsonElement[] data = [.. entry.GetProperty("data").EnumerateArray()];
        bool requiresGrad = entry.TryGetProperty("requires_grad", out JsonElement rg) && rg.GetBoolean();
        switch (dtype)
        {
            case DType.Float32:
                return Tensor.From([.. data.Select(e => (float)ParseFloating(e, dtype))], shape, requiresGrad);
            case DType.Float64:
                return Tensor.From([.. data.Select(e => ParseFloating(e, dtype))], shape, requiresGrad);
            case DType.Bool:
                return Tensor.From([.. data.Select(e => e.GetBoolean())], shape);
            case DType.Int32:
                return Tensor.From([.. data.Select(e => e.GetInt32())], shape);
            default:
                return Tensor.From([.. data.Select(e => e.GetInt64())], shape);
        }
    }

    private static int[] ShapeOf(JsonElement entry) => [.. entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())];

    private static DType DTypeOf(JsonElement entry) => entry.GetProperty("dtype").GetString() switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        "int64" => DType.Int64,
        "int32" => DType.Int32,
        "bool" => DType.Bool,
        var other => throw new InvalidOperationException($"unexpected dtype {other}"),
    };

    /// <summary>An 8-digit (float32) or 16-digit (float64) hex bit pattern, as refcases.py writes them.</summary>
    private static double ParseFloating(JsonElement value, DType dtype)
    {
        string hex = value.GetString()!;
        return dtype == DType.Float32
            ? BitConverter.UInt32BitsToSingle(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            : BitConverter.Int64BitsToDouble(long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
