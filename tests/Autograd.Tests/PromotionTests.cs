using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// Replays <c>Fixtures/promotion_cases.json</c> (written by <c>tools/reference/promotion_cases.py</c> from PyTorch
/// 1.13): every pair of dtypes, and every dtype with an integer and a floating C# scalar on either side, through
/// + − × / and floor division gives PyTorch's result dtype and values, or PyTorch's error.
/// </summary>
public class PromotionTests
{
    private static readonly JsonSerializerOptions s_jsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly Lazy<Fixture> s_fixture = new(Load);

    public static TheoryData<string> CaseNames
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (PromotionCase c in s_fixture.Value.Cases)
            {
                names.Add(c.Key);
            }

            return names;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ArithmeticOp_MatchesPyTorch(string key)
    {
        Fixture fixture = s_fixture.Value;
        PromotionCase c = fixture.Cases.Single(x => x.Key == key);
        Func<Tensor> run = () => Run(c, fixture);
        if (c.Error is not null)
        {
            run.Should().Throw<Exception>().Which.Message.Should().StartWith(c.Error);
            return;
        }

        Tensor result = run();
        result.DType.Should().Be(ParseDType(c.Dtype!));
        result.ToArray<double>().Should().Equal(c.Values!.Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
    }

    private static Tensor Run(PromotionCase c, Fixture fixture)
    {
        if (c.Scalar is { } scalar)
        {
            bool isInt = c.Left == "scalar_int" || c.Right == "scalar_int";
            bool scalarLeft = c.Left.StartsWith("scalar", StringComparison.Ordinal);
            Tensor t = Typed(scalarLeft ? fixture.Right : fixture.Left, ParseDType(scalarLeft ? c.Right : c.Left));
            return (c.Op, scalarLeft, isInt) switch
            {
                ("add", false, true) => t + (long)scalar,
                ("add", false, false) => t + scalar,
                ("add", true, true) => (long)scalar + t,
                ("add", true, false) => scalar + t,
                ("sub", false, true) => t - (long)scalar,
                ("sub", false, false) => t - scalar,
                ("sub", true, true) => (long)scalar - t,
                ("sub", true, false) => scalar - t,
                ("mul", false, true) => t * (long)scalar,
                ("mul", false, false) => t * scalar,
                ("mul", true, true) => (long)scalar * t,
                ("mul", true, false) => scalar * t,
                ("div", false, true) => t / (long)scalar,
                ("div", false, false) => t / scalar,
                ("div", true, true) => (long)scalar / t,
                ("div", true, false) => scalar / t,
                ("floor_divide", false, true) => t.FloorDivide((long)scalar),
                ("floor_divide", false, false) => t.FloorDivide(scalar),
                // A C# number on the left is written as a 0-d tensor, which promotes as a wrapped number does here.
                ("floor_divide", true, true) => Tensor.FloorDivide(Tensor.Scalar((long)scalar, DType.Int64), t),
                ("floor_divide", true, false) => Tensor.FloorDivide(Tensor.Scalar(scalar, DType.Float32), t),
                _ => throw new InvalidDataException(c.Key),
            };
        }

        Tensor a = Typed(fixture.Left, ParseDType(c.Left)), b = Typed(fixture.Right, ParseDType(c.Right));
        return c.Op switch
        {
            "add" => a + b,
            "sub" => a - b,
            "mul" => a * b,
            "div" => a / b,
            "floor_divide" => Tensor.FloorDivide(a, b),
            _ => throw new InvalidDataException(c.Op),
        };
    }

    private static Tensor Typed(double[] values, DType dtype) => Tensor.From(values).To(dtype);

    private static DType ParseDType(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        "int64" => DType.Int64,
        "int32" => DType.Int32,
        "bool" => DType.Bool,
        "float16" => DType.Float16,
        "bfloat16" => DType.BFloat16,
        _ => throw new InvalidDataException(name),
    };

    private static Fixture Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "promotion_cases.json");
        return JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), s_jsonOptions)
            ?? throw new InvalidDataException($"{path} holds no cases.");
    }

    private sealed record Fixture(string TorchVersion, double[] Left, double[] Right, List<PromotionCase> Cases);

    private sealed record PromotionCase(string Op, string Left, string Right, double? Scalar, string? Dtype, string[]? Values, string? Error)
    {
        public string Key => $"{Op}_{Left}_{Right}" + (Scalar is null ? string.Empty : "_" + Scalar.Value.ToString(CultureInfo.InvariantCulture));
    }
}
