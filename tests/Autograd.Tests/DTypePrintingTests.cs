using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// Replays <c>Fixtures/dtype_print_cases.json</c> (written by <c>tools/reference/dtype_print_cases.py</c> from
/// PyTorch 1.13): every tensor of every dtype prints exactly as PyTorch's <c>repr</c>.
/// </summary>
public class DTypePrintingTests
{
    private static readonly JsonSerializerOptions s_jsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly Lazy<Dictionary<string, PrintCase>> s_cases = new(LoadCases);

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ToString_MatchesPyTorch(string name)
    {
        PrintCase c = s_cases.Value[name];
        Tensor tensor = Build(c);
        if (c.RequiresGrad)
        {
            tensor.RequiresGrad = true;
        }

        tensor.ToString().Should().Be(c.Expected);
    }

    [Fact]
    public void Fixture_CoversEveryDType()
    {
        s_cases.Value.Values.Select(c => c.Dtype).Distinct().Should().BeEquivalentTo(
            ["float64", "float16", "bfloat16", "int64", "int32", "bool"]);
    }

    /// <summary>Builds the case's tensor through the public API for its dtype.</summary>
    internal static Tensor Build(PrintCase c)
    {
        int count = c.Data.Length;
        switch (c.Dtype)
        {
            case "float64":
                return Tensor.From(c.Data.Select(d => BitConverter.UInt64BitsToDouble(ulong.Parse(d.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray(), c.Shape);
            case "float16":
                {
                    // Half bits → float32 (exact) → float16 (exact, since the value is representable).
                    float[] values = [.. c.Data.Select(d => (float)BitConverter.UInt16BitsToHalf(ushort.Parse(d.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];
                    return Tensor.From(values, c.Shape).To(DType.Float16);
                }

            case "bfloat16":
                {
                    // bfloat16 bits are a float32's upper half, so the float32 is exact and converting back is exact.
                    float[] values = [.. c.Data.Select(d => BitConverter.Int32BitsToSingle(int.Parse(d.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture) << 16))];
                    return Tensor.From(values, c.Shape).To(DType.BFloat16);
                }

            case "int64":
                return Tensor.From(c.Data.Select(d => long.Parse(d.GetString()!, CultureInfo.InvariantCulture)).ToArray(), c.Shape);
            case "int32":
                return Tensor.From(c.Data.Select(d => int.Parse(d.GetString()!, CultureInfo.InvariantCulture)).ToArray(), c.Shape);
            case "bool":
                return Tensor.From(c.Data.Select(d => d.GetBoolean()).ToArray(), c.Shape);
            default:
                throw new InvalidDataException($"unknown dtype {c.Dtype} ({count} elements)");
        }
    }

    private static Dictionary<string, PrintCase> LoadCases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "dtype_print_cases.json");
        Fixture fixture = JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), s_jsonOptions)
            ?? throw new InvalidDataException($"{path} holds no cases.");
        return fixture.Cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    private sealed record Fixture(string TorchVersion, List<PrintCase> Cases);

    /// <summary>One fixture case: the tensor's dtype, shape, lossless elements, and PyTorch's printed form.</summary>
    internal sealed record PrintCase(string Name, string Dtype, int[] Shape, JsonElement[] Data, bool RequiresGrad, string Expected);
}
