using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The elements sorted along <paramref name="dim"/> and their original indices (PyTorch's <c>sort</c>). NaN sorts
    /// as the largest value. The order is always stable (equal values keep their order, also when
    /// <paramref name="descending"/>), which is what PyTorch guarantees with <paramref name="stable"/>; without it
    /// PyTorch may order ties differently. The gradient goes back to the original positions.
    /// </summary>
    public ValuesAndIndices Sort(int dim = -1, bool descending = false, bool stable = false)
    {
        _ = stable;
        (int d, ReductionPlan plan) = SelectionPlan(dim);
        Tensor indices = AxisReduction.Select(this, plan, SelectKind.Sort, d, descending, 0);
        return new(Rank == 0 ? Clone() : Gather(d, indices), indices);
    }

    /// <summary>The indices that sort the tensor along <paramref name="dim"/> (PyTorch's <c>argsort</c>). See <see cref="Sort"/>.</summary>
    public Tensor ArgSort(int dim = -1, bool descending = false, bool stable = false) => Sort(dim, descending, stable).Indices;

    /// <summary>
    /// The <paramref name="k"/> largest (or smallest, when not <paramref name="largest"/>) elements along
    /// <paramref name="dim"/> and their indices (PyTorch's <c>topk</c>), always sorted (largest first, or smallest
    /// first); ties are taken in index order, where PyTorch's choice among ties is unspecified. NaN counts as the largest.
    /// </summary>
    public ValuesAndIndices TopK(int k, int dim = -1, bool largest = true, bool sorted = true)
    {
        _ = sorted;
        (int d, ReductionPlan plan) = SelectionPlan(dim);
        if (k < 0 || k > plan.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(k), "selected index k out of range");
        }

        Tensor indices = AxisReduction.Select(this, plan, SelectKind.TopK, d, descending: largest, k);
        return new(Rank == 0 ? Clone() : Gather(d, indices), indices);
    }

    /// <summary>
    /// The <paramref name="k"/>-th smallest element (1-based) along <paramref name="dim"/> and its index (PyTorch's
    /// <c>kthvalue</c>); NaN counts as the largest.
    /// </summary>
    public ValuesAndIndices Kthvalue(int k, int dim = -1, bool keepDim = false)
    {
        (int d, ReductionPlan plan) = SelectionPlan(dim);
        if (k < 1 || k > plan.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"kthvalue(): selected number k out of range for dimension {d}");
        }

        return Picked(d, plan, SelectKind.Kth, k, keepDim);
    }

    /// <summary>
    /// The lower median of all elements (the ((n−1)/2)-th smallest; NaN if any element is NaN or the tensor is empty),
    /// as a 0-d tensor. The gradient is shared evenly by the elements equal to it, as PyTorch's <c>median()</c>.
    /// </summary>
    public Tensor Median()
    {
        Tensor output;
        using (GradMode.NoGrad())
        {
            if (_count == 0)
            {
                output = Scalar(double.NaN, _dtype.IsFloatingPoint() ? _dtype : DType.Float32).ConvertedTo(_dtype);
            }
            else
            {
                Tensor flat = Reshape(-1);
                Tensor index = AxisReduction.Select(flat, AxisReduction.Plan(flat._shape, 0), SelectKind.Median, 0, descending: false, 0);
                output = flat.Gather(0, index).Reshape();
            }
        }

        return GradMode.ShouldRecord(this) ? output.WithGradFn(new EvenlyDistributeBackward(this, output, "MedianBackward")) : output;
    }

    /// <summary>
    /// The lower median along <paramref name="dim"/> and its index (the first NaN when the slice holds one), PyTorch's
    /// <c>median(dim)</c>. The gradient goes to the index.
    /// </summary>
    public ValuesAndIndices Median(int dim, bool keepDim = false)
    {
        (int d, ReductionPlan plan) = SelectionPlan(dim);
        if (plan.Size == 0)
        {
            throw new ArgumentException($"median(): Expected reduction dim {d} to have non-zero size.", nameof(dim));
        }

        return Picked(d, plan, SelectKind.Median, 0, keepDim);
    }

    /// <summary>
    /// The most frequent value along <paramref name="dim"/> (the smallest of equally frequent values) and the index
    /// of its last occurrence, PyTorch's <c>mode</c>. The gradient goes to the index.
    /// </summary>
    public ValuesAndIndices Mode(int dim = -1, bool keepDim = false)
    {
        (int d, ReductionPlan plan) = SelectionPlan(dim);
        if (plan.Size == 0)
        {
            throw new ArgumentException($"mode(): Expected reduction dim {d} to have non-zero size.", nameof(dim));
        }

        return Picked(d, plan, SelectKind.Mode, 0, keepDim);
    }

    private (int Dim, ReductionPlan Plan) SelectionPlan(int dim)
    {
        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        return (d, AxisReduction.Plan(_shape, d));
    }

    /// <summary>One element per slice along <paramref name="d"/>: values gathered at the selected indices.</summary>
    private ValuesAndIndices Picked(int d, ReductionPlan plan, SelectKind kind, int k, bool keepDim)
    {
        Tensor indices = AxisReduction.Select(this, plan, kind, d, descending: false, k);
        if (Rank == 0)
        {
            return new(Clone(), indices);
        }

        Tensor values = Gather(d, indices);
        return keepDim ? new(values, indices) : new(values.Squeeze(d), indices.Squeeze(d));
    }
}
