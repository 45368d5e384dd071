using Autograd.Tests.Ops;
using FluentAssertions;
using Xunit;
using static Autograd.Tests.Float64.Float64GradCheckTests;

namespace Autograd.Tests.Float64;

/// <summary>
/// Every differentiable view, joining, indexing and mask op in float64, checked by finite differences with PyTorch's
/// float64 defaults (eps 1e-6, atol 1e-5, rtol 1e-3). Each op is composed with a non-linear function, mostly
/// N(y) = y ⊙ exp(y) with N′(y) = (1 + y)·exp(y), so the Jacobian depends on the input: a gradient routed to the
/// wrong element, dropped, counted twice or computed from the wrong saved value changes some entry by far more than
/// atol. The index tensors and masks are constants (finite differences never move them); indices repeat where the
/// op's gradient must add the contributions up.
/// </summary>
public class Float64StructuralGradCheckTests
{
    /// <summary>N(y) = y ⊙ exp(y): elementwise, non-linear, with a derivative that is never constant.</summary>
    private static Tensor N(Tensor y) => y * y.Exp();

    private static Tensor L(int[] shape, int seed) => Leaf(shape, -1, 1, seed);

    private static Tensor Longs(long[] values, params int[] shape) => Tensor.From(values, shape);

    private static Tensor Bools(bool[] values, params int[] shape) => Tensor.From(values, shape);

    /// <summary>Σᵢ (i + 1)·Σ N(partsᵢ): a scalar in which each output of a multi-output op has its own weight.</summary>
    private static Tensor WeightedSum(Tensor[] parts)
    {
        Tensor total = N(parts[0]).Sum();
        for (int i = 1; i < parts.Length; i++)
        {
            total = total + (N(parts[i]).Sum() * (double)(i + 1));
        }

        return total;
    }

    /// <summary>A case: the inputs (a fresh set per call, fixed seeds) and the function to check.</summary>
    private sealed record Case(Func<Tensor[]> Inputs, Func<Tensor[], Tensor> Function);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Views.
        ["view"] = new(() => [L([2, 3, 4], 1)], t => N(t[0].View(6, 4))),
        ["view_inferred"] = new(() => [L([2, 3, 4], 2)], t => N(t[0].View(-1, 3)) * t[0].View(8, 3)),
        ["reshape_noncontiguous"] = new(() => [L([2, 3, 4], 3)], t => N(t[0].Permute(2, 0, 1).Reshape(4, 6))),
        ["flatten"] = new(() => [L([2, 3, 4], 4)], t => N(t[0].Flatten(1))),
        ["unflatten"] = new(() => [L([2, 3, 4], 5)], t => N(t[0].Unflatten(2, 2, 2))),
        ["squeeze_dim"] = new(() => [L([2, 1, 3], 6)], t => N(t[0].Squeeze(1))),
        ["squeeze_all"] = new(() => [L([1, 3, 1], 7)], t => N(t[0].Squeeze())),
        // [2,1,3,4] ⊙ [1,2,3,4] broadcasts to [2,2,3,4]: each element of x meets every other slice of x.
        ["unsqueeze"] = new(() => [L([2, 3, 4], 8)], t => t[0].Unsqueeze(1) * t[0].Unsqueeze(0).Exp()),
        ["permute"] = new(() => [L([2, 3, 4], 9)], t => N(t[0].Permute(2, 0, 1))),
        ["transpose"] = new(() => [L([2, 3, 4], 10)], t => t[0].Transpose(0, 2) * t[0].Exp().Transpose(0, 2).Sin()),
        // xᵀx: quadratic in x, the transpose's gradient routed through MatMul.
        ["T"] = new(() => [L([3, 4], 11)], t => Tensor.MatMul(t[0].T, t[0])),
        ["T_1d"] = new(() => [L([4], 12)], t => N(t[0].T)),
        ["MT"] = new(() => [L([2, 3, 4], 13)], t => Tensor.MatMul(t[0].MT, t[0])),
        // Expand's gradient sums over the broadcast copies.
        ["expand"] = new(() => [L([3, 1], 14)], t => N(t[0].Expand(2, 3, 4))),
        ["expand_as"] = new(() => [L([3, 1], 15), L([2, 3, 4], 16)], t => t[0].ExpandAs(t[1]) * t[1].Exp()),
        ["narrow"] = new(() => [L([2, 3, 4], 17)], t => N(t[0].Narrow(2, 1, 2))),
        ["select"] = new(() => [L([2, 3, 4], 18)], t => N(t[0].Select(1, 2)) * t[0].Select(1, -3)),
        ["slice_step"] = new(() => [L([2, 3, 5], 19)], t => N(t[0].Slice(2, 0, 5, 2))),
        ["slice_start_step"] = new(() => [L([2, 5, 3], 20)], t => N(t[0].Slice(1, 1, null, 3))),
        // Windows of 3 with step 1 overlap: the middle elements' gradients add up from several windows.
        ["unfold_overlap"] = new(() => [L([2, 5], 21)], t => N(t[0].Unfold(1, 3, 1))),
        ["unfold_step2"] = new(() => [L([5, 2], 22)], t => N(t[0].Unfold(0, 3, 2))),
        ["diagonal"] = new(() => [L([3, 4], 23)], t => N(t[0].Diagonal(1))),
        ["diagonal_3d"] = new(() => [L([2, 3, 4], 24)], t => N(t[0].Diagonal(-1, 1, 2))),
        ["indexer_range"] = new(() => [L([2, 4], 25)], t => N(t[0][.., 1..3])),
        ["indexer_select_from_end"] = new(() => [L([3, 4], 26)], t => N(t[0][^1, ..]) * t[0][0, ..]),

