using System.Globalization;
using System.Text.Json;
using Autograd.NN;
using FluentAssertions;
using Xunit;
using F = Autograd.NN.Functional;

namespace Autograd.Tests.Float64;

/// <summary>
/// Replays every case of <c>Fixtures/f64_gradients.json</c> (written by <c>tools/reference/f64_cases.py</c> with
/// PyTorch 1.13): the same float64 inputs and upstream gradient; the output and every input gradient must match
/// PyTorch's in value and dtype.
/// </summary>
/// <remarks>
/// Tolerance: |ours − torch| ≤ 1e-12·max(1, |torch|). Both sides compute in float64, but with different libm
/// implementations (glibc vs .NET's Math and TensorPrimitives, each within a few ulp, 1 ulp ≈ 2.2e-16 relative) and
/// different summation orders in reductions and matrix products (here at most a few dozen terms, so at most ~1e-14
/// relative). 1e-12 leaves two orders of magnitude over that, and is still eleven orders below the O(1) error of a
/// wrong formula, and nine below a value that went through float32 on the way (≈ 6e-8 relative): a float32
/// shortcut in a float64 path fails here. Values are O(1) by construction, so below magnitude 1 the bound is
/// absolute (1e-12), for outputs that are sums cancelling to near zero.
/// </remarks>
public class Float64ReferenceTests
{
    private const double Tolerance = 1e-12;

    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(LoadCases);

    private static readonly int[] s_targets = [2, 0, 3];

