using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise quotient with NumPy broadcasting: <c>a / b</c>.</summary>
    public static Tensor operator /(Tensor a, Tensor b)
    {
        Tensor output = Elementwise.Binary<DivideOperator>(a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new DivBackward(a, b)) : output;
    }

    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor operator /(Tensor a, float b)
    {
        Tensor output = Elementwise.BinaryScalar<DivideOperator>(a, b, scalarFirst: false);
        return GradMode.ShouldRecord(a) ? output.WithGradFn(new DivBackward(a, b)) : output;
    }

    /// <summary>Divides a scalar by every element.</summary>
    public static Tensor operator /(float a, Tensor b)
    {
        Tensor output = Elementwise.BinaryScalar<DivideOperator>(b, a, scalarFirst: true);
        return GradMode.ShouldRecord(b) ? output.WithGradFn(new DivBackward(a, b)) : output;
    }

    /// <inheritdoc cref="op_Division(Tensor, Tensor)"/>
    public static Tensor Div(Tensor a, Tensor b) => a / b;
}

/// <summary>
/// <c>out = a / b</c>: ∂L/∂a = g / b, ∂L/∂b = -g·a / b². With a constant scalar s:
/// <c>a / s</c> gives ∂L/∂a = g / s; <c>s / b</c> gives ∂L/∂b = -g·s / b².
/// </summary>
internal sealed class DivBackward : Node
{
    private readonly float _scalar;
    private readonly bool _scalarNumerator;
    private SavedTensor _a;
    private SavedTensor _b;

    internal DivBackward(Tensor a, Tensor b)
        : base(a, b)
    {
        _a = b.RequiresGrad ? a : null;
        _b = b;
    }

    internal DivBackward(Tensor a, float divisor)
        : base(a) => _scalar = divisor;

    internal DivBackward(float numerator, Tensor b)
        : base(b)
    {
        _scalar = numerator;
        _scalarNumerator = true;
        _b = b;
    }

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        if (InputCount == 1)
        {
            if (!_scalarNumerator)
            {
                return [grad / _scalar];
            }

            Tensor b = Saved(_b);
            return [grad * (-_scalar) / (b * b)];
        }

        Tensor divisor = Saved(_b);
        return
        [
            NeedsInputGrad(0) ? grad / divisor : null,
            NeedsInputGrad(1) ? -grad * Saved(_a) / (divisor * divisor) : null,
        ];
    }

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
