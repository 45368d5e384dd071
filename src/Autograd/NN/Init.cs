using System.Diagnostics.CodeAnalysis;

namespace Autograd.NN;

/// <summary>
/// Parameter initialisation (PyTorch's <c>torch.nn.init</c>). Every function overwrites its tensor in place without
/// recording gradients, draws from the given <c>generator</c> (or the default generator) and returns the tensor.
/// The trailing underscore is PyTorch's mark of an in-place function.
/// </summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "PyTorch's in-place names (uniform_, normal_, …).")]
public static class Init
{
    /// <summary>
    /// The recommended gain for a nonlinearity (PyTorch's <c>calculate_gain</c>): 1 for linear, conv and sigmoid,
    /// 5/3 for tanh, √2 for relu, √(2/(1+a²)) for leaky_relu with slope a (0.01 by default), 3/4 for selu.
    /// </summary>
    public static double CalculateGain(string nonlinearity, double? param = null)
    {
        ArgumentNullException.ThrowIfNull(nonlinearity);
        switch (nonlinearity)
        {
            case "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid":
                return 1;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.Sqrt(2.0);
            case "leaky_relu":
                double slope = param ?? 0.01;
                return Math.Sqrt(2.0 / (1 + (slope * slope)));
            case "selu":
                return 3.0 / 4;
            default:
                throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}", nameof(nonlinearity));
        }
    }

    /// <summary>Fills with samples of U(a, b) (PyTorch's <c>uniform_</c>).</summary>
    public static Tensor Uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (GradMode.NoGrad())
        {
            tensor.CopyFrom(Tensor.Uniform(tensor.Shape, a, b, FloatingOf(tensor), generator: generator));
        }

        return tensor;
    }

    /// <summary>Fills with samples of N(mean, std²) (PyTorch's <c>normal_</c>).</summary>
    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (GradMode.NoGrad())
        {
            tensor.CopyFrom((Tensor.Randn(tensor.Shape, FloatingOf(tensor), generator: generator) * std) + mean);
        }

        return tensor;
    }

    /// <summary>
    /// Fills with samples of N(mean, std²) conditioned on [a, b] (PyTorch's <c>trunc_normal_</c>), by the same
    /// inverse-CDF method: u ~ U(2Φ(α)−1, 2Φ(β)−1) with α, β the standardised bounds, then
    /// <c>x = mean + std·√2·erfinv(u)</c>, clamped to [a, b].
    /// </summary>
    public static Tensor TruncNormal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        double low = NormalCdf((a - mean) / std), high = NormalCdf((b - mean) / std);
        using (GradMode.NoGrad())
        {
            Tensor u = Tensor.Uniform(tensor.Shape, (2 * low) - 1, (2 * high) - 1, DType.Float64, generator: generator);
            Tensor x = Tensor.Clamp((Tensor.Erfinv(u) * (std * Math.Sqrt(2.0))) + mean, a, b);
            tensor.CopyFrom(x);
        }

        return tensor;
    }

    /// <summary>Fills with <paramref name="value"/> (PyTorch's <c>constant_</c>).</summary>
    public static Tensor Constant_(Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (GradMode.NoGrad())
        {
            tensor.CopyFrom(Tensor.Scalar(value, tensor.DType));
        }

        return tensor;
    }

    /// <summary>Fills with 0 (PyTorch's <c>zeros_</c>).</summary>
    public static Tensor Zeros_(Tensor tensor) => Constant_(tensor, 0);

    /// <summary>Fills with 1 (PyTorch's <c>ones_</c>).</summary>
    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);

    /// <summary>
    /// Glorot uniform (PyTorch's <c>xavier_uniform_</c>): U(−a, a) with <c>a = gain·√(6/(fan_in + fan_out))</c>.
    /// </summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        (int fanIn, int fanOut) = CalculateFanInAndFanOut(tensor);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>Glorot normal (PyTorch's <c>xavier_normal_</c>): N(0, std²) with <c>std = gain·√(2/(fan_in + fan_out))</c>.</summary>
    public static Tensor XavierNormal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        (int fanIn, int fanOut) = CalculateFanInAndFanOut(tensor);
        return Normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>
    /// He uniform (PyTorch's <c>kaiming_uniform_</c>): U(−b, b) with <c>b = gain·√(3/fan)</c>, gain from
    /// <see cref="CalculateGain"/>(<paramref name="nonlinearity"/>, <paramref name="a"/>) and fan the fan_in or fan_out
    /// by <paramref name="mode"/>. With a = √5 (nn.Linear's and nn.Conv's default) b is exactly 1/√fan_in.
    /// </summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Shape.Contains(0))
        {
            return tensor;   // PyTorch: "Initializing zero-element tensors is a no-op"
        }

        double bound = Math.Sqrt(3.0) * CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>He normal (PyTorch's <c>kaiming_normal_</c>): N(0, std²) with <c>std = gain/√fan</c>.</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Shape.Contains(0))
        {
            return tensor;
        }

        return Normal_(tensor, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)), generator);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/> (PyTorch's <c>orthogonal_</c>): the tensor viewed as
    /// [rows, cols] (dimension 0 by the rest) is Q of the QR decomposition of a standard normal matrix (transposed when
    /// rows &lt; cols), with Q's columns signed so that R's diagonal is positive, as PyTorch does. The QR is a
    /// modified Gram–Schmidt in float64.
    /// </summary>
    public static Tensor Orthogonal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException("Only tensors with 2 or more dimensions are supported", nameof(tensor));
        }

        if (tensor.Count == 0)
        {
            return tensor;
        }

        int rows = tensor.Shape[0], cols = tensor.Count / rows;
        bool transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;   // m ≥ n: QR of an m×n matrix
        double[] a = Tensor.Randn([m, n], DType.Float64, generator: generator).ToArray<double>();
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < m; i++)
                {
                    dot += a[(i * n) + k] * a[(i * n) + j];
                }

                for (int i = 0; i < m; i++)
                {
                    a[(i * n) + j] -= dot * a[(i * n) + k];
                }
            }

            double norm = 0;
            for (int i = 0; i < m; i++)
            {
                norm += a[(i * n) + j] * a[(i * n) + j];
            }

            norm = Math.Sqrt(norm);   // R[j, j] > 0 by construction, so Q needs no sign fix
            for (int i = 0; i < m; i++)
            {
                a[(i * n) + j] /= norm;
            }
        }

        Tensor q = Tensor.From(a, [m, n]);
        if (transpose)
        {
            q = q.T.Contiguous();
        }

        using (GradMode.NoGrad())
        {
            tensor.CopyFrom((q * gain).Reshape(tensor.Shape));
        }

        return tensor;
    }

    /// <summary>
    /// fan_in and fan_out of a weight (PyTorch's <c>_calculate_fan_in_and_fan_out</c>): for [out, in, k…],
    /// fan_in = in·Πk and fan_out = out·Πk.
    /// </summary>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions", nameof(tensor));
        }

        int receptive = 1;
        for (int d = 2; d < tensor.Rank; d++)
        {
            receptive *= tensor.Shape[d];
        }

        return (tensor.Shape[1] * receptive, tensor.Shape[0] * receptive);
    }

    private static int Fan(Tensor tensor, string mode)
    {
        (int fanIn, int fanOut) = CalculateFanInAndFanOut(tensor);
        return mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out", nameof(mode)),
        };
    }

    private static DType FloatingOf(Tensor tensor) => tensor.DType.IsFloatingPoint() ? tensor.DType : DType.Float32;

    private static double NormalCdf(double x) => (1 + Erf(x / Math.Sqrt(2.0))) / 2;

    /// <summary>erf in float64 through the library's kernel.</summary>
    private static double Erf(double x) => Tensor.Erf(Tensor.Scalar(x, DType.Float64)).Item<double>();
}
