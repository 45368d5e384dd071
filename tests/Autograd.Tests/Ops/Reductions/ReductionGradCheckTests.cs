using Xunit;

namespace Autograd.Tests.Ops.Reductions;

/// <summary>
/// Finite differences in float64 (PyTorch's gradcheck defaults) for every differentiable reduction, first order and,
/// where the backward is built of tensor ops, second order (the gradient's own gradient through createGraph). Inputs
/// are random but away from kinks: distinct values for the selecting ops, |x| ≥ 0.2 for prod, cumprod and the p-norms.
/// </summary>
public class ReductionGradCheckTests
{
    private static readonly Dictionary<string, (Func<Tensor, Tensor> Op, Func<Tensor> Input, bool SecondOrder)> s_ops = new()
    {
        ["sum_dims02_keep"] = (x => x.Sum([0, 2], keepDim: true), () => Uniform(3, 4, 2), true),
        ["mean_dims_neg"] = (x => x.Mean([-1, 0]), () => Uniform(3, 4, 2), true),
        ["prod_all"] = (x => x.Prod(), () => Away(2, 3), true),
        ["prod_dim1"] = (x => x.Prod(1), () => Away(3, 4), true),
        ["prod_dim_with_zeros"] = (x => x.Prod(1), () => Tensor.From([1.5, 0.0, -2.0, 0.0, 0.0, 3.0, 0.5, 2.0, 0.0], [3, 3], requiresGrad: true), true),
        ["prod_all_one_zero"] = (x => x.Prod(), () => Tensor.From([1.5, 0.0, -2.0, 0.7], [2, 2], requiresGrad: true), true),
        ["max_dim"] = (x => x.Max(1).Values, () => Distinct(3, 4), true),
        ["min_dim_keep"] = (x => x.Min(0, keepDim: true).Values, () => Distinct(3, 4), true),
        ["min_all"] = (x => x.Min(), () => Distinct(3, 4), true),
        ["amax_dims02"] = (x => x.Amax([0, 2]), () => Distinct(3, 4, 2), true),
        ["amin_all"] = (x => x.Amin(), () => Distinct(3, 4), true),
        ["var_dims"] = (x => x.Var([1]), () => Uniform(3, 5), true),
        ["var_all_correction0"] = (x => x.Var(correction: 0), () => Uniform(3, 5), true),
        ["std_dims_keep"] = (x => x.Std([0, 2], keepDim: true), () => Uniform(3, 4, 2), true),
        ["norm_p1"] = (x => x.Norm(1.0, [1]), () => Away(3, 4), true),
        ["norm_p2"] = (x => x.Norm(2.0, [0]), () => Away(3, 4), true),
        ["norm_p3"] = (x => x.Norm(3.0), () => Away(3, 4), true),
        ["norm_p1p5"] = (x => x.Norm(1.5, [1], keepDim: true), () => Away(3, 4), true),
        ["norm_p0p5"] = (x => x.Norm(0.5, [1]), () => Away(3, 4), true),
        ["norm_pinf"] = (x => x.Norm(double.PositiveInfinity, [1]), () => Distinct(3, 4), true),
        ["norm_pneginf"] = (x => x.Norm(double.NegativeInfinity), () => Away(3, 4), true),
        ["logsumexp"] = (x => x.LogSumExp([0, 2]), () => Uniform(3, 4, 2), true),
        ["cumsum"] = (x => x.CumSum(1), () => Uniform(3, 4), true),
        ["cumprod"] = (x => x.CumProd(0), () => Away(4, 3), true),
        ["cumprod_with_zeros"] = (x => x.CumProd(1), () => Tensor.From([1.5, 0.0, -2.0, 0.5, 0.0, 2.0, 0.0, 3.0], [2, 4], requiresGrad: true), true),
        ["cummax"] = (x => x.Cummax(1).Values, () => Distinct(3, 5), true),
        ["cummin"] = (x => x.Cummin(0).Values, () => Distinct(5, 3), true),
        ["sort_desc"] = (x => x.Sort(0, descending: true).Values, () => Distinct(4, 3), true),
        ["topk"] = (x => x.TopK(2).Values, () => Distinct(3, 5), true),
        ["kthvalue"] = (x => x.Kthvalue(2, 0).Values, () => Distinct(4, 3), true),
        ["median_all"] = (x => x.Median(), () => Distinct(3, 3), true),
        ["median_dim"] = (x => x.Median(1).Values, () => Distinct(3, 4), true),
        ["mode"] = (x => x.Mode(1).Values, () => Distinct(3, 4), true),
    };

    public static TheoryData<string> Names => [.. s_ops.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void FirstOrder(string name)
    {
        (Func<Tensor, Tensor> op, Func<Tensor> input, _) = s_ops[name];
        GradCheck.Assert(t => op(t[0]), [input()]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SecondOrder(string name)
    {
        (Func<Tensor, Tensor> op, Func<Tensor> input, bool secondOrder) = s_ops[name];
        if (!secondOrder)
        {
            return;
        }

        GradCheck.Assert(OpTest.Gradient(t => op(t[0]) * Weights(op(t[0].Detach())), 0), [input()]);
    }

    /// <summary>Fixed weights 1, 2, 3, … so the summed gradient is not a plain sum (which would hide per-output errors).</summary>
    private static Tensor Weights(Tensor like) =>
        Tensor.Arange(1, like.Shape.ElementCount + 1, 1, DType.Float64).Reshape(like.Shape.Dims);

    private static Tensor Uniform(params int[] shape) =>
        Leaf(Tensor.Uniform(shape, -1f, 1f, requiresGrad: false, new Generator(Seed(shape))));

    private static Tensor Away(params int[] shape) =>
        Leaf(OpTest.AwayFromZero(shape, 0.3f, 1.2f, Seed(shape), requiresGrad: false));

    private static Tensor Leaf(Tensor values)
    {
        Tensor leaf = values.Double().Detach();
        leaf.RequiresGrad = true;
        return leaf;
    }

    /// <summary>A random permutation of values 0.1 apart (no ties within the finite-difference step, none at zero).</summary>
    private static Tensor Distinct(params int[] shape)
    {
        int n = shape.Aggregate(1, (p, s) => p * s);
        var random = new Random(Seed(shape));
        double[] values = [.. Enumerable.Range(0, n).Select(i => (i - (n / 2.0) + 0.25) * 0.1).OrderBy(_ => random.Next())];
        return Tensor.From(values, shape, requiresGrad: true);
    }

    private static int Seed(int[] shape) => shape.Aggregate(17, (h, s) => (h * 31) + s);
}
