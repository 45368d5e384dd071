using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

public class TensorFormatterTests
{
    private static readonly JsonSerializerOptions s_jsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly Lazy<Dictionary<string, PrintCase>> s_cases = new(LoadCases);

    /// <summary>
    /// Only the case name travels through xunit, so every fixture case is discovered as its own test
    /// and shows up by name.
    /// </summary>
    public static TheoryData<string> PyTorchCaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(PyTorchCaseNames))]
    public void Format_MatchesPyTorch(string name)
    {
        PrintCase printCase = s_cases.Value[name];
        float[] data = [.. printCase.Data.Select(ParseBits)];

        string actual = TensorFormatter.Format(data, printCase.Shape, printCase.Suffixes);

        actual.Should().Be(printCase.Expected);
    }

    [Fact]
    public void Fixtures_CoverEveryRule()
    {
        s_cases.Value.Count.Should().BeGreaterThanOrEqualTo(150);
    }

    [Theory]
    [InlineData(11.9447f, "tensor(11.9447)")]
    [InlineData(10f, "tensor(10.)")]
    [InlineData(-0.2968f, "tensor(-0.2968)")]
    [InlineData(0f, "tensor(0.)")]
    [InlineData(-0f, "tensor(-0.)")]
    [InlineData(float.PositiveInfinity, "tensor(inf)")]
    [InlineData(float.NaN, "tensor(nan)")]
    [InlineData(1e-5f, "tensor(1.0000e-05)")]
    public void Format_Scalar(float value, string expected)
    {
        TensorFormatter.Format([value], [], []).Should().Be(expected);
    }

    [Fact]
    public void Format_ScalarWithGradFn()
    {
        TensorFormatter.Format([0.6737f], [], ["grad_fn=<BCEWithLogitsBackward>"])
            .Should().Be("tensor(0.6737, grad_fn=<BCEWithLogitsBackward>)");
    }

    [Fact]
    public void Format_IntegerValuedFloats()
    {
        TensorFormatter.Format([4f, 2f], [2], []).Should().Be("tensor([4., 2.])");
        TensorFormatter.Format([0f, 4f, 8f, 12f], [4], []).Should().Be("tensor([ 0.,  4.,  8., 12.])");
        TensorFormatter.Format([-1f, -1f], [2], []).Should().Be("tensor([-1., -1.])");
    }

    [Fact]
    public void Format_VectorWithRequiresGrad()
    {
        TensorFormatter.Format([-0.3206f, 0.7642f, -0.7820f], [3], ["requires_grad=True"])
            .Should().Be("tensor([-0.3206,  0.7642, -0.7820], requires_grad=True)");
    }

    [Fact]
    public void Format_ScientificWhenMagnitudesSpanMoreThanThousandfold()
    {
        TensorFormatter.Format([204.8f, 2048f, 0.2048f], [3], [])
            .Should().Be("tensor([2.0480e+02, 2.0480e+03, 2.0480e-01])");
    }

    [Fact]
    public void Format_NonFiniteValues()
    {
        TensorFormatter.Format([1.5f, float.PositiveInfinity, float.NaN, float.NegativeInfinity], [4], [])
            .Should().Be("tensor([1.5000,    inf,    nan,   -inf])");
        TensorFormatter.Format([1e-5f, float.PositiveInfinity], [2], [])
            .Should().Be("tensor([1.0000e-05,        inf])");
    }

    [Fact]
    public void Format_Matrix()
    {
        TensorFormatter.Format([1f, 2f, 3f, 4f], [2, 2], [])
            .Should().Be("tensor([[1., 2.],\n        [3., 4.]])");
    }

    [Fact]
    public void Format_Rank3_SeparatesSlicesWithBlankLine()
    {
        TensorFormatter.Format([1f, 2f, 3f, 4f], [2, 1, 2], [])
            .Should().Be("tensor([[[1., 2.]],\n\n        [[3., 4.]]])");
    }

    [Fact]
    public void Format_EmptyTensors()
    {
        TensorFormatter.Format(ReadOnlySpan<float>.Empty, [0], []).Should().Be("tensor([])");
        TensorFormatter.Format(ReadOnlySpan<float>.Empty, [0, 3], []).Should().Be("tensor([], size=(0, 3))");
        TensorFormatter.Format(ReadOnlySpan<float>.Empty, [0, 3], ["requires_grad=True"])
            .Should().Be("tensor([], size=(0, 3), requires_grad=True)");
    }

    [Fact]
    public void Format_RoundsTiesToEvenLikePython()
    {
        TensorFormatter.Format([0.03125f, 0.46875f], [2], []).Should().Be("tensor([0.0312, 0.4688])");
        TensorFormatter.Format([12344.5f, 1e-5f], [2], []).Should().Be("tensor([1.2344e+04, 1.0000e-05])");
    }

    [Fact]
    public void Format_SummarizesAboveThreshold()
    {
        float[] data = [.. Enumerable.Range(1000, 2000).Select(i => (float)i)];

        TensorFormatter.Format(data, [2000], [])
            .Should().Be("tensor([1000., 1001., 1002.,  ..., 2997., 2998., 2999.])");
    }

    [Fact]
    public void Format_RejectsShapeDataMismatch()
    {
        Action act = () => TensorFormatter.Format([1f, 2f], [3], []);

        act.Should().Throw<ArgumentException>();
    }

    private static float ParseBits(string hex) =>
        BitConverter.UInt32BitsToSingle(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static Dictionary<string, PrintCase> LoadCases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "print_cases.json");
        List<PrintCase> cases = JsonSerializer.Deserialize<List<PrintCase>>(File.ReadAllText(path), s_jsonOptions)
            ?? throw new InvalidDataException($"{path} holds no cases.");
        return cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>One fixture case: float32 elements as hex bit patterns and PyTorch's printed form.</summary>
    private sealed record PrintCase(string Name, int[] Shape, string[] Data, string[] Suffixes, string Expected);
}
