namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise product with NumPy broadcasting: <c>a ⊙ b</c>.</summary>
    public static Tensor operator *(Tensor a, Tensor b)
    {
        Tensor output = SameDeviceBackend(a, b).Binary(BinaryOp.Multiply, a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new MulBackward(a, b)) : output;
    }

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor a, float b)
    {
        Tensor output = a.Backend.BinaryScalar(BinaryOp.Multiply, a, b, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new MulBackward(a, (double)b)) : output;
    }

    /// <inheritdoc cref="op_Multiply(Tensor, float)"/>
    public static Tensor operator *(float a, Tensor b) => b * a;

    /// <summary>The same with a double scalar: a float32 tensor stays float32 (PyTorch's wrapped-number rule), a float64 one keeps every bit of the scalar, an integer one becomes the default float.</summary>
    public static Tensor operator *(Tensor a, double b)
    {
        if (a._dtype == DType.Float32)
        {
            return a * (float)b;
        }

        Tensor output = a.Backend.BinaryScalar(BinaryOp.Multiply, a, b, scalarIsFloatingPoint: true, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new MulBackward(a, b)) : output;
    }

    /// <summary>The same with an integer scalar: the tensor's dtype is kept (an int32 tensor stays int32, a bool one becomes int64).</summary>
    public static Tensor operator *(Tensor a, long b) =>
        a._dtype.IsFloatingPoint() ? a * (double)b : a.Backend.BinaryScalar(BinaryOp.Multiply, a, b, scalarIsFloatingPoint: false, scalarFirst: false);

    /// <inheritdoc cref="op_Multiply(Tensor, double)"/>
    public static Tensor operator *(double a, Tensor b) => b * a;

    /// <inheritdoc cref="op_Multiply(Tensor, long)"/>
    public static Tensor operator *(long a, Tensor b) => b * a;

    /// <inheritdoc cref="op_Multiply(Tensor, Tensor)"/>
    public static Tensor Mul(Tensor a, Tensor b) => a * b;
}

/// <summary>
/// <c>out = a ⊙ b</c>: ∂L/∂a = g ⊙ b, ∂L/∂b = g ⊙ a. Each operand is saved only when the other one's
/// gradient needs it. With one input the other operand was the constant scalar s: ∂L/∂a = g·s.
/// </summary>
internal sealed class MulBackward : Node
{
    private readonly double _scalar;
    private SavedTensor _a;
    private SavedTensor _b;

    internal MulBackward(Tensor a, Tensor b)
        : base(a, b)
    {
        _a = b.RequiresGrad ? a : null;
        _b = a.RequiresGrad ? b : null;
    }

    internal MulBackward(Tensor a, double scalar)
        : base(a) => _scalar = scalar;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        InputCount == 1
            ? [grad._dtype == DType.Float32 ? ScaleInto(0, grad, (float)_scalar) : grad * _scalar]
            : [NeedsInputGrad(0) ? ScaleInto(0, grad, Saved(_b)) : null, NeedsInputGrad(1) ? ScaleInto(1, grad, Saved(_a)) : null];

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
