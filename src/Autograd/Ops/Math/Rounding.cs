using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// ⌊x⌋ element-wise, the largest integer ≤ x (±0, ±∞ and NaN unchanged). Integer tensors are returned as a copy,
    /// bool tensors refused as by PyTorch. Its gradient is zero everywhere.
    /// </summary>
    public static Tensor Floor(Tensor x) => Rounded(x, "floor_vml_cpu", "FloorBackward", TensorPrimitives.Floor, TensorPrimitives.Floor);

    /// <inheritdoc cref="Floor(Tensor)"/>
    public Tensor Floor() => Floor(this);

    /// <summary>
    /// ⌈x⌉ element-wise, the smallest integer ≥ x. Integer tensors are returned as a copy, bool tensors refused as by
    /// PyTorch. Its gradient is zero everywhere.
    /// </summary>
    public static Tensor Ceil(Tensor x) => Rounded(x, "ceil_vml_cpu", "CeilBackward", TensorPrimitives.Ceiling, TensorPrimitives.Ceiling);

    /// <inheritdoc cref="Ceil(Tensor)"/>
    public Tensor Ceil() => Ceil(this);

    /// <summary>
    /// x rounded to the nearest integer, halves to even (round(0.5) = 0, round(2.5) = 2, round(−0.5) = −0), as
    /// PyTorch. Integer tensors are returned as a copy, bool tensors refused. Its gradient is zero everywhere.
    /// </summary>
    public static Tensor Round(Tensor x) => Rounded(x, "round_vml_cpu", "RoundBackward", TensorPrimitives.Round, TensorPrimitives.Round);

    /// <inheritdoc cref="Round(Tensor)"/>
    public Tensor Round() => Round(this);

    /// <summary>
    /// x rounded to <paramref name="decimals"/> decimal places, halves to even, computed as PyTorch 1.13 does in the
    /// tensor's own precision: round(x·10ᵈ)/10ᵈ, or round(x/10⁻ᵈ)·10⁻ᵈ for negative d (so round(1234.5, −2) = 1200).
    /// Integer and bool tensors are refused, as by PyTorch ("round_cpu"). Its gradient is zero everywhere.
    /// </summary>
    public static Tensor Round(Tensor x, int decimals)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!x._dtype.IsFloatingPoint())
        {
            throw NotImplementedFor(x._dtype, "round_cpu");
        }

        Tensor output = MathKernels.Floating(
            x, (source, destination) => MathKernels.RoundDecimals(source, decimals, destination), (source, destination) => MathKernels.RoundDecimals(source, decimals, destination));
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ZeroGradientBackward(x, "RoundBackward")) : output;
    }

    /// <inheritdoc cref="Round(Tensor, int)"/>
    public Tensor Round(int decimals) => Round(this, decimals);

    /// <summary>
    /// x rounded toward zero element-wise (the integer part). Integer tensors are returned as a copy, bool tensors
    /// refused as by PyTorch. Its gradient is zero everywhere.
    /// </summary>
    public static Tensor Trunc(Tensor x) => Rounded(x, "trunc_vml_cpu", "TruncBackward", TensorPrimitives.Truncate, TensorPrimitives.Truncate);

    /// <inheritdoc cref="Trunc(Tensor)"/>
    public Tensor Trunc() => Trunc(this);

    /// <summary>
    /// The fractional part x − trunc x element-wise, with the sign of x (frac(−1.5) = −0.5; ±∞ give NaN). Floating
    /// tensors only, as PyTorch ("frac_cpu" not implemented for 'Long'). Its gradient is the identity.
    /// </summary>
    public static Tensor Frac(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!x._dtype.IsFloatingPoint())
        {
            throw NotImplementedFor(x._dtype, "frac_cpu");
        }

        Tensor output = MathKernels.Floating(x, MathKernels.Frac, MathKernels.Frac);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new FracBackward(x)) : output;
    }

    /// <inheritdoc cref="Frac(Tensor)"/>
    public Tensor Frac() => Frac(this);

    private static Tensor Rounded(Tensor x, string kernelName, string nodeName, SpanMap float32, SpanMap64 float64)
    {
        ArgumentNullException.ThrowIfNull(x);
        switch (x._dtype)
        {
            case DType.Bool:
                throw NotImplementedFor(DType.Bool, kernelName);
            case DType.Int64:
            case DType.Int32:
                return x.Clone();
        }

        Tensor output = MathKernels.Floating(x, float32, float64);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ZeroGradientBackward(x, nodeName)) : output;
    }
}

/// <summary>
/// A piecewise-constant op (sign, sgn of real numbers, floor, ceil, round, trunc): ∂L/∂x = 0 everywhere, a zero tensor of the gradient's
/// shape (so a NaN or ∞ in g does not leak through, as PyTorch's <c>zeros_like(grad)</c>). Saves nothing.
/// </summary>
internal sealed class ZeroGradientBackward(Tensor x, string name) : Node(x)
{
    /// <summary>PyTorch's name for the op's node, e.g. FloorBackward.</summary>
    public override string Name => name;

    protected internal override Tensor?[] Apply(Tensor grad) => [Tensor.ZerosLike(grad)];
}

/// <summary><c>out = x − trunc x</c>: ∂L/∂x = g (trunc's gradient being zero). Saves nothing.</summary>
internal sealed class FracBackward(Tensor x) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [grad];
}
