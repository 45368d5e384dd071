using System.Numerics.Tensors;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The largest element, as a 0-d tensor (NaN if any element is NaN).</summary>
    public Tensor Max()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }

        var output = new Tensor([TensorPrimitives.Max(ContiguousData())], Autograd.Shape.ScalarDims);
        GC.KeepAlive(this);   // the span was the last use when no graph is recorded (see StorageLease)
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new MaxBackward(this, output)) : output;
    }
}

/// <summary>
/// <c>out = max x</c>: ∂L/∂x = g·m / Σm, where m marks the elements equal to the maximum — a tie shares the
/// gradient evenly, as PyTorch's full reduction does. The mask is a constant.
/// </summary>
internal sealed class MaxBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        float max = Saved(_output).Item();
        ReadOnlySpan<float> values = Saved(_x).ContiguousData();
        float[] mask = new float[values.Length];
        int ties = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == max || (float.IsNaN(max) && float.IsNaN(values[i])))
            {
                mask[i] = 1f;
                ties++;
            }
        }

        return [grad * new Tensor(mask, _x.Tensor!._shape) / ties];
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
