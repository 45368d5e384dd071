namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum with NumPy broadcasting: <c>a + b</c>.</summary>
    public static Tensor operator +(Tensor a, Tensor b)
    {
        Tensor output = SameDeviceBackend(a, b).Binary(BinaryOp.Add, a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new AddBackward(a, b)) : output;
    }

    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor operator +(Tensor a, float b)
    {
        Tensor output = a.Backend.BinaryScalar(BinaryOp.Add, a, b, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new AddBackward(a)) : output;
    }

    /// <inheritdoc cref="op_Addition(Tensor, float)"/>
    public static Tensor operator +(float a, Tensor b) => b + a;

    /// <summary>The same with a double scalar: a float32 tensor stays float32 (PyTorch's wrapped-number rule), a float64 one keeps every bit of the scalar, an integer one becomes the default float.</summary>
    public static Tensor operator +(Tensor a, double b)
    {
        if (a._dtype == DType.Float32)
        {
            return a + (float)b;
        }

        Tensor output = a.Backend.BinaryScalar(BinaryOp.Add, a, b, scalarIsFloatingPoint: true, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new AddBackward(a)) : output;
    }

    /// <summary>The same with an integer scalar: the tensor's dtype is kept (an int32 tensor stays int32, a bool one becomes int64).</summary>
    public static Tensor operator +(Tensor a, long b) =>
        a._dtype.IsFloatingPoint() ? a + (double)b : a.Backend.BinaryScalar(BinaryOp.Add, a, b, scalarIsFloatingPoint: false, scalarFirst: false);

    /// <inheritdoc cref="op_Addition(Tensor, double)"/>
    public static Tensor operator +(double a, Tensor b) => b + a;

    /// <inheritdoc cref="op_Addition(Tensor, long)"/>
    public static Tensor operator +(long a, Tensor b) => b + a;

    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor Add(Tensor a, Tensor b) => a + b;
}

/// <summary>
/// <c>out = a + b</c>: ∂L/∂a = g, ∂L/∂b = g. The gradient passes through unchanged; the engine sums it over
/// broadcast dimensions. With one input, the other operand was a constant scalar.
/// </summary>
internal sealed class AddBackward : Node
{
    internal AddBackward(Tensor a, Tensor b)
        : base(a, b)
    {
    }

    internal AddBackward(Tensor a)
        : base(a)
    {
    }

    protected internal override Tensor?[] Apply(Tensor grad) =>
        InputCount == 1 ? [grad] : [NeedsInputGrad(0) ? grad : null, NeedsInputGrad(1) ? grad : null];
}
