using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The vector p-norm over <paramref name="dims"/> (all elements when null or empty), PyTorch's <c>norm(p, dim)</c>:
    /// (Σ |x|ᵖ)^(1/p); p = 0 counts the nonzero elements, p = ∞ is max |x|, p = −∞ is min |x|. Floating dtypes only.
    /// </summary>
    public Tensor Norm(double p, int[]? dims = null, bool keepDim = false)
    {
        if (!_dtype.IsFloatingPoint())
        {
            throw new InvalidOperationException($"norm(): input dtype should be either floating point or complex. Got {_dtype.ScalarTypeName()} instead.");
        }

        int[] reduced = dims ?? [];
        ReductionPlan plan = AxisReduction.Plan(_shape, reduced, all: reduced.Length == 0);
        Tensor output;
        using (GradMode.NoGrad())
        {
            Tensor magnitude = Magnitude();
            output = p switch
            {
                0 => Ne(0.0).To(_dtype).Sum(reduced, keepDim),
                1 => magnitude.Sum(reduced, keepDim),
                2 => (this * this).Sum(reduced, keepDim).Sqrt(),
                double.PositiveInfinity => magnitude.Amax(reduced, keepDim),
                double.NegativeInfinity => magnitude.Amin(reduced, keepDim),
                _ => magnitude.Pow(p).Sum(reduced, keepDim).Pow(1 / p),
            };
        }

        return GradMode.ShouldRecord(this) ? output.WithGradFn(new NormPBackward(this, output, p, plan.Kept)) : output;
    }

    /// <summary>The norm named by <paramref name="p"/>: "fro" is the Frobenius (2-) norm of the elements over <paramref name="dims"/>.</summary>
    public Tensor Norm(string p, int[]? dims = null, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(p);
        return p == "fro"
            ? Norm(2.0, dims, keepDim)
            : throw new NotSupportedException($"norm(): the '{p}' norm is not supported (only 'fro' and numeric p).");
    }

    /// <summary>|x|, differentiable: sign(x)·g (0 at 0).</summary>
    internal Tensor Magnitude() => Where(Lt(0.0), -this, this);

    /// <summary>sign(x) as x's dtype: −1, 0 or 1 (a constant).</summary>
    internal Tensor SignConstant()
    {
        using (GradMode.NoGrad())
        {
            return Gt(0.0).To(_dtype) - Lt(0.0).To(_dtype);
        }
    }
}

/// <summary>
/// <c>out = ‖x‖_p</c> over some dimensions, PyTorch's <c>norm_backward</c> with tensor ops (s = sign(x), g and out
/// with the reduced dimensions restored): p = 0: 0; p = 1: s·g; p = 2: g·x/out (0 where out = 0);
/// p = ±∞: s·m·g/Σm, m marking |x| = out (or NaN); p &lt; 1: s·|x|^(p−1)·g·out^(1−p) (0 where x = 0);
/// 1 &lt; p &lt; 2: s·|x|^(p−1) · g/out^(p−1); p ≥ 2: x·|x|^(p−2) · g/out^(p−1) (both 0 where out = 0).
/// </summary>
internal sealed class NormPBackward(Tensor x, Tensor output, double p, int[] keptShape) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    public override string Name => "NormBackward";

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor norm = Saved(_output).Reshape(keptShape);
        Tensor g = grad.Reshape(keptShape);
        Tensor normIsZero = norm.Eq(0.0);
        if (p == 0)
        {
            return [Tensor.ZerosLike(x, x._dtype)];
        }

        if (p == 1)
        {
            return [x.SignConstant() * g];
        }

        if (p == 2)
        {
            return [g * (x / norm).MaskedFill(normIsZero, 0.0)];
        }

        if (double.IsInfinity(p))
        {
            Tensor magnitude = x.Magnitude();
            Tensor mask = magnitude.Eq(norm).LogicalOr(magnitude.IsNan()).To(x._dtype);
            int[] dims = [.. Enumerable.Range(0, x.Rank).Where(d => keptShape[d] == 1)];
            Tensor count = dims.Length == 0 ? mask : mask.Sum(dims, keepDim: true);
            return [x.SignConstant() * (g / count * mask)];
        }

        if (p < 1)
        {
            Tensor scaled = x.SignConstant() * x.Magnitude().Pow(p - 1).MaskedFill(x.Eq(0.0), 0.0);
            return [scaled * g * norm.Pow(1 - p)];
        }

        Tensor selfScaled = p < 2 ? x.SignConstant() * x.Magnitude().Pow(p - 1) : x * x.Magnitude().Pow(p - 2);
        Tensor scale = (g / norm.Pow(p - 1)).MaskedFill(normIsZero, 0.0);
        return [selfScaled * scale];
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
