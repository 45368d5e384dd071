using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// log Σ exp(x) over <paramref name="dims"/>, computed as m + log Σ exp(x − m) with m the slice's maximum (0 where
    /// that maximum is infinite), so ±1000 neither overflows nor underflows, and a slice of −∞ gives −∞. Integers
    /// promote to float32, as PyTorch.
    /// </summary>
    public Tensor LogSumExp(int[] dims, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(dims);
        Tensor x = _dtype.IsFloatingPoint() ? this : ConvertedTo(DType.Float32);
        ReductionPlan plan = AxisReduction.Plan(_shape, dims, all: dims.Length == 0);
        Tensor output;
        using (GradMode.NoGrad())
        {
            Tensor shift = plan.Size == 0 ? Zeros(plan.Kept, x._dtype) : x.Amax(dims, keepDim: true);
            shift = Where(shift.IsInf(), 0.0, shift);
            output = ((x - shift).Exp().Sum(dims, keepDim: true).Log() + shift).Reshape(plan.Output(keepDim));
        }

        return GradMode.ShouldRecord(x) ? output.WithGradFn(new LogSumExpBackward(x, output, plan.Kept)) : output;
    }

    /// <summary>log Σ exp(x) over one dimension. See <see cref="LogSumExp(int[], bool)"/>.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExp([dim], keepDim);
}

/// <summary><c>out = log Σ exp(x)</c>: ∂L/∂x = g · exp(x − out), tensor ops (differentiable again).</summary>
internal sealed class LogSumExpBackward(Tensor x, Tensor output, int[] keptShape) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    public override string Name => "LogsumexpBackward";

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [grad.Reshape(keptShape) * (Saved(_x) - Saved(_output).Reshape(keptShape)).Exp()];

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
