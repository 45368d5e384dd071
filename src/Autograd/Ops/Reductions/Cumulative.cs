using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The running sum along <paramref name="dim"/>: outᵢ = Σ_{j≤i} xⱼ (PyTorch's <c>cumsum</c>); integers and bools
    /// accumulate in int64, or in <paramref name="dtype"/> when given.
    /// </summary>
    public Tensor CumSum(int dim, DType? dtype = null) => Cumulative(dim, dtype, ScanKind.Sum);

    /// <summary>
    /// The running product along <paramref name="dim"/>: outᵢ = Π_{j≤i} xⱼ (PyTorch's <c>cumprod</c>); integers and
    /// bools in int64, or in <paramref name="dtype"/>. The gradient is exact with zeros (see <see cref="CumProdBackward"/>).
    /// </summary>
    public Tensor CumProd(int dim, DType? dtype = null) => Cumulative(dim, dtype, ScanKind.Prod);

    /// <summary>
    /// The running maximum along <paramref name="dim"/> and where it was attained (a tie or a NaN moves the index to
    /// the later element, as PyTorch's <c>cummax</c>). The gradient adds up at the indices.
    /// </summary>
    public ValuesAndIndices Cummax(int dim) => RunningExtreme(dim, SelectKind.CumMax);

    /// <summary>The running minimum along <paramref name="dim"/> and its indices (PyTorch's <c>cummin</c>). See <see cref="Cummax"/>.</summary>
    public ValuesAndIndices Cummin(int dim) => RunningExtreme(dim, SelectKind.CumMin);

    private Tensor Cumulative(int dim, DType? dtype, ScanKind kind)
    {
        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        DType result = dtype ?? TypedReduction.SumType(_dtype);
        Tensor source = result == _dtype ? this : To(result);
        DType compute = result is DType.Float16 or DType.BFloat16 ? DType.Float32 : result;
        ReductionPlan plan = AxisReduction.Plan(_shape, d);
        Tensor output = AxisReduction.Scan(source, plan, kind, compute).ConvertedTo(result);
        if (!GradMode.ShouldRecord(source))
        {
            return output;
        }

        return kind == ScanKind.Sum
            ? output.WithGradFn(new CumSumBackward(source, d))
            : output.WithGradFn(new CumProdBackward(source, output, d));
    }

    private ValuesAndIndices RunningExtreme(int dim, SelectKind kind)
    {
        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        Tensor indices = AxisReduction.Select(this, AxisReduction.Plan(_shape, d), kind, d, descending: false, k: 0);
        return new(Rank == 0 ? Clone() : Gather(d, indices), indices);
    }
}

/// <summary><c>outᵢ = Σ_{j≤i} xⱼ</c>: ∂L/∂xⱼ = Σ_{i≥j} gᵢ, the reversed running sum of g (flip, cumsum, flip).</summary>
internal sealed class CumSumBackward(Tensor x, int dim) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) =>
        [grad.Rank == 0 ? grad : grad.Flip(dim).CumSum(dim).Flip(dim)];
}

/// <summary>
/// <c>outᵢ = Π_{j≤i} xⱼ</c>: without zeros ∂L/∂xⱼ = (Σ_{i≥j} gᵢ·outᵢ) / xⱼ, tensor ops (differentiable again).
/// With zeros in x: an O(n) kernel when the backward is not recorded (see <see cref="AxisReduction.CumProdGradient"/>),
/// else PyTorch's O(n²) form of tensor ops, differentiable again.
/// </summary>
internal sealed class CumProdBackward(Tensor x, Tensor output, int dim) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor output = Saved(_output);
        if (x.Rank == 0)
        {
            return [grad];
        }

        if (x.Eq(0.0).Any().ItemBool())
        {
            return [GradMode.IsEnabled ? WithZerosDifferentiable(x, grad) : AxisReduction.CumProdGradient(x, output, grad, AxisReduction.Plan(x._shape, dim))];
        }

        return [(grad * output).Flip(dim).CumSum(dim).Flip(dim) / x];
    }

    /// <summary>
    /// PyTorch's O(n²) differentiable form, used when the backward itself is recorded (createGraph) and x holds zeros:
    /// ∂L/∂xₖ = Σ_{i≥k} gᵢ·Π_{j≤i, j≠k} xⱼ, the omitted products built from prod(x[..k]) and cumprod(x[k+1..]).
    /// </summary>
    private Tensor WithZerosDifferentiable(Tensor x, Tensor grad)
    {
        int size = x._shape[dim];
        int[] onesShape = (int[])x._shape.Clone();
        onesShape[dim] = 1;
        Tensor ones = Tensor.Full(onesShape, 1.0, x._dtype);
        var columns = new Tensor[size];
        for (int k = 0; k < size; k++)
        {
            Tensor omitted;
            if (k == 0)
            {
                omitted = Tensor.Cat([ones, x.Narrow(dim, 1, size - 1).CumProd(dim)], dim);
            }
            else
            {
                Tensor before = x.Narrow(dim, 0, k).ProdKeep(dim);
                omitted = k == size - 1
                    ? before
                    : Tensor.Cat([before, before * x.Narrow(dim, k + 1, size - k - 1).CumProd(dim)], dim);
            }

            columns[k] = (grad.Narrow(dim, k, size - k) * omitted).Sum(dim);
        }

        return Tensor.Stack(columns, dim);
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
