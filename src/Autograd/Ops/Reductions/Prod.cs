using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The product of all elements, as a 0-d tensor (1 for an empty tensor); integers and bools multiply in int64, as PyTorch.</summary>
    public Tensor Prod() => ProdCore(AxisReduction.Plan(_shape, [], all: true), keepDim: false);

    /// <summary>The product over dimension <paramref name="dim"/>, which is removed unless <paramref name="keepDim"/>.</summary>
    public Tensor Prod(int dim, bool keepDim = false) => ProdCore(AxisReduction.Plan(_shape, dim), keepDim);

    /// <summary>Π over <paramref name="dim"/>, kept as size 1.</summary>
    internal Tensor ProdKeep(int dim) => Prod(dim, keepDim: true);

    private Tensor ProdCore(ReductionPlan plan, bool keepDim)
    {
        DType result = TypedReduction.SumType(_dtype);
        DType compute = result is DType.Float16 or DType.BFloat16 ? DType.Float32 : result;
        Tensor output = AxisReduction.Values(this, plan, ReduceKind.Prod, compute, keepDim).ConvertedTo(result);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new ProdBackward(this, output, plan.Kept)) : output;
    }
}

/// <summary>
/// <c>out = Π x</c> over all elements or one dimension: ∂L/∂xᵢ = g·Π_{j≠i} xⱼ. Without zeros in x that is g·out / xᵢ.
/// With zeros it is built per reduced slice from P = Π x̃ (x̃ = x with its zeros set to 1), the slice's zero count z
/// and S = Σ_{zeros} x (0 in value, but ∂S/∂x = 1 at each zero), so that the rule is exact to second order, as
/// PyTorch's (whose first derivative at zeros is the same): z = 1: P at the zero, S·P / xᵢ elsewhere; z = 2:
/// (S − xᵢ)·P at each zero (the other zero's x), 0 elsewhere; z ≥ 3: 0. All tensor ops.
/// </summary>
internal sealed class ProdBackward(Tensor x, Tensor output, int[] keptShape) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor g = grad.Reshape(keptShape);
        Tensor zeros = x.Eq(0.0);
        if (!zeros.Any().ItemBool())
        {
            return [g * Saved(_output).Reshape(keptShape) / x];
        }

        int[] dims = [.. Enumerable.Range(0, x.Rank).Where(d => keptShape[d] == 1 && x._shape[d] != 1)];
        Tensor count = dims.Length == 0 ? zeros.Long() : zeros.Sum(dims, keepDim: true);
        Tensor safe = Tensor.Where(zeros, 1.0, x);
        Tensor product = dims.Length == 0 ? safe : ProductKeep(safe, dims);
        Tensor atZeros = Tensor.Where(zeros, x, 0.0);
        Tensor zeroSum = dims.Length == 0 ? atZeros : atZeros.Sum(dims, keepDim: true);
        Tensor atZero = Tensor.Where(count.Eq(1L), product, Tensor.Where(count.Eq(2L), (zeroSum - x) * product, 0.0));
        Tensor elsewhere = Tensor.Where(count.Eq(0L), product / safe, Tensor.Where(count.Eq(1L), zeroSum * product / safe, 0.0));
        return [g * Tensor.Where(zeros, atZero, elsewhere)];
    }

    /// <summary>Π over <paramref name="dims"/>, kept as size 1 (one dimension at a time, each differentiable).</summary>
    private static Tensor ProductKeep(Tensor t, int[] dims)
    {
        foreach (int d in dims)
        {
            t = t.Prod(d, keepDim: true);
        }

        return t;
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
