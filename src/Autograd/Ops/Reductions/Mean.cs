using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The mean of all elements, as a 0-d tensor (NaN for an empty tensor, as in PyTorch).</summary>
    public Tensor Mean()
    {
        if (_dtype != DType.Float32)
        {
            // Σx / n in the tensor's own float type (float16 and bfloat16 accumulate in float32, see TypedReduction).
            CheckMeanDType();
            Tensor typed = _count == 0
                ? Scalar(double.NaN, _dtype)
                : (TypedReduction.SumTo(this, Autograd.Shape.ScalarDims, _dtype == DType.Float64 ? DType.Float64 : DType.Float32) / (double)_count).ConvertedTo(_dtype);
            return GradMode.ShouldRecord(this) ? typed.WithGradFn(new MeanBackward(this, _count)) : typed;
        }

        Tensor source = IsContiguous ? this : CloneData();
        float value = _count == 0 ? float.NaN : ChunkedParallel.Sum(source.AsReadOnlySpan(), source.Data, source._offset) / _count;
        var output = new Tensor([value], Autograd.Shape.ScalarDims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new MeanBackward(this, _count)) : output;
    }

    /// <summary>The mean over dimension <paramref name="dim"/>, which is removed unless <paramref name="keepDim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false)
    {
        int[] kept = ReducedShape(dim, out int[] dropped);
        int n = Rank == 0 ? 1 : _shape[Autograd.Shape.NormalizeDim(dim, Rank)];
        if (_dtype != DType.Float32)
        {
            CheckMeanDType();
            Tensor sum = TypedReduction.SumTo(this, kept, _dtype == DType.Float64 ? DType.Float64 : DType.Float32);
            Tensor typed = (sum / (double)n).ConvertedTo(_dtype).Reshape(keepDim ? kept : dropped);
            return GradMode.ShouldRecord(this) ? typed.WithGradFn(new MeanBackward(this, n, kept)) : typed;
        }

        float[] sums = Broadcast.SumTo(this, kept);
        TensorPrimitives.Divide(sums, n, sums);
        var output = new Tensor(sums, keepDim ? kept : dropped);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new MeanBackward(this, n, kept)) : output;
    }

    /// <summary>PyTorch's error for the mean of an integer or bool tensor.</summary>
    private void CheckMeanDType()
    {
        if (!_dtype.IsFloatingPoint())
        {
            throw new InvalidOperationException(
                $"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {_dtype.ScalarTypeName()}");
        }
    }
}

/// <summary><c>out = (1/n) Σ x</c> over all elements or one dimension: ∂L/∂x = g / n broadcast back to x's shape.</summary>
internal sealed class MeanBackward(Tensor x, int n, int[]? keptShape = null) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [((keptShape is null ? grad : grad.Reshape(keptShape)) / n).Expand(_inputShape)];
}
