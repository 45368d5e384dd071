using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The sum over the dimensions <paramref name="dims"/> (all of them when empty, as PyTorch 1.13), each removed
    /// unless <paramref name="keepDim"/>. Integers and bools sum in int64, as PyTorch.
    /// </summary>
    public Tensor Sum(int[] dims, bool keepDim = false) => SumCore(dims, keepDim, null);

    /// <summary>The sum over <paramref name="dims"/>, computed in and returned as <paramref name="dtype"/> (the input is converted first, as PyTorch's <c>sum(dtype=)</c>).</summary>
    public Tensor Sum(int[] dims, bool keepDim, DType dtype) => SumCore(dims, keepDim, dtype);

    /// <summary>The sum of all elements as a 0-d tensor of <paramref name="dtype"/> (PyTorch's <c>sum(dtype=)</c>).</summary>
    public Tensor Sum(DType dtype) => SumCore([], keepDim: false, dtype);

    /// <summary>
    /// The mean over the dimensions <paramref name="dims"/> (all when empty): Σx / n, n the number of elements reduced
    /// into each output (NaN when n = 0). Floating dtypes only, as PyTorch.
    /// </summary>
    public Tensor Mean(int[] dims, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(dims);
        CheckMeanDType();
        ReductionPlan plan = AxisReduction.Plan(_shape, dims, all: dims.Length == 0);
        DType compute = _dtype == DType.Float64 ? DType.Float64 : DType.Float32;
        Tensor sum = AxisReduction.Values(this, plan, ReduceKind.Sum, compute, keepDim);
        Tensor output = (sum / (double)plan.Size).ConvertedTo(_dtype);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new MeanBackward(this, plan.Size, plan.Kept)) : output;
    }

    private Tensor SumCore(int[] dims, bool keepDim, DType? dtype)
    {
        ArgumentNullException.ThrowIfNull(dims);
        ReductionPlan plan = AxisReduction.Plan(_shape, dims, all: dims.Length == 0);
        DType result = dtype ?? TypedReduction.SumType(_dtype);
        Tensor source = dtype is null ? this : To(result);
        if (result == DType.Bool)
        {
            throw NotImplementedFor(result, "sum_cpu");
        }

        DType compute = result is DType.Float16 or DType.BFloat16 ? DType.Float32 : result;
        Tensor output = AxisReduction.Values(source, plan, ReduceKind.Sum, compute, keepDim).ConvertedTo(result);
        return GradMode.ShouldRecord(source) ? output.WithGradFn(new SumBackward(source, plan.Kept)) : output;
    }
}