        // Joining.
        ["cat"] = new(() => [L([2, 3], 27), L([2, 2], 28)], t => N(Tensor.Cat([t[0], t[1].Exp()], 1))),
        ["cat0"] = new(() => [L([2, 3], 29), L([1, 3], 30)], t => N(Tensor.Cat(t[0], t[1] * t[1]))),
        ["stack"] = new(() => [L([2, 3], 31), L([2, 3], 32)], t => N(Tensor.Stack([t[0], t[1] * t[0]], 1))),
        ["split"] = new(() => [L([2, 5], 33)], t => WeightedSum(t[0].Split(2, 1))),
        ["split_sizes"] = new(() => [L([5, 2], 34)], t => WeightedSum(t[0].Split([1, 3, 1], 0))),
        ["chunk"] = new(() => [L([5, 2], 35)], t => WeightedSum(t[0].Chunk(3, 0))),
        ["unbind"] = new(() => [L([2, 3], 36)], t => WeightedSum(t[0].Unbind(1))),
        ["repeat"] = new(() => [L([2, 3], 37)], t => N(t[0].Repeat(2, 1, 2))),
        ["repeat_interleave"] = new(() => [L([2, 3], 38)], t => N(t[0].RepeatInterleave(2, 1))),
        ["repeat_interleave_flat"] = new(() => [L([2, 3], 39)], t => N(t[0].RepeatInterleave(3))),
        ["flip"] = new(() => [L([2, 3, 4], 40)], t => N(t[0].Flip(0, 2)) * t[0]),
        ["roll"] = new(() => [L([2, 3, 4], 41)], t => N(t[0].Roll([1, -2], [0, 2])) * t[0]),
        ["roll_flat"] = new(() => [L([2, 3], 42)], t => N(t[0].Roll(4)) * t[0]),

