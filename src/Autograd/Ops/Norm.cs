using System.Numerics.Tensors;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The Euclidean (Frobenius) norm of all elements, as a 0-d tensor.</summary>
    public Tensor Norm()
    {
        var output = new Tensor([TensorPrimitives.Norm(ContiguousData())], Autograd.Shape.ScalarDims);
        GC.KeepAlive(this);   // the span was the last use when no graph is recorded (see StorageLease)
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
        return [norm.Item() == 0f ? Tensor.ZerosLike(x) : grad * x / norm];
    }

    protected override void ReleaseSaved() => (_x, _output) = (null, null);
}
