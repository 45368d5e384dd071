namespace Autograd.NN;

/// <summary>Channel-wise and self-normalising dropout (PyTorch's <c>F.dropout2d</c>, <c>F.alpha_dropout</c>).</summary>
public static partial class Functional
{
    /// <summary>The constant α·λ of SELU that alpha dropout keeps the mean and variance of (PyTorch's 1.7580993408473766).</summary>
    private const double AlphaDropoutAlpha = 1.7580993408473766;

    /// <summary>
    /// Channel-wise dropout: in training, each channel of [N, C, *] input (every element of <c>x[n, c]</c>) is zeroed
    /// with probability <paramref name="p"/> and the kept channels scaled by 1/(1 − p); the identity otherwise. As
    /// PyTorch 1.13, a 3-d input is read as [N, C, L].
    /// </summary>
    public static Tensor Dropout2d(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckDropoutProbability(p);
        if (input.Rank < 2)
        {
            throw new ArgumentException("Feature dropout requires at least 2 dimensions in the input", nameof(input));
        }

        if (!training || p == 0)
        {
            return input;
        }

        if (p == 1)
        {
            return input * Tensor.Scalar(0, input.DType);
        }

        int[] maskShape = new int[input.Rank];
        Array.Fill(maskShape, 1);
        maskShape[0] = input.Shape[0];
        maskShape[1] = input.Shape[1];
        return input * (KeepMask(maskShape, p, input.DType, generator) / (1 - p));
    }

    /// <summary>
    /// Alpha dropout (for SELU networks): in training, each element is kept with probability 1 − p, a dropped one set to
    /// the SELU saturation −α', and the result shifted and scaled to keep zero mean and unit variance:
    /// <c>y = a·(x·m + α'·(m − 1)) + α'·a·p</c> with m the keep mask and <c>a = 1/√((α'²·p + 1)(1 − p))</c>, α' =
    /// 1.7580993408473766 (PyTorch's). The identity when not training (PyTorch's default).
    /// </summary>
    public static Tensor AlphaDropout(Tensor input, double p = 0.5, bool training = false, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckDropoutProbability(p);
        if (!training || p == 0)
        {
            return input;
        }

        if (p == 1)
        {
            return input * Tensor.Scalar(0, input.DType);
        }

        double a = 1 / Math.Sqrt(((AlphaDropoutAlpha * AlphaDropoutAlpha * p) + 1) * (1 - p));
        Tensor keep = KeepMask(input.Shape.ToArray(), p, input.DType, generator);
        Tensor shift = ((keep - 1.0) * (AlphaDropoutAlpha * a)) + (AlphaDropoutAlpha * a * p);
        return (input * (keep * a)) + shift;
    }

    private static void CheckDropoutProbability(double p)
    {
        if (!(p is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), FormattableString.Invariant($"dropout probability has to be between 0 and 1, but got {p}"));
        }
    }

    /// <summary>1 with probability 1 − p, else 0, in <paramref name="dtype"/> (no gradient).</summary>
    private static Tensor KeepMask(int[] shape, double p, DType dtype, Generator? generator)
    {
        using (GradMode.NoGrad())
        {
            return Tensor.Rand(shape, dtype == DType.Float64 ? DType.Float64 : DType.Float32, generator: generator).Ge(p).ConvertedTo(dtype);
        }
    }
}
