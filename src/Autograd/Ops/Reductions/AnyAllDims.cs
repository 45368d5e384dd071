namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Whether any element over <paramref name="dims"/> is nonzero (all dimensions when empty), each reduced dimension
    /// removed unless <paramref name="keepDim"/>; bool. Not differentiable.
    /// </summary>
    public Tensor Any(int[] dims, bool keepDim = false) => AnyAllDims(dims, keepDim, all: false);

    /// <summary>Whether every element over <paramref name="dims"/> is nonzero (all dimensions when empty). See <see cref="Any(int[], bool)"/>.</summary>
    public Tensor All(int[] dims, bool keepDim = false) => AnyAllDims(dims, keepDim, all: true);

    private Tensor AnyAllDims(int[] dims, bool keepDim, bool all)
    {
        ArgumentNullException.ThrowIfNull(dims);
        Kernels.ReductionPlan plan = Kernels.AxisReduction.Plan(_shape, dims, all: dims.Length == 0);
        Tensor result = this;
        for (int d = Rank - 1; d >= 0; d--)
        {
            if (plan.Reduced[d])
            {
                result = all ? result.All(d, keepDim: true) : result.Any(d, keepDim: true);
            }
        }

        if (Rank == 0)
        {
            result = all ? All() : Any();
        }

        return result.Reshape(plan.Output(keepDim));
    }
}
