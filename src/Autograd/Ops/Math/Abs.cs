using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// |x| element-wise. Integer tensors keep their dtype (the most negative value stays itself, as in PyTorch); bool
    /// tensors are refused as by PyTorch ("abs_cpu" not implemented for 'Bool').
    /// </summary>
    public static Tensor Abs(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        switch (x._dtype)
        {
            case DType.Bool:
                throw NotImplementedFor(DType.Bool, "abs_cpu");
            case DType.Int64:
            case DType.Int32:
                return MathKernels.AbsInteger(x);
        }

        Tensor output = MathKernels.Floating(x, TensorPrimitives.Abs, TensorPrimitives.Abs);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new AbsBackward(x)) : output;
    }

    /// <inheritdoc cref="Abs(Tensor)"/>
    public Tensor Abs() => Abs(this);
}

/// <summary><c>out = |x|</c>: ∂L/∂x = g ⊙ sgn x (0 at x = 0, as PyTorch's).</summary>
internal sealed class AbsBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad * Tensor.Sgn(Saved(_x))];

    protected override void ReleaseSaved() => _x = null;
}
