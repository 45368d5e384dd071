using FluentAssertions;
using Xunit;
using static Autograd.Tests.Ops.OpReferenceTests;

namespace Autograd.Tests.Ops;

/// <summary>
/// Replays every case of <c>Fixtures/view_gradients.json</c> (written by <c>tools/reference/view_cases.py</c> with
/// PyTorch 1.13): same float32 inputs, same upstream gradient; output and every input gradient must match PyTorch's.
/// Views copy values without arithmetic, so almost every case is exact; the tolerance is <see cref="OpReferenceTests"/>'s,
/// for the few chains that multiply and sum.
/// </summary>
public class ViewReferenceTests
{
    private static readonly Lazy<Dictionary<string, OpCase>> s_cases = new(LoadCases);

    private static readonly TensorIndex All = TensorIndex.Slice();
    private static readonly TensorIndex None = TensorIndex.NewAxis;
    private static readonly TensorIndex Ellipsis = TensorIndex.Ellipsis;

    /// <summary>Each fixture case, by name, written with the library's API. Inputs arrive in the fixture's order.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_ops = new()
    {
        ["view_2x3_to_3x2"] = t => t[0].View(3, 2),
        ["view_infer"] = t => t[0].View(2, -1),
        ["view_to_0d"] = t => t[0].View([]),
        ["view_transposed_split_last"] = t => t[0].T.View(6, 2, 2),
        ["view_of_column_slice"] = t => t[0][.., 1..3].View(4, 1, 2),
        ["flatten_all"] = t => t[0].Flatten(),
        ["flatten_1_2"] = t => t[0].Flatten(1, 2),
        ["flatten_neg"] = t => t[0].Flatten(-3, -2),
        ["flatten_transposed_copies"] = t => t[0].Transpose(0, 1).Flatten(1),
        ["flatten_0d"] = t => t[0].Flatten(),
        ["unflatten_dim1"] = t => t[0].Unflatten(1, 2, 3),
        ["unflatten_infer_neg_dim"] = t => t[0].Unflatten(-1, -1, 2),
        ["unflatten_of_transposed"] = t => t[0].T.Unflatten(0, 2, 2),

        ["squeeze_all"] = t => t[0].Squeeze(),
        ["squeeze_dim"] = t => t[0].Squeeze(2),
        ["squeeze_dim_not_1"] = t => t[0].Squeeze(1),
        ["squeeze_neg_dim"] = t => t[0].Squeeze(-4),
        ["unsqueeze_0"] = t => t[0].Unsqueeze(0),
        ["unsqueeze_neg1"] = t => t[0].Unsqueeze(-1),
        ["unsqueeze_middle_of_transposed"] = t => t[0].T.Unsqueeze(1),
        ["unsqueeze_0d"] = t => t[0].Unsqueeze(0),

        ["permute_3d"] = t => t[0].Permute(2, 0, 1),
        ["permute_neg_dims"] = t => t[0].Permute(-1, -3, -2),
        ["permute_of_transposed"] = t => t[0].Transpose(0, 2).Permute(1, 2, 0),
        ["mT_3d"] = t => t[0].MT,
        ["expand_keep_size"] = t => t[0].Expand(-1, 4),
        ["expand_new_leading_keep"] = t => t[0].Expand(2, -1, 3),
        ["expand_as"] = t => t[0].ExpandAs(t[1]) * t[1],

        ["select_dim0"] = t => t[0].Select(0, 1),
        ["select_dim1_neg_index"] = t => t[0].Select(1, -1),
        ["select_neg_dim"] = t => t[0].Select(-2, 0),
        ["select_of_transposed"] = t => t[0].T.Select(0, 2),
        ["select_to_0d"] = t => t[0].Select(0, 2),
        ["narrow_dim1"] = t => t[0].Narrow(1, 1, 2),
        ["narrow_neg_start"] = t => t[0].Narrow(0, -2, 2),
        ["narrow_empty"] = t => t[0].Narrow(1, 4, 0),
        ["slice_step2"] = t => t[0].Slice(1, step: 2),
        ["slice_step3_bounds"] = t => t[0].Slice(0, 1, 6, 3),
        ["slice_neg_bounds"] = t => t[0].Slice(1, -3, -1),
        ["slice_clamped"] = t => t[0].Slice(0, -10, 10),
        ["slice_empty"] = t => t[0].Slice(0, 2, 1),
        ["slice_of_transposed"] = t => t[0].T.Slice(0, 1).Slice(1, step: 2),

        ["unfold_overlapping"] = t => t[0].Unfold(0, 3, 1),
        ["unfold_step2"] = t => t[0].Unfold(1, 2, 2),
        ["unfold_gap"] = t => t[0].Unfold(0, 2, 3),
        ["unfold_neg_dim_of_transposed"] = t => t[0].T.Unfold(-1, 2, 1),
        ["unfold_0d"] = t => t[0].Unfold(0, 1, 1),
        ["unfold_twice"] = t => t[0].Unfold(0, 3, 1).Unfold(1, 2, 1),
        ["diagonal_main"] = t => t[0].Diagonal(),
        ["diagonal_above"] = t => t[0].Diagonal(1),
        ["diagonal_below"] = t => t[0].Diagonal(-1),
        ["diagonal_empty"] = t => t[0].Diagonal(5),
        ["diagonal_3d_last_dims"] = t => t[0].Diagonal(0, 1, 2),
        ["diagonal_3d_neg_dims_reversed"] = t => t[0].Diagonal(1, -1, 0),
        ["diagonal_of_transposed"] = t => t[0].T.Diagonal(-1),

        ["index_int"] = t => t[0][(TensorIndex)1],
        ["index_last"] = t => t[0][^1],
        ["index_ellipsis_last"] = t => t[0][Ellipsis, 0],
        ["index_range_dim1"] = t => t[0][.., 1..3],
        ["index_row_step"] = t => t[0][1, TensorIndex.Slice(null, null, 2)],
        ["index_newaxis"] = t => t[0][None, All, None],
        ["index_mixed"] = t => t[0][1.., None, TensorIndex.Slice(step: 2), -1],
        ["index_ellipsis_middle"] = t => t[0][0, Ellipsis, 1..],
        ["index_of_transposed"] = t => t[0].T[1.., 0],

        ["chain_views_of_views"] = t => t[0].Transpose(0, 2)[1.., TensorIndex.Slice(step: 2)].Unsqueeze(0).Permute(3, 1, 0, 2).Flatten(1),
        ["chain_overlapping_reuse"] = t => (t[0].Narrow(0, 0, 2) * t[0].Narrow(0, 1, 2)) + t[0].Unfold(0, 2, 1).Sum(1),
        ["chain_diagonal_sum_select"] = t => t[0].Diagonal().Sum() * t[0].Select(1, 0),
    };

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OutputAndGradients_MatchPyTorch(string name)
    {
        s_ops.Should().ContainKey(name, "every fixture case needs a C# counterpart");
        Replay(name, s_cases.Value[name], s_ops[name]);
    }

    [Fact]
    public void EveryCaseHasAFixture()
    {
        s_ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys, "view_cases.py and this class must name the same cases");
        s_cases.Value.Count.Should().BeGreaterThanOrEqualTo(60);
    }

    private static Dictionary<string, OpCase> LoadCases() => OpReferenceTests.LoadCases("view_gradients.json");
}
