using System.Numerics.Tensors;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The Euclidean (Frobenius) norm of all elements, as a 0-d tensor.</summary>
    /// <remarks>float64 computes in double; float16 and bfloat16 in float32, rounded once; integers and bools are refused, as in PyTorch.</remarks>
    public Tensor Norm()
    {
        if (_dtype != DType.Float32)
        {
            Tensor typed = _dtype switch
            {
                DType.Float64 => Scalar(TensorPrimitives.Norm<double>(Kernels.TypedElementwise.Operand<double>(this, DType.Float64, _shape)), DType.Float64),
                DType.Float16 or DType.BFloat16 => ConvertedTo(DType.Float32).Norm().ConvertedTo(_dtype),
                _ => throw new InvalidOperationException($"norm(): input dtype should be either floating point or complex. Got {_dtype.ScalarTypeName()} instead."),
            };
            return GradMode.ShouldRecord(this) ? typed.WithGradFn(new NormBackward(this, typed)) : typed;
        }

        var output = new Tensor([TensorPrimitives.Norm(ContiguousData())], Autograd.Shape.ScalarDims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new NormBackward(this, output)) : output;
    }
}

/// <summary>
/// <c>out = ‖x‖₂ = √(Σ xᵢ²)</c>: ∂L/∂x = g·x / out. At x = 0 the norm is not differentiable and the gradient
/// is 0 (the subgradient PyTorch picks).
/// </summary>
internal sealed class NormBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _x = x;
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor norm = Saved(_output);
        Tensor x = Saved(_x);
        return [norm.Item<double>() == 0 ? Tensor.ZerosLike(x, x._dtype) : grad * x / norm];
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
