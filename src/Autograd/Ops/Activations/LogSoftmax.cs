namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// log-softmax over <paramref name="dim"/>: <c>yᵢ = xᵢ − log Σⱼ e^(xⱼ)</c>, computed stably (the maximum along the
    /// dimension is subtracted first). With <paramref name="dtype"/>, the input is first cast to it (PyTorch's
    /// <c>dtype</c> argument). A line of all −∞ gives NaN, as PyTorch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is out of range.</exception>
    /// <exception cref="NotSupportedException">The dtype is not float32, float64 or bfloat16.</exception>
    public static Tensor LogSoftmax(Tensor x, int dim, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (dtype is { } cast)
        {
            x = x.To(cast);
        }

        int d = Autograd.Shape.NormalizeDim(dim, x.Rank);
        Tensor output = x.Backend.Softmax(x, d, log: true);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new LogSoftmaxBackward(x, output, d)) : output;
    }

    /// <inheritdoc cref="LogSoftmax(Tensor, int, DType?)"/>
    public Tensor LogSoftmax(int dim, DType? dtype = null) => LogSoftmax(this, dim, dtype);
}

/// <summary>
/// <c>y = x − logsumexp(x)</c> along a dimension: ∂L/∂x = g − softmax(x) · Σ g along it, with softmax(x) = e^y from the
/// saved output (which stays in the graph, so the second derivative follows).
/// </summary>
internal sealed class LogSoftmaxBackward(Tensor input, Tensor output, int dim) : Node(input)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor y = Saved(_output);
        return [grad.Backend.FusedSoftmaxBackward(grad, y, dim, log: true) ?? grad - (Tensor.Exp(y) * grad.Sum(dim, keepDim: true))];
    }

    protected override void ReleaseSaved() => _output = null;
}
