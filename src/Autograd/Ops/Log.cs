namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise natural logarithm.</summary>
    public static Tensor Log(Tensor x)
    {
        Tensor output = x.Backend.Unary(UnaryOp.Log, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new LogBackward(x)) : output;
    }

    /// <inheritdoc cref="Log(Tensor)"/>
    public Tensor Log() => Log(this);
}

/// <summary><c>out = ln x</c>: ∂L/∂x = g / x.</summary>
internal sealed class LogBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad / Saved(_x)];

    protected override void ReleaseSaved() => _x = null;
}