    /// <summary>Each fixture case, by name, written with the library's API. Inputs arrive in the fixture's order.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_ops = new()
    {
        ["exp"] = t => t[0].Exp(),
        ["log"] = t => t[0].Log(),
        ["sin"] = t => t[0].Sin(),
        ["cos"] = t => t[0].Cos(),
        ["tanh"] = t => t[0].Tanh(),
        ["sigmoid"] = t => t[0].Sigmoid(),
        ["relu"] = t => t[0].Relu(),
        ["pow2"] = t => t[0].Pow(2f),
        ["pow3"] = t => t[0].Pow(3f),
        ["pow2.5"] = t => t[0].Pow(2.5f),
        ["pow-1"] = t => t[0].Pow(-1f),
        ["sqrt"] = t => t[0].Sqrt(),
        ["pow_third"] = t => t[0].Pow(1.0 / 3),
        ["mean"] = t => t[0].Mean(),
        ["mean_dim1"] = t => t[0].Mean(1),
        ["norm"] = t => t[0].Norm(),
        ["max"] = t => t[0].Max(),
        ["clone"] = t => t[0].Clone(),
        ["dot"] = t => Tensor.Dot(t[0], t[1]),
        ["matmul_2d"] = t => Tensor.MatMul(t[0], t[1]),
        ["matmul_vec_mat"] = t => Tensor.MatMul(t[0], t[1]),
        ["matmul_mat_vec"] = t => Tensor.MatMul(t[0], t[1]),
        ["matmul_batched"] = t => Tensor.MatMul(t[0], t[1]),
        ["linear"] = t => F.Linear(t[0], t[1], t[2]),
        ["linear_3d"] = t => F.Linear(t[0], t[1], t[2]),
        ["log_softmax"] = t => F.LogSoftmax(t[0]),
        ["cross_entropy"] = t => F.CrossEntropy(t[0], t[1]),
        ["cross_entropy_sum"] = t => F.CrossEntropy(t[0], s_targets, Reduction.Sum),
        ["cross_entropy_none"] = t => F.CrossEntropy(t[0], s_targets, Reduction.None),
        ["nll_loss"] = t => F.NllLoss(t[0], s_targets),
        ["bce_logits"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1]),
        ["bce_logits_none"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1], Reduction.None),
        ["cat"] = t => Tensor.Cat([t[0], t[1]], 1),
        ["stack"] = t => Tensor.Stack([t[0], t[1]], 0),
        ["flip"] = t => t[0].Flip(1),
        ["roll"] = t => t[0].Roll(1, 1),
        ["repeat"] = t => t[0].Repeat(2, 1),
        ["transpose_reshape"] = t => t[0].T.Reshape(6),
        ["expand_sum"] = t => t[0].Reshape(2, 1, 3).Expand(2, 4, 3),
        ["mixed_mul"] = t => t[0] * t[1],
        ["mixed_cat"] = t => Tensor.Cat(t[0], t[1]),
        ["mixed_bce_target32"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1]),
    };

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OutputAndGradients_MatchPyTorchInFloat64(string name)
    {
        JsonElement testCase = s_cases.Value[name];
        s_ops.Should().ContainKey(name, "every fixture case needs a C# counterpart");
        Tensor[] inputs = [.. testCase.GetProperty("inputs").EnumerateArray().Select(ToTensor)];

        Tensor output = s_ops[name](inputs);
        ShouldMatch(output, testCase.GetProperty("output"), $"{name}: output");

        output.Backward(ToTensor(testCase.GetProperty("upstream")));
        JsonElement[] grads = [.. testCase.GetProperty("grads").EnumerateArray()];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null)
            {
                inputs[i].Grad.Should().BeNull($"{name}: input {i} does not require grad");
                continue;
            }

            inputs[i].Grad.Should().NotBeNull($"{name}: input {i} requires grad");
            ShouldMatch(inputs[i].Grad!, grads[i], $"{name}: gradient of input {i}");
        }
    }

    [Fact]
    public void EveryCaseHasAFixture()
    {
        s_ops.Keys.Except(s_cases.Value.Keys).Should().BeEmpty("every C# case must be generated by f64_cases.py");
        s_cases.Value.Count.Should().Be(s_ops.Count);
    }

    [Fact]
    public void TheToleranceSeesAFloat32RoundTrip()
    {
        // exp's output rounded through float32 once must fail the comparison: the test can tell the paths apart.
        JsonElement testCase = s_cases.Value["exp"];
        Tensor x = ToTensor(testCase.GetProperty("inputs")[0]);
        Tensor viaFloat32 = x.Float().Exp().Double();
        FluentActions.Invoking(() => ShouldMatch(viaFloat32, testCase.GetProperty("output"), "exp via float32"))
            .Should().Throw<Exception>();
    }

    private static void ShouldMatch(Tensor actual, JsonElement expected, string what)
    {
        actual.Shape.ToArray().Should().Equal(ShapeOf(expected), "{0}: shape", what);
        actual.DType.Should().Be(DTypeOf(expected), "{0}: dtype", what);
        double[] values = actual.ToArray<double>();
        double[] want = [.. expected.GetProperty("data").EnumerateArray().Select(Parse)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i].Should().BeApproximately(want[i], Tolerance * Math.Max(1, Math.Abs(want[i])), "{0}: element {1}", what, i);
        }
    }

    private static Tensor ToTensor(JsonElement entry)
    {
        int[] shape = ShapeOf(entry);
        DType dtype = DTypeOf(entry);
        JsonElement data = entry.GetProperty("data");
        bool requiresGrad = entry.TryGetProperty("requires_grad", out JsonElement rg) && rg.GetBoolean();
        if (dtype == DType.Int64)
        {
            return Tensor.From([.. data.EnumerateArray().Select(e => e.GetInt64())], shape);
        }

        Tensor t = Tensor.From([.. data.EnumerateArray().Select(Parse)], shape).To(dtype);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    private static int[] ShapeOf(JsonElement entry) => [.. entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())];

    private static DType DTypeOf(JsonElement entry) => entry.GetProperty("dtype").GetString() switch
    {
        "float64" => DType.Float64,
        "float32" => DType.Float32,
        "int64" => DType.Int64,
        var other => throw new InvalidOperationException($"unexpected dtype {other}"),
    };

    /// <summary>A 16-digit hex float64 bit pattern (big-endian, as Python's <c>struct.pack('&gt;d')</c>), or an integer.</summary>
    private static double Parse(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : BitConverter.Int64BitsToDouble(long.Parse(value.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static Dictionary<string, JsonElement> LoadCases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "f64_gradients.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