        // Indexing; repeated indices where the gradient must accumulate.
        ["index_select"] = new(() => [L([4, 3], 43)], t => N(t[0].IndexSelect(0, Longs([2, 0, 2], 3)))),
        ["index_select_dim1"] = new(() => [L([2, 4], 44)], t => N(t[0].IndexSelect(1, Longs([3, 3, 1, 0, 3], 5)))),
        ["gather"] = new(() => [L([3, 4], 45)], t => N(t[0].Gather(1, Longs([0, 0, 3, 1, 2, 1, 3, 3, 0], 3, 3)))),
        // Scatter with an index that is unique per column: each output element comes from exactly one source.
        ["scatter"] = new(
            () => [L([3, 4], 46), L([2, 4], 47)],
            t => N(t[0].Scatter(0, Longs([0, 1, 2, 0, 2, 0, 1, 1], 2, 4), t[1].Exp()))),
        ["scatter_value"] = new(() => [L([3, 4], 48)], t => N(t[0].Scatter(1, Longs([0, 3, 2, 2, 1, 0], 3, 2), 0.5))),
        ["scatter_add"] = new(
            () => [L([3, 4], 49), L([2, 4], 50)],
            t => N(t[0].ScatterAdd(0, Longs([0, 0, 2, 1, 0, 1, 2, 1], 2, 4), t[1] * t[1]))),
        ["index_add"] = new(
            () => [L([4, 3], 51), L([3, 3], 52)],
            t => N(t[0].IndexAdd(0, Longs([1, 3, 1], 3), t[1].Exp(), alpha: 2))),
        // Accumulate with the repeated index 0: out[0] = x[0] + v[0] + v[2].
        ["index_put_accumulate"] = new(
            () => [L([4, 3], 53), L([3, 3], 54)],
            t => N(t[0].IndexPut([Longs([0, 2, 0], 3)], t[1] * t[1], accumulate: true))),
        ["index_put_points_accumulate"] = new(
            () => [L([3, 4], 55), L([4], 56)],
            t => N(t[0].IndexPut([Longs([1, 1, 2, 1], 4), Longs([0, 0, 3, 2], 4)], t[1].Exp(), accumulate: true))),
        // Without accumulate the overwritten positions get no gradient for x; v broadcasts over the rows.
        ["index_put_overwrite"] = new(
            () => [L([4, 3], 57), L([3], 58)],
            t => N(t[0].IndexPut([Longs([3, 1], 2)], t[1].Exp()))),
        ["advanced_int64"] = new(() => [L([3, 4], 59)], t => N(t[0][Longs([0, 2, 2, 1], 2, 2)])),
        ["advanced_int64_dim1"] = new(() => [L([3, 4], 60)], t => N(t[0][.., Longs([3, 0, 3], 3)])),
        ["advanced_two_tensors"] = new(() => [L([3, 4], 61)], t => N(t[0][Longs([2, 0, 2], 3), Longs([1, -1, 1], 3)])),
        ["advanced_bool_mask"] = new(
            () => [L([3, 4], 62)],
            t => N(t[0][Bools([true, false, true, true, false, false, true, false, true, true, false, true], 3, 4)])),
        ["advanced_bool_rows"] = new(() => [L([3, 4], 63)], t => N(t[0][Bools([true, false, true], 3)])),
        // take reads the flattened input; the repeated 5 and the negative −1 (the last element) accumulate.
        ["take"] = new(() => [L([3, 4], 78)], t => N(t[0].Take(Longs([5, 0, 5, -1, 11, 7], 2, 3)))),

        // Masks.
        ["where"] = new(
            () => [L([2, 3], 64), L([2, 3], 65)],
            t => N(Tensor.Where(Bools([true, false, false, true, true, false], 2, 3), t[0], t[1].Exp()))),
        // The condition and b broadcast against a: ∂L/∂b sums over the broadcast rows.
        ["where_broadcast"] = new(
            () => [L([2, 3], 66), L([3], 67)],
            t => N(Tensor.Where(Bools([false, true, true], 3), t[0] * t[0], t[1]))),
        ["where_scalar"] = new(() => [L([2, 3], 68)], t => N(Tensor.Where(Bools([true, false, true, false, true, false], 2, 3), t[0], 0.5))),
        ["masked_fill"] = new(() => [L([2, 4], 69)], t => N(t[0].MaskedFill(Bools([true, false, false, true], 4), 0.25))),
        ["masked_fill_tensor"] = new(
            () => [L([2, 4], 70), L([], 71)],
            t => N(t[0].MaskedFill(Bools([true, false, false, true, false, true, true, false], 2, 4), t[1].Exp()))),
        ["masked_select"] = new(() => [L([3, 4], 72)], t => N(t[0].MaskedSelect(Bools([true, false, true, true], 4)))),
        ["masked_select_full"] = new(
            () => [L([2, 3], 73)],
            t => N(t[0].MaskedSelect(Bools([false, true, true, true, false, true], 2, 3)))),

