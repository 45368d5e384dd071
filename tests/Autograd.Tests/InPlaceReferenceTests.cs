using FluentAssertions;
using Xunit;
using static Autograd.Tests.Ops.OpReferenceTests;

namespace Autograd.Tests;

/// <summary>
/// Replays <c>Fixtures/inplace_gradients.json</c> (written by <c>tools/reference/inplace_cases.py</c> with PyTorch
/// 1.13): programs that write into non-leaves and through their views, index tensors and masks. Output and every leaf
/// gradient must match PyTorch's, with the tolerance of <see cref="Ops.OpReferenceTests"/>.
/// </summary>
public class InPlaceReferenceTests
{
    private static readonly Lazy<Dictionary<string, OpCase>> s_cases = new(() => LoadCases("inplace_gradients.json"));

    /// <summary>Each program of the generator, written with the library's API.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_programs = new()
    {
        ["column_write"] = t =>
        {
            Tensor h = t[0] * 2f;
            h[.., 0] = t[1];
            return h * t[0];
        },
        ["row_scale"] = t =>
        {
            Tensor h = (t[0] * t[0]) + 0f;
            Tensor v = h[(TensorIndex)1];
            v *= 3f;
            return h;
        },
        ["add_through_transpose"] = t =>
        {
            Tensor h = t[0] * 2f;
            Tensor v = h.T;
            v += t[1];
            return h * h;
        },
        ["strided_slice_write"] = t =>
        {
            Tensor h = t[0] + 1f;
            h[TensorIndex.Slice(null, null, 2)] = t[1].Sin();
            return h * h;
        },
        ["mul_non_leaf"] = t =>
        {
            Tensor h = t[0] * 1f;
            h *= t[1];
            return h * t[0];
        },
        ["div_non_leaf"] = t =>
        {
            Tensor h = t[0] + 0f;
            h /= t[1];
            return h;
        },
        ["fill_row"] = t =>
        {
            Tensor h = t[0] * 3f;
            h[(TensorIndex)1].Fill(0.5f);
            return h * t[0];
        },
        ["index_tensor_write"] = t =>
        {
            Tensor h = t[0] * 2f;
            h[Tensor.From([0L, 3L])] = t[1];
            return h * t[0];
        },
        ["mask_write"] = t =>
        {
            Tensor h = t[0] * 2f;
            h[Tensor.From([true, false, true, false])] = t[1];
            return h * t[0];
        },
        ["write_into_plain_leaf"] = t =>
        {
            Tensor plain = Tensor.Zeros(3, 4);
            plain[(TensorIndex)1] = t[0];
            return plain * 2f;
        },
        ["nested_views"] = t =>
        {
            Tensor h = t[0] * 2f;
            Tensor v = h[(TensorIndex)1][.., 1..3];
            v += t[1];
            return h * h;
        },
        ["two_writes"] = t =>
        {
            Tensor h = t[0] * 2f;
            h[(TensorIndex)0] = t[1];
            Tensor row = h[(TensorIndex)1];
            row += t[1] * t[1];
            return h.Exp();
        },
        ["scalar_ops_on_view"] = t =>
        {
            Tensor h = t[0] * 1f;
            Tensor v = h[.., 1];
            v += 2f;
            v *= -3f;
            v -= 1f;
            v /= 4f;
            return h * t[0];
        },
    };

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OutputAndGradients_MatchPyTorch(string name)
    {
        s_programs.Should().ContainKey(name, "every fixture case needs a C# counterpart");
        Replay(name, s_cases.Value[name], s_programs[name]);
    }

    [Fact]
    public void EveryProgramHasAFixture() =>
        s_programs.Keys.Should().BeEquivalentTo(s_cases.Value.Keys, "inplace_cases.py and this class name the same programs");
}
