namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise difference with NumPy broadcasting: <c>a - b</c>.</summary>
    public static Tensor operator -(Tensor a, Tensor b)
    {
        Tensor output = SameDeviceBackend(a, b).Binary(BinaryOp.Subtract, a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new SubBackward(a, b)) : output;
    }

    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor operator -(Tensor a, float b)
    {
        Tensor output = a.Backend.BinaryScalar(BinaryOp.Subtract, a, b, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new SubBackward(a, negate: false)) : output;
    }

    /// <summary>Subtracts every element from a scalar.</summary>
    public static Tensor operator -(float a, Tensor b)
    {
        Tensor output = b.Backend.BinaryScalar(BinaryOp.Subtract, b, a, scalarFirst: true);
        return GradMode.ShouldRecord(b) ? output.WithGradFn(new SubBackward(b, negate: true)) : output;
    }

    /// <summary>The same with a double scalar: a float32 tensor stays float32 (PyTorch's wrapped-number rule), a float64 one keeps every bit of the scalar, an integer one becomes the default float.</summary>
    public static Tensor operator -(Tensor a, double b)
    {
        if (a._dtype == DType.Float32)
        {
            return a - (float)b;
        }

        Tensor output = a.Backend.BinaryScalar(BinaryOp.Subtract, a, b, scalarIsFloatingPoint: true, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new SubBackward(a, negate: false)) : output;
    }

    /// <summary>The same with an integer scalar: the tensor's dtype is kept (an int32 tensor stays int32, a bool one becomes int64).</summary>
    public static Tensor operator -(Tensor a, long b) =>
        a._dtype.IsFloatingPoint() ? a - (double)b : a.Backend.BinaryScalar(BinaryOp.Subtract, a, b, scalarIsFloatingPoint: false, scalarFirst: false);

    /// <summary>A double scalar - every element, with the promotion of <c>operator -(Tensor, double)</c>.</summary>
    public static Tensor operator -(double a, Tensor b)
    {
        if (b._dtype == DType.Float32)
        {
            return (float)a - b;
        }

        Tensor output = b.Backend.BinaryScalar(BinaryOp.Subtract, b, a, scalarIsFloatingPoint: true, scalarFirst: true);
        return GradMode.ShouldRecord(b) ? output.WithGradFn(new SubBackward(b, negate: true)) : output;
    }

    /// <summary>An integer scalar - every element, keeping the tensor's dtype.</summary>
    public static Tensor operator -(long a, Tensor b) =>
        b._dtype.IsFloatingPoint() ? (double)a - b : b.Backend.BinaryScalar(BinaryOp.Subtract, b, a, scalarIsFloatingPoint: false, scalarFirst: true);

    /// <inheritdoc cref="op_Subtraction(Tensor, Tensor)"/>
    public static Tensor Sub(Tensor a, Tensor b) => a - b;
}

/// <summary>
/// <c>out = a - b</c>: ∂L/∂a = g, ∂L/∂b = -g. With one input the other operand was a constant scalar,
/// on the right (<c>a - s</c>: g) or on the left (<c>s - a</c>: -g).
/// </summary>
internal sealed class SubBackward : Node
{
    private readonly bool _negate;

    internal SubBackward(Tensor a, Tensor b)
        : base(a, b)
    {
    }

    internal SubBackward(Tensor a, bool negate)
        : base(a) => _negate = negate;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        InputCount == 1 ? [_negate ? -grad : grad] : [NeedsInputGrad(0) ? grad : null, NeedsInputGrad(1) ? -grad : null];
}