        // A recorded in-place write through a view: h = 1.5x + 0.5, then row 1 of h is overwritten with 2y, then
        // h ⊙ x. So ∂/∂x is (3x + 0.5) off row 1 and 2y on it (from the ⊙ x alone); ∂/∂y is 2x[1, :], summed nowhere.
        ["inplace_view_write"] = new(
            () => [L([3, 4], 74), L([4], 75)],
            t =>
            {
                Tensor h = (t[0] * 1.5) + 0.5;
                h[1, ..] = t[1] * 2.0;
                return h * t[0];
            }),
        // x[idx] = v with tensor entries is a recorded index_put_: rows 2 and 0 of h are overwritten, v broadcasts.
        ["inplace_advanced_write"] = new(
            () => [L([3, 4], 79), L([4], 80)],
            t =>
            {
                Tensor h = (t[0] * 1.5) + 0.5;
                h[Longs([2, 0], 2)] = t[1].Exp();
                return h * t[0];
            }),
        ["inplace_mask_write"] = new(
            () => [L([2, 3], 81), L([], 82)],
            t =>
            {
                Tensor h = t[0].Sin();
                h[Bools([true, false, false, false, true, true], 2, 3)] = t[1] * t[1];
                return h * t[0];
            }),
        ["inplace_view_write_slice"] = new(
            () => [L([3, 4], 76), L([3, 2], 77)],
            t =>
            {
                Tensor h = t[0].Sin();   // saves x, not h (exp would save h, which the write then invalidates)
                h[.., 1..3] = t[1] * t[1];
                return h * t[0];
            }),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Op_IsFloat64_AndPassesGradCheckWithPyTorchDefaults(string name)
    {
        Case c = Cases[name];
        Tensor[] inputs = c.Inputs();
        inputs.Should().OnlyContain(x => x.DType == DType.Float64);

        c.Function(inputs).DType.Should().Be(DType.Float64);
        GradCheckResult result = GradCheck.Check(c.Function, inputs);

        result.Passed.Should().BeTrue(result.Message);
        result.EntriesChecked.Should().BeGreaterThan(0);
    }

    /// <summary>Second derivatives: the backward rules are tensor ops, so with createGraph they differentiate again.</summary>
    [Theory]
    [InlineData("unfold_overlap")]
    [InlineData("diagonal")]
    [InlineData("cat")]
    [InlineData("split")]
    [InlineData("roll")]
    [InlineData("gather")]
    [InlineData("scatter_add")]
    [InlineData("index_put_accumulate")]
    [InlineData("advanced_bool_mask")]
    [InlineData("where")]
    [InlineData("masked_select")]
    [InlineData("inplace_view_write")]
    [InlineData("inplace_advanced_write")]
    [InlineData("take")]
    public void SecondDerivative_PassesGradCheckInFloat64(string name)
    {
        Case c = Cases[name];
        Tensor[] inputs = c.Inputs();

        for (int wrt = 0; wrt < inputs.Length; wrt++)
        {
            GradCheckResult result = GradCheck.Check(OpTest.Gradient(c.Function, wrt), inputs);

            result.Passed.Should().BeTrue($"d/d(input {wrt}): {result.Message}");
        }
    }

