namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>√(2/π), the tanh approximation's inner scale.</summary>
    private const double GeluTanhBeta = 0.79788456080286535588;

    /// <summary>The tanh approximation's cubic coefficient.</summary>
    private const double GeluTanhKappa = 0.044715;

    /// <summary>
    /// Element-wise GELU: <c>x·Φ(x) = x/2 · (1 + erf(x/√2))</c>, or with <paramref name="approximate"/> "tanh"
    /// <c>x/2 · (1 + tanh(√(2/π)·(x + 0.044715x³)))</c>.
    /// </summary>
    internal static Tensor Gelu(Tensor x, string approximate)
    {
        ArgumentNullException.ThrowIfNull(x);
        bool tanh = approximate switch
        {
            "none" => false,
            "tanh" => true,
            _ => throw new ArgumentException("approximate argument must be either none or tanh.", nameof(approximate)),
        };
        Tensor output = x.Backend.Activation(tanh ? ActivationOp.GeluTanh : ActivationOp.Gelu, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new GeluBackward(x, tanh)) : output;
    }

    /// <summary>
    /// d/dx x·Φ(x) = Φ(x) + x·φ(x), differentiable: its own derivative is φ(x)·(2 − x²), written with tensor ops.
    /// </summary>
    internal static Tensor GeluDerivative(Tensor x)
    {
        Tensor output = x.Backend.Activation(ActivationOp.GeluDerivative, x);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new GeluDerivativeBackward(x)) : output;
    }

    /// <summary>
    /// The tanh approximation's derivative, with tensor ops: with u = √(2/π)(x + κx³) and t = tanh u,
    /// d/dx x/2·(1 + t) = (1 + t)/2 + x/2·(1 − t²)·√(2/π)(1 + 3κx²).
    /// </summary>
    internal static Tensor GeluTanhDerivative(Tensor x)
    {
        Tensor squared = x * x;
        Tensor t = Tanh(((x * squared * GeluTanhKappa) + x) * GeluTanhBeta);
        Tensor left = (t + 1.0) * 0.5;
        Tensor right = x * 0.5 * (1.0 - (t * t)) * (((squared * (3 * GeluTanhKappa)) + 1.0) * GeluTanhBeta);
        return left + right;
    }
}

/// <summary>
/// <c>out = x·Φ(x)</c>: ∂L/∂x = g·(Φ(x) + x·φ(x)); for the tanh form the derivative of its formula (see
/// <see cref="Tensor.GeluTanhDerivative"/>). Both derivatives are differentiable ops, so double backward works.
/// </summary>
internal sealed class GeluBackward(Tensor x, bool tanh) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        return [grad * (tanh ? Tensor.GeluTanhDerivative(x) : Tensor.GeluDerivative(x))];
    }

    protected override void ReleaseSaved() => _x = null;
}

/// <summary>
/// <c>out = Φ(x) + x·φ(x)</c>: ∂L/∂x = g·φ(x)·(2 − x²), with φ(x) = e^(−x²/2)/√(2π) (φ′ = −xφ, so
/// d/dx (Φ + xφ) = φ + φ − x²φ).
/// </summary>
internal sealed class GeluDerivativeBackward(Tensor x) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor squared = x * x;
        Tensor density = Tensor.Exp(squared * -0.5) * 0.39894228040143267794;
        return [grad * density * (2.0 - squared)];
    }

    protected override void ReleaseSaved() => _x = null;
}
