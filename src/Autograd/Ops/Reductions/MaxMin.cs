using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The smallest element, as a 0-d tensor (NaN if any element is NaN); the gradient is shared evenly by ties, as PyTorch's full <c>min()</c>.</summary>
    public Tensor Min()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }

        Tensor output = Extreme(AxisReduction.Plan(_shape, [], all: true), ReduceKind.Min, keepDim: false);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new EvenlyDistributeBackward(this, output, "MinBackward")) : output;
    }

    /// <summary>
    /// The largest values along <paramref name="dim"/> and the index of each (the first one among ties; a NaN wins at
    /// its first position), as PyTorch's <c>max(dim)</c>. The gradient goes to the chosen index.
    /// </summary>
    public ValuesAndIndices Max(int dim, bool keepDim = false) => ExtremeAlong(dim, keepDim, max: true);

    /// <summary>The smallest values along <paramref name="dim"/> and their first indices (PyTorch's <c>min(dim)</c>). See <see cref="Max(int, bool)"/>.</summary>
    public ValuesAndIndices Min(int dim, bool keepDim = false) => ExtremeAlong(dim, keepDim, max: false);

    /// <summary>
    /// The maximum over <paramref name="dims"/> (all dimensions when null or empty), PyTorch's <c>amax</c>: NaN
    /// propagates, and the gradient is shared evenly among the elements equal to the maximum of their slice.
    /// </summary>
    public Tensor Amax(int[]? dims = null, bool keepDim = false) => AmaxAmin(dims ?? [], keepDim, max: true);

    /// <summary>The maximum over one dimension (PyTorch's <c>amax(dim)</c>). See <see cref="Amax(int[], bool)"/>.</summary>
    public Tensor Amax(int dim, bool keepDim = false) => AmaxAmin([dim], keepDim, max: true);

    /// <summary>The minimum over <paramref name="dims"/> (all when null or empty), PyTorch's <c>amin</c>. See <see cref="Amax(int[], bool)"/>.</summary>
    public Tensor Amin(int[]? dims = null, bool keepDim = false) => AmaxAmin(dims ?? [], keepDim, max: false);

    /// <summary>The minimum over one dimension (PyTorch's <c>amin(dim)</c>).</summary>
    public Tensor Amin(int dim, bool keepDim = false) => AmaxAmin([dim], keepDim, max: false);

    /// <summary>The flat int64 index of the first maximum (the first NaN if any), as a 0-d tensor (PyTorch's <c>argmax()</c>).</summary>
    public Tensor ArgMax() => ArgExtreme(null, keepDim: false, max: true);

    /// <summary>The index of the first maximum along <paramref name="dim"/> (the first NaN if any), int64.</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => ArgExtreme(dim, keepDim, max: true);

    /// <summary>The flat int64 index of the first minimum (the first NaN if any), as a 0-d tensor (PyTorch's <c>argmin()</c>).</summary>
    public Tensor ArgMin() => ArgExtreme(null, keepDim: false, max: false);

    /// <summary>The index of the first minimum along <paramref name="dim"/> (the first NaN if any), int64.</summary>
    public Tensor ArgMin(int dim, bool keepDim = false) => ArgExtreme(dim, keepDim, max: false);

    /// <summary>The maximum or minimum over a plan, in the tensor's own dtype (bools as int32, halves as float32: both exact).</summary>
    private Tensor Extreme(ReductionPlan plan, ReduceKind kind, bool keepDim)
    {
        DType compute = _dtype switch
        {
            DType.Float32 or DType.Float64 or DType.Int64 or DType.Int32 => _dtype,
            DType.Bool => DType.Int32,
            _ => DType.Float32,
        };
        return AxisReduction.Values(this, plan, kind, compute, keepDim).ConvertedTo(_dtype);
    }

    private ValuesAndIndices ExtremeAlong(int dim, bool keepDim, bool max)
    {
        ReductionPlan plan = AxisReduction.Plan(_shape, dim);
        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        string name = max ? "max" : "min";
        if (plan.Size == 0)
        {
            throw new ArgumentException($"{name}(): Expected reduction dim {d} to have non-zero size.", nameof(dim));
        }

        Tensor indices = AxisReduction.ArgIndex(this, plan, max, keepDim: true);
        Tensor values = Gather(d, indices);
        return keepDim || Rank == 0 ? new(values, indices) : new(values.Squeeze(d), indices.Squeeze(d));
    }

    private Tensor AmaxAmin(int[] dims, bool keepDim, bool max)
    {
        string name = max ? "amax" : "amin";
        if (_count == 0 && dims.Length == 0)
        {
            throw new InvalidOperationException($"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }

        ReductionPlan plan = AxisReduction.Plan(_shape, dims, all: dims.Length == 0);
        if (plan.Size == 0 && Autograd.Shape.ElementCountOf(plan.Kept) > 0)
        {
            int d = Array.FindIndex(_shape, s => s == 0);
            throw new ArgumentException($"{name}(): Expected reduction dim {d} to have non-zero size.", nameof(dims));
        }

        Tensor output = Extreme(plan, max ? ReduceKind.Max : ReduceKind.Min, keepDim);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new AmaxBackward(this, output, plan.Kept, name)) : output;
    }

    private Tensor ArgExtreme(int? dim, bool keepDim, bool max)
    {
        string name = max ? "argmax" : "argmin";
        if (dim is null && _count == 0)
        {
            throw new InvalidOperationException($"{name}(): Expected reduction dim to be specified for input.numel() == 0.");
        }

        ReductionPlan plan = dim is int single ? AxisReduction.Plan(_shape, single) : AxisReduction.Plan(_shape, [], all: true);
        if (plan.Size == 0)
        {
            throw new ArgumentException($"{name}(): Expected reduction dim {Autograd.Shape.NormalizeDim(dim ?? 0, Rank)} to have non-zero size.", nameof(dim));
        }

        Tensor indices = AxisReduction.ArgIndex(this, plan, max, keepDim && dim is not null);
        return indices;
    }
}

/// <summary>
/// <c>out = max x</c> (or min, median) over all elements: ∂L/∂x = g·m / Σm, where m marks the elements equal to the
/// result (the NaNs when the result is NaN), a tie sharing the gradient evenly as PyTorch's
/// <c>evenly_distribute_backward</c>. The mask is a constant; the rule is linear in g.
/// </summary>
internal sealed class EvenlyDistributeBackward(Tensor x, Tensor output, string name) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    /// <inheritdoc/>
    public override string Name => name;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor value = Saved(_output);
        Tensor mask = (value.IsNan().ItemBool() ? x.IsNan() : x.Eq(value)).To(x._dtype);
        return [mask * (grad / mask.Sum())];
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}

/// <summary>
/// <c>out = amax x</c> (or amin) over some dimensions: ∂L/∂x = m · g / Σ_slice m, m marking the elements equal to
/// their slice's result (PyTorch's <c>scale_grad_by_count</c>: a slice whose result is NaN has no such element and its
/// gradient is NaN, as in PyTorch). The mask is a constant; the rule is linear in g.
/// </summary>
internal sealed class AmaxBackward(Tensor x, Tensor output, int[] keptShape, string name) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    /// <inheritdoc/>
    public override string Name => name == "amax" ? "AmaxBackward" : "AminBackward";

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor mask = x.Eq(Saved(_output).Reshape(keptShape)).To(x._dtype);
        int[] dims = [.. Enumerable.Range(0, x.Rank).Where(d => keptShape[d] == 1)];
        Tensor count = dims.Length == 0 ? mask : mask.Sum(dims, keepDim: true);
        return [grad.Reshape(keptShape) / count * mask];
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