    /// <summary>
    /// The ops above that are linear in x, y = A·x, on a [3, 4] input (the indices and masks are constants). Used
    /// for the adjoint identity ⟨g, A·x⟩ = ⟨Aᵀ·g, x⟩.
    /// </summary>
    private static readonly Dictionary<string, Func<Tensor, Tensor>> LinearOps = new()
    {
        ["view"] = x => x.View(2, 6),
        ["reshape"] = x => x.T.Reshape(12),
        ["flatten"] = x => x.Flatten(),
        ["unflatten"] = x => x.Unflatten(1, 2, 2),
        ["squeeze"] = x => x.Unsqueeze(1).Squeeze(1),
        ["permute"] = x => x.Permute(1, 0),
        ["transpose"] = x => x.Transpose(0, 1),
        ["MT"] = x => x.MT,
        ["expand"] = x => x.Unsqueeze(0).Expand(2, 3, 4),
        ["narrow"] = x => x.Narrow(1, 1, 2),
        ["select"] = x => x.Select(1, 2),
        ["slice_step"] = x => x.Slice(1, 0, 4, 2),
        ["unfold_overlap"] = x => x.Unfold(1, 3, 1),
        ["diagonal"] = x => x.Diagonal(1),
        ["indexer_range"] = x => x[.., 1..3],
        ["cat"] = x => Tensor.Cat([x, x.Narrow(0, 1, 2)], 0),
        ["stack"] = x => Tensor.Stack([x, x.Flip(1)], 2),
        ["split"] = x => x.Split(3, 1)[1],
        ["chunk"] = x => x.Chunk(2, 1)[0],
        ["unbind"] = x => x.Unbind(0)[2],
        ["repeat"] = x => x.Repeat(2, 1),
        ["repeat_interleave"] = x => x.RepeatInterleave(2, 0),
        ["flip"] = x => x.Flip(0, 1),
        ["roll"] = x => x.Roll([1, -1], [0, 1]),
        ["index_select"] = x => x.IndexSelect(1, Longs([3, 0, 3], 3)),
        ["gather"] = x => x.Gather(0, Longs([2, 2, 0, 1, 1, 0, 2, 2], 2, 4)),
        ["scatter_value"] = x => x.Scatter(1, Longs([0, 3, 2, 2, 1, 0], 3, 2), 0.0),
        ["scatter_add"] = x => Tensor.Zeros([2, 4], DType.Float64).ScatterAdd(0, Longs([0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1], 3, 4), x),
        ["index_add"] = x => Tensor.Zeros([2, 4], DType.Float64).IndexAdd(0, Longs([1, 0, 1], 3), x, alpha: 0.3),
        ["index_put_accumulate"] = x => Tensor.Zeros([2, 4], DType.Float64).IndexPut([Longs([1, 1, 0], 3)], x, accumulate: true),
        ["advanced_int64"] = x => x[Longs([2, 0, 2], 3)],
        ["advanced_bool_mask"] = x => x[Bools([true, false, true, true, false, false, true, false, true, true, false, true], 3, 4)],
        ["where"] = x => Tensor.Where(Bools([true, false, false, true], 4), x, 0.0),
        ["masked_fill"] = x => x.MaskedFill(Bools([false, true, true], 3, 1), 0.0),
        ["masked_select"] = x => x.MaskedSelect(Bools([true, false, true, true], 4)),
        ["take"] = x => x.Take(Longs([5, 0, 5, -1, 11, 7], 2, 3)),
    };

    public static TheoryData<string> LinearOpNames => [.. LinearOps.Keys];

    /// <summary>
    /// ⟨g, A·x⟩ = ⟨Aᵀ·g, x⟩ to float64 precision, with g and x of full 53-bit mantissas: the forward computes A·x and
    /// the backward Aᵀ·g, and each only moves or adds elements, so both sides agree to a few ulps of a short sum.
    /// A forward or backward that went through float32 (or any 24-bit rounding) misses by ~1e-8, which GradCheck's
    /// rtol 1e-3 cannot see, but 1e-13 does.
    /// </summary>
    [Theory]
    [MemberData(nameof(LinearOpNames))]
    public void LinearOp_ForwardAndBackwardAreAdjointToFloat64Precision(string name)
    {
        Func<Tensor, Tensor> op = LinearOps[name];
        Tensor x = L([3, 4], 101);
        Tensor y = op(x);
        Tensor g = Leaf(y.Shape.ToArray(), -1, 1, 102, requiresGrad: false);

        (y * g).Sum().Backward();

        y.DType.Should().Be(DType.Float64);
        x.Grad!.DType.Should().Be(DType.Float64);
        double forward = (g * y).Sum().Item<double>(), adjoint = (x.Grad * x).Sum().Item<double>();
        double[] gs = g.ToArray<double>(), ys = y.ToArray<double>();
        double scale = 0;   // Σ |g|·|Ax|: bounds the rounding of both sums, every coefficient of A being positive
        for (int i = 0; i < gs.Length; i++)
        {
            scale += Math.Abs(gs[i] * ys[i]);
        }

        Math.Abs(forward - adjoint).Should().BeLessThan(1e-13 * scale, "⟨g, Ax⟩ = {0:R} and ⟨Aᵀg, x⟩ = {1:R}", forward, adjoint);
    }

    [Fact]
    public void InPlaceViewWrite_HasTheHandDerivedGradient()
    {
        // f = Σ h ⊙ x with h = 1.5x + 0.5 off row 1 and h[1] = 2y: ∂f/∂x = 3x + 0.5 off row 1, 2y on row 1; ∂f/∂y = 2x[1].
        Tensor x = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true);
        Tensor y = Tensor.From([0.25, -1.0], requiresGrad: true);

        Cases["inplace_view_write"].Function([x, y]).Sum().Backward();

        x.Grad!.ToArray<double>().Should().Equal(3.5, 6.5, 0.5, -2);
        y.Grad!.ToArray<double>().Should().Equal(6, 8);
    }
}
