using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>1/x element-wise: ±0 give ±∞. Integer and bool tensors give float32, as PyTorch promotes them; float64 computes in double.</summary>
    public static Tensor Reciprocal(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = MathKernels.Floating(x, TensorPrimitives.Reciprocal, TensorPrimitives.Reciprocal);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ReciprocalBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Reciprocal(Tensor)"/>
    public Tensor Reciprocal() => Reciprocal(this);
}

/// <summary><c>out = 1/x</c>: ∂L/∂x = −g ⊙ out².</summary>
internal sealed class ReciprocalBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return [-(grad * (output * output))];
    }

    protected override void ReleaseSaved() => _output = null;
}
