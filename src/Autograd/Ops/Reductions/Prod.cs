using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The product of all elements, as a 0-d tensor (1 for an empty tensor); integers and bools multiply in int64, as PyTorch.</summary>
    public Tensor Prod() => ProdCore(AxisReduction.Plan(_shape, [], all: true), keepDim: false);

    /// <summary>The product over dimension <paramref name="dim"/>, which is removed unless <paramref name="keepDim"/>.</summary>
    public Tensor Prod(int dim, bool keepDim = false) => ProdCore(AxisReduction.Plan(_shape, dim), keepDim);

    private Tensor ProdCore(ReductionPlan plan, bool keepDim)
    {
        DType result = TypedReduction.SumType(_dtype);
        DType compute = result is DType.Float16 or DType.BFloat16 ? DType.Float32 : result;
        Tensor output = AxisReduction.Values(this, plan, ReduceKind.Prod, compute, keepDim).ConvertedTo(result);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new ProdBackward(this, output, plan.Kept)) : output;
    }
}

/// <summary>
/// <c>out = Π x</c> over all elements or one dimension. Without zeros in x: ∂L/∂xᵢ = g·out / xᵢ. With zeros, per
/// reduced slice (PyTorch's values): at a zero, the product of the others when it is the slice's only zero, else 0;
/// elsewhere 0 when the slice holds a zero. Written as g·where(x = 0, [z = 1]·P, [z = 0]·P / x̃) with x̃ = x with its
/// zeros set to 1, P = Π x̃ and z the slice's number of zeros, all tensor ops. Second order is exact without zeros;
/// with zeros the cross terms ∂²out/∂x_zero∂xⱼ are not recorded (the first order is exact).
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
        Tensor others = dims.Length == 0 ? safe : ProductKeep(safe, dims);
        Tensor atZero = Tensor.Where(count.Eq(1L), others, 0.0);
        Tensor elsewhere = Tensor.Where(count.Eq(0L), others / safe, 0.0);
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
