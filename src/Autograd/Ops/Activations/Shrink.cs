using System.Globalization;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Element-wise soft shrinkage: <c>x &gt; λ ? x − λ : x &lt; −λ ? x + λ : 0</c> (NaN gives 0, as PyTorch).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="lambd"/> is negative.</exception>
    internal static Tensor Softshrink(Tensor x, double lambd)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (lambd < 0)
        {
            throw new ArgumentException($"lambda must be greater or equal to 0, but found to be {lambd.ToString(CultureInfo.InvariantCulture)}.", nameof(lambd));
        }

        Tensor output = x.Backend.Activation(ActivationOp.Softshrink, x, lambd);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ShrinkBackward(x, lambd)) : output;
    }

    /// <summary>Element-wise hard shrinkage: <c>−λ ≤ x ≤ λ ? 0 : x</c>.</summary>
    public static Tensor Hardshrink(Tensor x, double lambd = 0.5)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = x.Backend.Activation(ActivationOp.Hardshrink, x, lambd);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ShrinkBackward(x, lambd)) : output;
    }

    /// <inheritdoc cref="Hardshrink(Tensor, double)"/>
    public Tensor Hardshrink(double lambd = 0.5) => Hardshrink(this, lambd);

    /// <summary>Element-wise <c>x − tanh x</c>, composed as PyTorch composes it.</summary>
    internal static Tensor Tanhshrink(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x - Tanh(x);
    }
}

/// <summary>
/// Soft and hard shrinkage: ∂L/∂x = |x| &gt; λ ? g : 0 (PyTorch's softshrink_backward and hardshrink_backward; NaN gets
/// 0 as in their vectorised kernel). Linear in g with a constant mask.
/// </summary>
internal sealed class ShrinkBackward(Tensor x, double lambd) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [Tensor.Where((x < -lambd) | (x > lambd), grad, 0.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}
