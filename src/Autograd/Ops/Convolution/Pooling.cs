namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Max pooling of [N, C, H, W] over the windows of <paramref name="rows"/> × <paramref name="cols"/>: the maxima and
    /// their int64 indices h·W + w within each plane (arguments already checked by the functional entry points).
    /// </summary>
    internal static (Tensor Values, Tensor Indices) MaxPool2dCore(Tensor input, PoolAxis rows, PoolAxis cols)
    {
        (Tensor values, Tensor indices) = input.Backend.MaxPool2d(input, rows, cols);
        return (GradMode.ShouldRecord(input) ? values.WithGradFn(new MaxPoolBackward(input, indices)) : values, indices);
    }

    /// <summary>
    /// Average pooling of [N, C, H, W]: out[n, c, r, k] = (Σ over window (r, k)) / divisor[r·K + k].
    /// </summary>
    internal static Tensor AvgPool2dCore(Tensor input, PoolAxis rows, PoolAxis cols, int[] divisor)
    {
        Tensor output = input.Backend.AvgPool2d(input, rows, cols, divisor);
        return GradMode.ShouldRecord(input) ? output.WithGradFn(new AvgPoolBackward(input, rows, cols, divisor)) : output;
    }

    /// <summary>The adjoint of <see cref="AvgPool2dCore"/> (its input gradient), recorded so that it differentiates again.</summary>
    internal static Tensor AvgPool2dAdjoint(Tensor grad, PoolAxis rows, PoolAxis cols, int[] divisor)
    {
        Tensor output = grad.Backend.AvgPool2dAdjoint(grad, rows, cols, divisor);
        return GradMode.ShouldRecord(grad) ? output.WithGradFn(new AvgPoolAdjointBackward(grad, rows, cols, divisor)) : output;
    }
}

/// <summary>
/// <c>out[p, k] = x[p, index[p, k]]</c> per plane p (the window maxima): each gᵢ flows to the element it came from
/// and windows that share a maximum add, ∂L/∂x = zeros.scatter_add(1, index, g) over [N·C, H·W]. Linear in g, so the
/// second order is the gather of the upstream at the same indices. Without createGraph a direct kernel scatters.
/// </summary>
internal sealed class MaxPoolBackward(Tensor x, Tensor indices) : Node(x)
{
    private SavedTensor _indices = indices;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        ReadOnlySpan<int> shape = InputShape(0);
        if (!GradMode.IsEnabled)
        {
            return [grad.Backend.MaxPool2dBackward(grad, Saved(_indices), shape)];   // no graph to record: the direct scatter
        }

        int planes = shape[0] * shape[1];
        Tensor index = Saved(_indices).Reshape(planes, -1);
        Tensor flat = Tensor.Zeros([planes, shape[2] * shape[3]], grad.DType).ScatterAdd(1, index, grad.Reshape(planes, -1));
        return [flat.Reshape(shape.ToArray())];
    }

    protected override void ReleaseSaved() => _indices = default;
}

/// <summary>
/// <c>out = avg_pool(x)</c>, linear: ∂L/∂x = its adjoint applied to g, each g[r, k] / divisor[r, k] spread over window
/// (r, k) (<see cref="Tensor.AvgPool2dAdjoint"/>).
/// </summary>
internal sealed class AvgPoolBackward(Tensor x, PoolAxis rows, PoolAxis cols, int[] divisor) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [Tensor.AvgPool2dAdjoint(grad, rows, cols, divisor)];
}

/// <summary><c>out = avg_poolᵀ(g)</c>, linear: its gradient is the pooling itself, ∂L/∂g = avg_pool(U).</summary>
internal sealed class AvgPoolAdjointBackward(Tensor g, PoolAxis rows, PoolAxis cols, int[] divisor) : Node(g)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [Tensor.AvgPool2dCore(grad, rows, cols, divisor)];
}
