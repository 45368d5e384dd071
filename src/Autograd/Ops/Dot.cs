using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The inner product of two 1-d tensors of equal length, as a 0-d tensor.</summary>
    public static Tensor Dot(Tensor a, Tensor b)
    {
        if (a.Rank != 1 || b.Rank != 1)
        {
            throw new ArgumentException($"1D tensors expected, but got {a.Rank}D and {b.Rank}D tensors");
        }

        if (a._count != b._count)
        {
            throw new ArgumentException(
                $"inconsistent tensor size, expected tensor [{a._count}] and src [{b._count}] to have the same number of elements, but got {a._count} and {b._count} elements respectively");
        }

        if (a._dtype != DType.Float32 || b._dtype != DType.Float32)
        {
            Tensor typed = DotTyped(a, b);
            return GradMode.ShouldRecord(a, b) ? typed.WithGradFn(new DotBackward(a, b)) : typed;
        }

        var output = new Tensor([TensorPrimitives.Dot(a.ContiguousData(), b.ContiguousData())], Autograd.Shape.ScalarDims);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new DotBackward(a, b)) : output;
    }

    /// <summary>
    /// Dot for other dtypes, with PyTorch's rules: both operands of one dtype (no promotion); float64 and integers in
    /// their own type, bfloat16 in float32 rounded once; float16 and bool refused, as PyTorch's CPU refuses them.
    /// </summary>
    internal static Tensor DotTyped(Tensor a, Tensor b)
    {
        if (a._dtype != b._dtype)
        {
            throw new InvalidOperationException(
                $"dot : expected both vectors to have same dtype, but found {a._dtype.ScalarTypeName()} and {b._dtype.ScalarTypeName()}");
        }

        switch (a._dtype)
        {
            case DType.Float64:
                return Scalar(TensorPrimitives.Dot<double>(TypedElementwise.Operand<double>(a, DType.Float64, a._shape), TypedElementwise.Operand<double>(b, DType.Float64, b._shape)), DType.Float64);
            case DType.Int64:
                return new Tensor(new[] { TensorPrimitives.Dot<long>(TypedElementwise.Operand<long>(a, DType.Int64, a._shape), TypedElementwise.Operand<long>(b, DType.Int64, b._shape)) }, DType.Int64, Autograd.Shape.ScalarDims);
            case DType.Int32:
                return new Tensor(new[] { TensorPrimitives.Dot<int>(TypedElementwise.Operand<int>(a, DType.Int32, a._shape), TypedElementwise.Operand<int>(b, DType.Int32, b._shape)) }, DType.Int32, Autograd.Shape.ScalarDims);
            case DType.BFloat16:
                return Dot(a.ConvertedTo(DType.Float32), b.ConvertedTo(DType.Float32)).ConvertedTo(DType.BFloat16);
            default:
                throw NotImplementedFor(a._dtype, "dot");
        }
    }

    /// <inheritdoc cref="Dot(Tensor, Tensor)"/>
    public Tensor Dot(Tensor other) => Dot(this, other);
}

/// <summary><c>out = Σᵢ aᵢbᵢ</c>: ∂L/∂a = g·b, ∂L/∂b = g·a (g is 0-d).</summary>
internal sealed class DotBackward : Node
{
    private SavedTensor _a;
    private SavedTensor _b;

    internal DotBackward(Tensor a, Tensor b)
        : base(a, b)
    {
        _a = b.RequiresGrad ? a : null;
        _b = a.RequiresGrad ? b : null;
    }

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [NeedsInputGrad(0) ? grad * Saved(_b) : null, NeedsInputGrad(1) ? grad * Saved(_a) : null];

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
