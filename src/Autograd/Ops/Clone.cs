namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>A contiguous copy with its own storage, recorded in the graph (PyTorch's <c>clone()</c>).</summary>
    public Tensor Clone()
    {
        Tensor output = CloneData();
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new CloneBackward(this)) : output;
    }
}

/// <summary><c>out = x</c> (copied): ∂L/∂x = g.</summary>
internal sealed class CloneBackward(Tensor x) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [grad];
}
