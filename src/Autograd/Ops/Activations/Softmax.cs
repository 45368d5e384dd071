namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// softmax over <paramref name="dim"/>: <c>yᵢ = e^(xᵢ) / Σⱼ e^(xⱼ)</c>, computed stably (the maximum along the
    /// dimension is subtracted first, so logits of ±1000 are exact). With <paramref name="dtype"/>, the input is first
    /// cast to it (PyTorch's <c>dtype</c> argument). A line of all −∞ gives NaN, as PyTorch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is out of range.</exception>
    /// <exception cref="NotSupportedException">The dtype is not float32, float64 or bfloat16.</exception>
    public static Tensor Softmax(Tensor x, int dim, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (dtype is { } cast)
        {
            x = x.To(cast);
        }

        int d = Autograd.Shape.NormalizeDim(dim, x.Rank);
        Tensor output = x.Backend.Softmax(x, d, log: false);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SoftmaxBackward(x, output, d)) : output;
    }

    /// <inheritdoc cref="Softmax(Tensor, int, DType?)"/>
    public Tensor Softmax(int dim, DType? dtype = null) => Softmax(this, dim, dtype);
}

/// <summary>
/// <c>y = softmax(x)</c> along a dimension: ∂L/∂x = (g − Σ g⊙y) ⊙ y, the sum along it (PyTorch's
/// _softmax_backward_data), from the saved output, which stays in the graph so the second derivative follows. Without
/// a graph to record, float32 over the last dimension takes one fused pass per row.
/// </summary>
internal sealed class SoftmaxBackward(Tensor input, Tensor output, int dim) : Node(input)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor y = Saved(_output);
        return [grad.Backend.FusedSoftmaxBackward(grad, y, dim, log: false) ?? (grad - (grad * y).Sum(dim, keepDim: true)) * y];
    }

    protected override void ReleaseSaved() => _output = null;
}
