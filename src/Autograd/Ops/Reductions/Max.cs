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

        if (_dtype != DType.Float32)
        {
            Tensor typed = MaxTyped();
            return GradMode.ShouldRecord(this) ? typed.WithGradFn(new MaxBackward(this, typed)) : typed;
        }

        var output = new Tensor([TensorPrimitives.Max(ContiguousData())], Autograd.Shape.ScalarDims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new MaxBackward(this, output)) : output;
    }

    /// <summary>The maximum in the tensor's own dtype (float16 and bfloat16 compared as float32: exact, their values are floats).</summary>
    private Tensor MaxTyped()
    {
        switch (_dtype)
        {
            case DType.Float64:
                return Scalar(TensorPrimitives.Max<double>(Kernels.TypedElementwise.Operand<double>(this, DType.Float64, _shape)), DType.Float64);
            case DType.Int64:
                return new Tensor(new[] { TensorPrimitives.Max<long>(Kernels.TypedElementwise.Operand<long>(this, DType.Int64, _shape)) }, DType.Int64, Autograd.Shape.ScalarDims);
            case DType.Int32:
                return new Tensor(new[] { TensorPrimitives.Max<int>(Kernels.TypedElementwise.Operand<int>(this, DType.Int32, _shape)) }, DType.Int32, Autograd.Shape.ScalarDims);
            case DType.Bool:
                return new Tensor(new[] { Array.IndexOf(ToArray<bool>(), true) >= 0 }, DType.Bool, Autograd.Shape.ScalarDims);
            default:
                return ConvertedTo(DType.Float32).Max().ConvertedTo(_dtype);
        }
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
        if (Saved(_output)._dtype != DType.Float32)
        {
            return [ApplyTyped(grad)];
        }

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

    /// <summary>The same mask for a floating input of another dtype, compared in double (exact for every floating dtype here).</summary>
    private Tensor ApplyTyped(Tensor grad)
    {
        double max = Saved(_output).Item<double>();
        Tensor x = Saved(_x);
        double[] values = x.ToArray<double>();
        double[] mask = new double[values.Length];
        int ties = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] == max || (double.IsNaN(max) && double.IsNaN(values[i])))
            {
                mask[i] = 1;
                ties++;
            }
        }

        return grad * new Tensor(mask, DType.Float64, x._shape).ConvertedTo(x._dtype) / ties;
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
