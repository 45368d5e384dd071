namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise quotient with NumPy broadcasting: <c>a / b</c>.</summary>
    public static Tensor operator /(Tensor a, Tensor b)
    {
        Tensor output = SameDeviceBackend(a, b).Binary(BinaryOp.Divide, a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new DivBackward(a, b)) : output;
    }

    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor operator /(Tensor a, float b)
    {
        Tensor output = a.Backend.BinaryScalar(BinaryOp.Divide, a, b, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new DivBackward(a, (double)b)) : output;
    }

    /// <summary>Divides a scalar by every element.</summary>
    public static Tensor operator /(float a, Tensor b)
    {
        // PyTorch computes s / b as reciprocal(b) · s (Tensor.__rdiv__), which can differ from a true quotient in the
        // last bit; the result is PyTorch's bit for bit.
        Tensor reciprocal = b.Backend.BinaryScalar(BinaryOp.Divide, b, 1f, scalarFirst: true);
        Tensor output = a == 1f ? reciprocal : reciprocal.Backend.BinaryScalar(BinaryOp.Multiply, reciprocal, a, scalarFirst: false);
        return GradMode.ShouldRecord(b) ? output.WithGradFn(new DivBackward((double)a, b)) : output;
    }

    /// <summary>The same with a double scalar: a float32 tensor stays float32 (PyTorch's wrapped-number rule), a float64 one keeps every bit of the scalar, an integer one becomes the default float.</summary>
    public static Tensor operator /(Tensor a, double b)
    {
        if (a._dtype == DType.Float32)
        {
            return a / (float)b;
        }

        Tensor output = a.Backend.BinaryScalar(BinaryOp.Divide, a, b, scalarIsFloatingPoint: true, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new DivBackward(a, b)) : output;
    }

    /// <summary>The same with an integer scalar: the tensor's dtype is kept (an int32 tensor stays int32, a bool one becomes int64).</summary>
    public static Tensor operator /(Tensor a, long b) =>
        a._dtype.IsFloatingPoint() ? a / (double)b : a.Backend.BinaryScalar(BinaryOp.Divide, a, b, scalarIsFloatingPoint: false, scalarFirst: false);

    /// <summary>A double scalar / every element, with the promotion of <c>operator /(Tensor, double)</c>.</summary>
    public static Tensor operator /(double a, Tensor b)
    {
        if (b._dtype == DType.Float32)
        {
            return (float)a / b;
        }

        Tensor reciprocal = b.Backend.BinaryScalar(BinaryOp.Divide, b, 1, scalarIsFloatingPoint: false, scalarFirst: true);
        Tensor output = reciprocal.Backend.BinaryScalar(BinaryOp.Multiply, reciprocal, a, scalarIsFloatingPoint: true, scalarFirst: false);
        return GradMode.ShouldRecord(b) ? output.WithGradFn(new DivBackward(a, b)) : output;
    }

    /// <summary>An integer scalar / every element, keeping the tensor's dtype.</summary>
    public static Tensor operator /(long a, Tensor b) =>
        b._dtype.IsFloatingPoint()
            ? (double)a / b
            : b.Backend.BinaryScalar(
                BinaryOp.Multiply, b.Backend.BinaryScalar(BinaryOp.Divide, b, 1, scalarIsFloatingPoint: false, scalarFirst: true), a, scalarIsFloatingPoint: false, scalarFirst: false);

    /// <inheritdoc cref="op_Division(Tensor, Tensor)"/>
    public static Tensor Div(Tensor a, Tensor b) => a / b;

    /// <summary>
    /// The quotient rounded toward −∞ (PyTorch's <c>floor_divide</c>, Python's <c>//</c>): exact for integers (an integer
    /// zero divisor throws), <c>floor(a / b)</c> for floats. Not differentiable (its derivative is zero almost everywhere,
    /// and PyTorch records none).
    /// </summary>
    public static Tensor FloorDivide(Tensor a, Tensor b) => SameDeviceBackend(a, b).Binary(BinaryOp.FloorDivide, a, b);

    /// <inheritdoc cref="FloorDivide(Tensor, Tensor)"/>
    public Tensor FloorDivide(long divisor) =>
        Backend.BinaryScalar(BinaryOp.FloorDivide, this, (double)divisor, scalarIsFloatingPoint: false, scalarFirst: false);

    /// <inheritdoc cref="FloorDivide(Tensor, Tensor)"/>
    public Tensor FloorDivide(double divisor) =>
        Backend.BinaryScalar(BinaryOp.FloorDivide, this, (double)divisor, scalarIsFloatingPoint: true, scalarFirst: false);
}

/// <summary>
/// <c>out = a / b</c>: ∂L/∂a = g / b, ∂L/∂b = -g·a / b². With a constant scalar s:
/// <c>a / s</c> gives ∂L/∂a = g / s; <c>s / b</c> gives ∂L/∂b = -g·s / b².
/// </summary>
internal sealed class DivBackward : Node
{
    private readonly double _scalar;
    private readonly bool _scalarNumerator;
    private SavedTensor _a;
    private SavedTensor _b;

    internal DivBackward(Tensor a, Tensor b)
        : base(a, b)
    {
        _a = b.RequiresGrad ? a : null;
        _b = b;
    }

    internal DivBackward(Tensor a, double divisor)
        : base(a) => _scalar = divisor;

    internal DivBackward(double numerator, Tensor b)
        : base(b)
    {
        _scalar = numerator;
        _scalarNumerator = true;
        _b = b;
    }

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        if (InputCount == 1)
        {
            if (!_scalarNumerator)
            {
                return [grad / _scalar];
            }

            // s / b is reciprocal(b)·s (see the operator): ∂/∂b = −(g·s)·r² with r = 1/b, in PyTorch's order, so an
            // overflow of r² gives PyTorch's −inf and no b² is formed.
            Tensor r = 1.0 / Saved(_b);
            return [-(grad * _scalar) * (r * r)];
        }

        // ∂/∂b = −g·((a / b) / b), PyTorch's div_tensor_other_backward: no b² is formed, so |b| up to float's range
        // neither overflows nor underflows (d(0/b)/db at b = 1e-30 is −0; at a = 1e10, b = 1e20 it is −1e-30).
        Tensor divisor = Saved(_b);
        return
        [
            NeedsInputGrad(0) ? grad / divisor : null,
            NeedsInputGrad(1) ? -grad * ((Saved(_a) / divisor) / divisor) : null,
        ];
    }

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
