using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>
/// Replays every case of <c>Fixtures/compare_cases.json</c> (written by <c>tools/reference/compare_cases.py</c> with
/// PyTorch 1.13): comparisons over every dtype pair and with int and float scalars, NaN, broadcasting, 0-d and empty
/// operands; logical and bitwise ops; any, all, count_nonzero, nonzero, isnan, isinf, isfinite; where, masked_fill and
/// masked_select with their gradients of sum(out ⊙ upstream), upstream = 1, 2, 3, …; and PyTorch's error messages.
/// The result's dtype, shape and values must match exactly (these ops select or compare, they do not round).
/// </summary>
public class CompareReferenceTests
{
    private static readonly JsonSerializerOptions s_jsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly Lazy<Dictionary<string, CompareCase>> s_cases = new(Load);

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        CompareCase c = s_cases.Value[name];
        Tensor[] inputs = [.. c.Inputs.Select(ToTensor)];

        if (c.Error is not null)
        {
            Action act = () => Run(c, inputs);
            act.Should().Throw<Exception>().Which.Message.Should().StartWith(c.Error, name);
            return;
        }

        Tensor output = Run(c, inputs);
        output.DType.Should().Be(ParseDType(c.Dtype!), name);
        output.Shape.Dims.Should().Equal(c.Shape!, name);
        output.ToArray<double>().Should().Equal(c.Values!.Select(Parse), name);
        output.RequiresGrad.Should().Be(c.RequiresGrad, name);

        if (c.Grads is null)
        {
            return;
        }

        Tensor upstream = Tensor.Arange(1, output.Shape.Dims.Aggregate(1, (p, d) => p * d) + 1, 1, DType.Float64)
            .To(output.DType).Reshape(output.Shape.Dims);
        (output * upstream).Sum().Backward();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (c.Grads[i] is null)
            {
                continue;
            }

