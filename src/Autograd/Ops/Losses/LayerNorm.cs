namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Layer normalisation of each row of the last <paramref name="cols"/> elements in one fused kernel:
    /// <c>y = (x − μ)/√(σ² + ε)·w + b</c>; <paramref name="weight"/> and <paramref name="bias"/> have
    /// <paramref name="cols"/> elements or are null. Float32 and float64.
    /// </summary>
    internal static Tensor LayerNormRows(Tensor input, Tensor? weight, Tensor? bias, int rows, int cols, double eps)
    {
        if (input._dtype is not (DType.Float32 or DType.Float64))
        {
            throw NotImplementedFor(input._dtype, "LayerNormKernelImpl");
        }

        foreach (Tensor? parameter in new[] { weight, bias })
        {
            if (parameter is not null && parameter._dtype != input._dtype)
            {
                throw new ArgumentException($"expected scalar type {input._dtype.ScalarTypeName()} but found {parameter._dtype.ScalarTypeName()}");
            }
        }

        (Tensor output, Tensor mean, Tensor rstd) = Kernels.Normalization.LayerNorm(input, weight, bias, rows, cols, eps);
        Tensor[] inputs = [input, .. weight is null ? Array.Empty<Tensor>() : [weight], .. bias is null ? Array.Empty<Tensor>() : [bias]];
        return GradMode.IsEnabled && Array.Exists(inputs, t => t.RequiresGrad)
            ? output.WithGradFn(new LayerNormBackward(inputs, weight is not null, bias is not null, mean, rstd, rows, cols, eps))
            : output;
    }
}

/// <summary>
/// y = x̂·w + b with x̂ = (x − μ)·r, r = 1/√(σ² + ε) per row: with d = g·w, ∂L/∂x = r·(d − mean(d) − x̂·mean(d·x̂)),
/// ∂L/∂w = Σ_rows g·x̂, ∂L/∂b = Σ_rows g. Without a graph to record, the fused kernel with the saved μ and r; with one,
/// the same formula in tensor ops, μ and r recomputed from x so that the gradient is differentiable in x too.
/// </summary>
internal sealed class LayerNormBackward : Node
{
    private readonly bool _hasWeight;
    private readonly bool _hasBias;
    private readonly int _rows;
    private readonly int _cols;
    private readonly double _eps;
    private SavedTensor _input;
    private SavedTensor _weight;
    private SavedTensor _mean;
    private SavedTensor _rstd;

    internal LayerNormBackward(Tensor[] inputs, bool hasWeight, bool hasBias, Tensor mean, Tensor rstd, int rows, int cols, double eps)
        : base(inputs)
    {
        (_hasWeight, _hasBias, _rows, _cols, _eps) = (hasWeight, hasBias, rows, cols, eps);
        _input = inputs[0];
        _weight = hasWeight ? inputs[1] : null;
        (_mean, _rstd) = (mean, rstd);
    }

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_input);
        Tensor? w = _hasWeight ? Saved(_weight) : null;
        bool wantInput = NeedsInputGrad(0), wantWeight = _hasWeight && NeedsInputGrad(1), wantBias = _hasBias && NeedsInputGrad(_hasWeight ? 2 : 1);
        Tensor? dx, dw, db;
        if (!GradMode.IsEnabled && grad.DType == x.DType)
        {
            (dx, dw, db) = Kernels.Normalization.LayerNormGrad(grad, x, Saved(_mean), Saved(_rstd), w, _cols, wantInput, wantWeight, wantBias);
        }
        else
        {
            Tensor x2 = x.Reshape(_rows, _cols), g2 = grad.Reshape(_rows, _cols);
            Tensor centred = x2 - x2.Mean(1, keepDim: true);
            Tensor r = ((centred * centred).Mean(1, keepDim: true) + _eps).Pow(-0.5);
            Tensor xhat = centred * r;
            Tensor d = w is null ? g2 : g2 * w.Reshape(1, _cols);
            dx = wantInput ? (r * (d - d.Mean(1, keepDim: true) - (xhat * (d * xhat).Mean(1, keepDim: true)))).Reshape(x.Shape.ToArray()) : null;
            dw = wantWeight ? (g2 * xhat).Sum(0).Reshape(w!.Shape.ToArray()) : null;
            db = wantBias ? g2.Sum(0).Reshape(InputShape(_hasWeight ? 2 : 1).ToArray()) : null;
        }

        return (_hasWeight, _hasBias) switch
        {
            (true, true) => [dx, dw, db],
            (true, false) => [dx, dw],
            (false, true) => [dx, db],
            _ => [dx],
        };
    }

    protected override void ReleaseSaved() => (_input, _weight, _mean, _rstd) = (null, null, null, null);
}
