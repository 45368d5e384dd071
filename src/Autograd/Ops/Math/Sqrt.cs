using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// √x element-wise (−0 gives −0, negatives NaN). Integer and bool tensors give float32, as PyTorch promotes them;
    /// float64 computes in double; float16 is refused as by PyTorch 1.13's CPU kernel.
    /// </summary>
    public static Tensor Sqrt(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x._dtype == DType.Float16)
        {
            throw NotImplementedFor(DType.Float16, "sqrt_vml_cpu");
        }

        Tensor output = MathKernels.Floating(x, TensorPrimitives.Sqrt, TensorPrimitives.Sqrt);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SqrtBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Sqrt(Tensor)"/>
    public Tensor Sqrt() => Sqrt(this);
}

/// <summary><c>out = √x</c>: ∂L/∂x = g / (2·out) (+∞ at x = 0, as PyTorch's). Saves the output.</summary>
internal sealed class SqrtBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return [grad / (output * 2.0)];
    }

    protected override void ReleaseSaved() => _output = null;
}
