namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise power with a constant exponent: <c>xᵖ</c>.</summary>
    /// <remarks>
    /// Other dtypes follow PyTorch: float64 computes in double; float16 and bfloat16 in float32, rounded once; integer
    /// and bool tensors become float32, as a floating exponent promotes them (<see cref="Pow(Tensor, long)"/> keeps them).
    /// </remarks>
    public static Tensor Pow(Tensor x, float exponent)
    {
        if (x._dtype != DType.Float32)
        {
            return Pow(x, (double)exponent);
        }

        Tensor output = x.Backend.Pow(x, exponent);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new PowBackward(x, exponent)) : output;
    }

    /// <summary>
    /// <c>xᵖ</c> with a double exponent: a float64 tensor uses every bit of it (<c>x.Pow(1.0 / 3)</c> is PyTorch's
    /// <c>x ** (1/3)</c>, where a float exponent would be off by 1e-8); a float32 tensor rounds it to float, as
    /// PyTorch's float kernel does; other dtypes as in <see cref="Pow(Tensor, float)"/>.
    /// </summary>
    public static Tensor Pow(Tensor x, double exponent)
    {
        if (x._dtype == DType.Float32)
        {
            return Pow(x, (float)exponent);
        }

        Tensor typed = x.Backend.Pow(x, exponent);
        return GradMode.ShouldRecord(x) ? typed.WithGradFn(new PowBackward(x, exponent)) : typed;
    }

    /// <inheritdoc cref="Pow(Tensor, double)"/>
    public Tensor Pow(double exponent) => Pow(this, exponent);

    /// <summary>
    /// <c>xᵖ</c> with an integer exponent: integer tensors stay integers (a bool one becomes int64), computed exactly
    /// and wrapping on overflow as PyTorch's integer pow does, and a negative exponent is refused as in PyTorch;
    /// floating tensors take the exponent as a number, as <see cref="Pow(Tensor, double)"/>.
    /// </summary>
    public static Tensor Pow(Tensor x, long exponent)
    {
        if (x._dtype.IsFloatingPoint())
        {
            return x._dtype == DType.Float32 ? Pow(x, (float)exponent) : Pow(x, (double)exponent);
        }

        if (exponent < 0)
        {
            throw new InvalidOperationException("Integers to negative integer powers are not allowed.");
        }

        // x^p by repeated squaring.
        DType dtype = x._dtype == DType.Bool ? DType.Int64 : x._dtype;
        long[] values = x.ToArray<long>();
        for (int i = 0; i < values.Length; i++)
        {
            long b = values[i], r = 1;
            for (long e = exponent; e > 0; e >>= 1, b = unchecked(b * b))
            {
                if ((e & 1) != 0)
                {
                    r = unchecked(r * b);
                }
            }

            values[i] = r;
        }

        return new Tensor(values, DType.Int64, x._shape).ConvertedTo(dtype);
    }

    /// <inheritdoc cref="Pow(Tensor, long)"/>
    public Tensor Pow(long exponent) => Pow(this, exponent);

    /// <inheritdoc cref="Pow(Tensor, float)"/>
    public Tensor Pow(float exponent) => Pow(this, exponent);
}

/// <summary><c>out = xᵖ</c>: ∂L/∂x = g ⊙ p·xᵖ⁻¹ (and 0 for p = 0, as PyTorch returns).</summary>
/// <remarks>A float32 input's exponent is a float (exact in the double field), so its formula runs in float as before.</remarks>
internal sealed class PowBackward(Tensor x, double exponent) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor saved = Saved(_x);
        if (saved._dtype == DType.Float32)
        {
            float p = (float)exponent;
            return [p == 0f ? grad * 0f : grad * (saved.Pow(p - 1f) * p)];
        }

        return [exponent == 0 ? grad * 0.0 : grad * (saved.Pow(exponent - 1) * exponent)];
    }

    protected override void ReleaseSaved() => _x = null;
}
