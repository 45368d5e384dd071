namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>‖x‖ₚ = (Σ |xᵢ|ᵖ)^(1/p)</c> over <paramref name="dim"/> (p &gt; 0; p = 0 counts the non-zeros; p = ∞ is
    /// max |xᵢ|), PyTorch's <c>linalg.vector_norm</c> with its gradient of 0 where the norm is 0.
    /// </summary>
    internal static Tensor VectorNormAlong(Tensor x, double p, int dim, bool keepDim)
    {
        if (double.IsNegativeInfinity(p) || double.IsNaN(p) || p < 0)
        {
            throw new NotSupportedException($"vector norm of order {p} is not supported; use p ≥ 0 or +∞.");
        }

        if (x._dtype is not (DType.Float32 or DType.Float64))
        {
            throw new InvalidOperationException($"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {x._dtype.ScalarTypeName()}");
        }

        int d = Autograd.Shape.NormalizeDim(dim, x.Rank);
        Tensor norm;
        using (GradMode.NoGrad())
        {
            if (double.IsPositiveInfinity(p))
            {
                // Rows of the reduced dimension: move it last, take max |x| per row, then restore the shape.
                Tensor last = x.Transpose(d, -1).Contiguous();
                int cols = x.Rank == 0 ? 1 : x._shape[d];
                int rows = cols == 0 ? 0 : x._count / cols;
                int[] kept = x.Rank == 0 ? [] : (int[])x._shape.Clone();
                if (x.Rank > 0)
                {
                    kept[d] = 1;
                }

                norm = Kernels.Normalization.AbsMaxRows(last, rows, cols).Reshape(kept);
                norm = keepDim || x.Rank == 0 ? norm : norm.Squeeze(d);
            }
            else
            {
                Tensor abs = NN.Functional.AbsOf(x);
                norm = p switch
                {
                    0 => x.Ne(0.0).ConvertedTo(x._dtype).Sum(d, keepDim),
                    1 => abs.Sum(d, keepDim),
                    2 => (x * x).Sum(d, keepDim).Sqrt(),
                    _ => abs.Pow(p).Sum(d, keepDim).Pow(1 / p),
                };
            }
        }

        return GradMode.ShouldRecord(x) ? norm.WithGradFn(new VectorNormBackward(x, norm, p, d, keepDim)) : norm;
    }
}

/// <summary>
/// n = ‖x‖ₚ over one dimension: ∂n/∂xᵢ = sign(xᵢ)·|xᵢ|ᵖ⁻¹ / nᵖ⁻¹ (x / n for p = 2, sign(x) for p = 1, 0 for p = 0),
/// and 0 where n = 0 (PyTorch's masked norm_backward); for p = ∞, sign(xᵢ)·[|xᵢ| = n] / #ties (the maxima share the
/// gradient evenly, as PyTorch's). Written in tensor ops on the saved input and output.
/// </summary>
internal sealed class VectorNormBackward(Tensor x, Tensor norm, double p, int dim, bool keepDim) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _norm = norm;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor input = Saved(_x);
        Tensor n = Saved(_norm);
        if (!keepDim)
        {
            grad = grad.Unsqueeze(dim);
            n = n.Unsqueeze(dim);
        }

        if (p == 0)
        {
            return [Tensor.ZerosLike(input, input._dtype)];
        }

        Tensor sign;
        using (GradMode.NoGrad())
        {
            sign = input.Gt(0.0).ConvertedTo(input._dtype) - input.Lt(0.0).ConvertedTo(input._dtype);
        }

        if (p == 1)
        {
            return [grad * sign];
        }

        if (double.IsPositiveInfinity(p))
        {
            Tensor ties;
            using (GradMode.NoGrad())
            {
                ties = (input * sign).Eq(n).ConvertedTo(input._dtype);
                ties = sign * ties / ties.Sum(dim, keepDim: true);
            }

            return [grad * ties];
        }

        Tensor zero = n.Eq(0.0);
        Tensor safe = Tensor.Where(zero, 1.0, n);
        if (p == 2)
        {
            return [Tensor.Where(zero, 0.0, grad / safe) * input];
        }

        Tensor scaled = (input * sign).Pow(p - 1) * sign / safe.Pow(p - 1);
        return [Tensor.Where(zero, 0.0, grad) * scaled];
    }

    protected override void ReleaseSaved() => (_x, _norm) = (null, null);
}
