namespace Autograd.NN;

/// <summary>Element-wise max(x, 0) as a module (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Tensor.Relu(input);
}

/// <summary>Element-wise min(max(x, 0), 6) as a module (PyTorch's <c>nn.ReLU6</c>).</summary>
public sealed class ReLU6 : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Relu6(input);
}

/// <summary>x for x ≥ 0, negativeSlope·x otherwise as a module (PyTorch's <c>nn.LeakyReLU</c>).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module<Tensor, Tensor>
{
    /// <summary>The <c>negativeSlope</c> setting.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LeakyRelu(input, NegativeSlope);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"negative_slope={PyRepr.Float(NegativeSlope)}";
}

/// <summary>x for x > 0, α·(eˣ − 1) otherwise as a module (PyTorch's <c>nn.ELU</c>).</summary>
public sealed class ELU(double alpha = 1.0) : Module<Tensor, Tensor>
{
    /// <summary>The <c>alpha</c> setting.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Elu(input, Alpha);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"alpha={PyRepr.Float(Alpha)}";
}

/// <summary>scale·(max(0, x) + min(0, α·(eˣ − 1))) with PyTorch's fixed α and scale as a module (PyTorch's <c>nn.SELU</c>).</summary>
public sealed class SELU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Selu(input);
}

/// <summary>max(0, x) + min(0, α·(e^(x/α) − 1)) as a module (PyTorch's <c>nn.CELU</c>).</summary>
public sealed class CELU(double alpha = 1.0) : Module<Tensor, Tensor>
{
    /// <summary>The <c>alpha</c> setting.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Celu(input, Alpha);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"alpha={PyRepr.Float(Alpha)}";
}

/// <summary>x·Φ(x) (or the tanh approximation with approximate = "tanh") as a module (PyTorch's <c>nn.GELU</c>).</summary>
public sealed class GELU(string approximate = "none") : Module<Tensor, Tensor>
{
    /// <summary>The <c>approximate</c> setting.</summary>
    public string Approximate { get; } = approximate;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, Approximate);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"approximate='{Approximate}'";
}

/// <summary>x·σ(x) as a module (PyTorch's <c>nn.SiLU</c>).</summary>
public sealed class SiLU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Silu(input);
}

/// <summary>x·tanh(softplus(x)) as a module (PyTorch's <c>nn.Mish</c>).</summary>
public sealed class Mish : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Mish(input);
}

/// <summary>Element-wise tanh as a module (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Tensor.Tanh(input);
}

/// <summary>Element-wise σ(x) = 1/(1 + e⁻ˣ) as a module (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Tensor.Sigmoid(input);
}

/// <summary>log(1 + e^(βx))/β, and x where βx > threshold as a module (PyTorch's <c>nn.Softplus</c>).</summary>
public sealed class Softplus(double beta = 1, double threshold = 20) : Module<Tensor, Tensor>
{
    /// <summary>The <c>beta</c> setting.</summary>
    public double Beta { get; } = beta;

    /// <summary>The <c>threshold</c> setting.</summary>
    public double Threshold { get; } = threshold;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Softplus(input, Beta, Threshold);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"beta={Number(Beta)}, threshold={Number(Threshold)}";

    /// <summary>PyTorch's defaults are Python ints (<c>beta=1, threshold=20</c>), so integral values print without a fraction.</summary>
    private static string Number(double value) => value == Math.Floor(value) && Math.Abs(value) < 1e15 ? PyRepr.Int((long)value) : PyRepr.Float(value);
}

/// <summary>x/(1 + |x|) as a module (PyTorch's <c>nn.Softsign</c>).</summary>
public sealed class Softsign : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Softsign(input);
}

/// <summary>x clamped to [minVal, maxVal] as a module (PyTorch's <c>nn.Hardtanh</c>).</summary>
public sealed class Hardtanh(double minVal = -1.0, double maxVal = 1.0) : Module<Tensor, Tensor>
{
    /// <summary>The <c>minVal</c> setting.</summary>
    public double MinVal { get; } = minVal;

    /// <summary>The <c>maxVal</c> setting.</summary>
    public double MaxVal { get; } = maxVal;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Hardtanh(input, MinVal, MaxVal);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"min_val={PyRepr.Float(MinVal)}, max_val={PyRepr.Float(MaxVal)}";
}

/// <summary>clamp(x/6 + 1/2, 0, 1) as a module (PyTorch's <c>nn.Hardsigmoid</c>).</summary>
public sealed class Hardsigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Hardsigmoid(input);
}

/// <summary>x·clamp(x + 3, 0, 6)/6 as a module (PyTorch's <c>nn.Hardswish</c>).</summary>
public sealed class Hardswish : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Hardswish(input);
}

/// <summary>log σ(x) as a module (PyTorch's <c>nn.LogSigmoid</c>).</summary>
public sealed class LogSigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LogSigmoid(input);
}

/// <summary>exp(xᵢ)/Σⱼ exp(xⱼ) along dim as a module (PyTorch's <c>nn.Softmax</c>).</summary>
public sealed class Softmax(int dim) : Module<Tensor, Tensor>
{
    /// <summary>The <c>dim</c> setting.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Softmax(input, Dim);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}

/// <summary>xᵢ − log Σⱼ exp(xⱼ) along dim as a module (PyTorch's <c>nn.LogSoftmax</c>).</summary>
public sealed class LogSoftmax(int dim) : Module<Tensor, Tensor>
{
    /// <summary>The <c>dim</c> setting.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LogSoftmax(input, Dim);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}

/// <summary>a·σ(b) with a, b the halves of the input along dim as a module (PyTorch's <c>nn.GLU</c>).</summary>
public sealed class GLU(int dim = -1) : Module<Tensor, Tensor>
{
    /// <summary>The <c>dim</c> setting.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Glu(input, Dim);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}

/// <summary>x − tanh(x) as a module (PyTorch's <c>nn.Tanhshrink</c>).</summary>
public sealed class Tanhshrink : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Tanhshrink(input);
}

/// <summary>x − λ for x > λ, x + λ for x &lt; −λ, 0 otherwise as a module (PyTorch's <c>nn.Softshrink</c>).</summary>
public sealed class Softshrink(double lambd = 0.5) : Module<Tensor, Tensor>
{
    /// <summary>The <c>lambd</c> setting.</summary>
    public double Lambd { get; } = lambd;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Softshrink(input, Lambd);

    /// <inheritdoc/>
    public override string ExtraRepr() => PyRepr.Float(Lambd);
}

/// <summary>x for |x| > λ, 0 otherwise as a module (PyTorch's <c>nn.Hardshrink</c>).</summary>
public sealed class Hardshrink(double lambd = 0.5) : Module<Tensor, Tensor>
{
    /// <summary>The <c>lambd</c> setting.</summary>
    public double Lambd { get; } = lambd;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Hardshrink(input, Lambd);

    /// <inheritdoc/>
    public override string ExtraRepr() => PyRepr.Float(Lambd);
}