            inputs[i].Grad.Should().NotBeNull($"{name}: input {i} requires grad");
            inputs[i].Grad!.DType.Should().Be(inputs[i].DType, name);
            inputs[i].Grad!.ToArray<double>().Should().Equal(c.Grads[i]!.Select(Parse), $"{name}: gradient of input {i}");
        }
    }

    [Fact]
    public void FixtureCoversEveryFamily()
    {
        var ops = s_cases.Value.Values.Select(c => c.Op).ToHashSet();
        ops.Should().Contain(["eq", "ne", "lt", "le", "gt", "ge", "logical_and", "bitwise_not", "any_dim", "nonzero", "where", "masked_fill", "masked_select"]);
        s_cases.Value.Count.Should().BeGreaterThan(1000);
    }

    private static Tensor Run(CompareCase c, Tensor[] t)
    {
        Tensor a = t[0];
        return c.Op switch
        {
            "eq" => Tensor.Eq(a, t[1]),
            "ne" => a.Ne(t[1]),
            "lt" => a < t[1],
            "le" => a <= t[1],
            "gt" => a > t[1],
            "ge" => a >= t[1],
            "eq_scalar" => IsInt(c) ? a.Eq(LongScalar(c)) : a.Eq(DoubleScalar(c)),
            "ne_scalar" => IsInt(c) ? Tensor.Ne(a, LongScalar(c)) : Tensor.Ne(a, DoubleScalar(c)),
            "lt_scalar" => IsInt(c) ? a < LongScalar(c) : a < DoubleScalar(c),
            "le_scalar" => IsInt(c) ? a <= LongScalar(c) : a <= DoubleScalar(c),
            "gt_scalar" => IsInt(c) ? a > LongScalar(c) : a > DoubleScalar(c),
            "ge_scalar" => IsInt(c) ? a.Ge(LongScalar(c)) : a.Ge(DoubleScalar(c)),
            "logical_and" => a.LogicalAnd(t[1]),
            "logical_or" => Tensor.LogicalOr(a, t[1]),
            "logical_xor" => a.LogicalXor(t[1]),
            "logical_not" => a.LogicalNot(),
            "bitwise_and" => a & t[1],
            "bitwise_or" => a | t[1],
            "bitwise_xor" => a ^ t[1],
            "bitwise_not" => ~a,
            "bitwise_and_scalar" => c.ScalarKind == "bool" ? a & true : a & LongScalar(c),
            "bitwise_or_scalar" => c.ScalarKind == "bool" ? a | true : a | LongScalar(c),
            "bitwise_xor_scalar" => c.ScalarKind == "bool" ? a ^ true : a ^ LongScalar(c),
            "any" => a.Any(),
            "all" => a.All(),
            "any_dim" => a.Any(c.Dim!.Value, c.Keepdim ?? false),
            "all_dim" => a.All(c.Dim!.Value, c.Keepdim ?? false),
            "count_nonzero" => a.CountNonzero(),
            "count_nonzero_dim" => a.CountNonzero(c.Dim!.Value),
            "nonzero" => a.NonZero(),
            "isnan" => a.IsNan(),
            "isinf" => a.IsInf(),
            "isfinite" => a.IsFinite(),
            "where" => Tensor.Where(a, t[1], t[2]),
            "where_scalar_b" => IsInt(c) ? Tensor.Where(a, t[1], LongScalar(c)) : Tensor.Where(a, t[1], DoubleScalar(c)),
            "where_scalar_a" => IsInt(c) ? Tensor.Where(a, LongScalar(c), t[1]) : Tensor.Where(a, DoubleScalar(c), t[1]),
            "where_scalars" => IsInt(c) ? Tensor.Where(a, 2L, -1L) : Tensor.Where(a, 2.5, -1.0),
            "masked_fill" => a.MaskedFill(t[1], DoubleScalar(c)),
            "masked_fill_tensor" => a.MaskedFill(t[1], t[2]),
            "masked_select" => a.MaskedSelect(t[1]),
            _ => throw new InvalidOperationException($"no C# counterpart for {c.Op}"),
        };
    }

    private static bool IsInt(CompareCase c) => c.ScalarKind == "int";

    private static long LongScalar(CompareCase c) => c.Scalar!.Value.GetInt64();

    private static double DoubleScalar(CompareCase c) =>
        c.Scalar!.Value.ValueKind == JsonValueKind.String ? Parse(c.Scalar.Value.GetString()!) : c.Scalar.Value.GetDouble();

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    private static Tensor ToTensor(TensorCase t)
    {
        Tensor x = Tensor.From([.. t.Values.Select(Parse)], t.Shape).To(ParseDType(t.Dtype));
        if (t.RequiresGrad)
        {
            x.RequiresGrad = true;
        }

        return x;
    }

    private static DType ParseDType(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        "int64" => DType.Int64,
        "int32" => DType.Int32,
        "bool" => DType.Bool,
        "float16" => DType.Float16,
        "bfloat16" => DType.BFloat16,
        _ => throw new ArgumentException(name),
    };

    private static Dictionary<string, CompareCase> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compare_cases.json");
        Fixture fixture = JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), s_jsonOptions)
            ?? throw new InvalidOperationException("empty fixture");
        fixture.TorchVersion.Should().StartWith("1.13");
        return fixture.Cases.ToDictionary(c => c.Name);
    }

    private sealed record Fixture(string TorchVersion, List<CompareCase> Cases);

    private sealed record TensorCase(string Dtype, int[] Shape, string[] Values, bool RequiresGrad);

    private sealed record CompareCase(
        string Name,
        string Op,
        List<TensorCase> Inputs,
        JsonElement? Scalar,
        string? ScalarKind,
        int? Dim,
        bool? Keepdim,
        string? Dtype,
        int[]? Shape,
        string[]? Values,
        bool RequiresGrad,
        string[]?[]? Grads,
        string? Error);
}
