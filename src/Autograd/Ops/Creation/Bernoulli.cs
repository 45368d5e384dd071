using System.Globalization;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// 0/1 samples, 1 with probability <c>p[i]</c> (PyTorch's <c>torch.bernoulli(p)</c>), of p's shape and dtype;
    /// p must be floating with every element in [0, 1]. The result carries no gradient.
    /// </summary>
    /// <exception cref="ArgumentException">An element of p is outside [0, 1] (or NaN).</exception>
    /// <exception cref="NotSupportedException">p is not floating.</exception>
    public static Tensor Bernoulli(Tensor p, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!p._dtype.IsFloatingPoint())
        {
            throw NotImplementedFor(p._dtype, "bernoulli_tensor_cpu_p_");
        }

        double[] probabilities = p.ToArray<double>();
        foreach (double value in probabilities)
        {
            if (!(value >= 0 && value <= 1))
            {
                throw new ArgumentException("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)", nameof(p));
            }
        }

        var values = new double[probabilities.Length];
        Draw(generator, g => Kernels.Sampling.Bernoulli(g, probabilities, values));
        return From(values, p._shape).To(p._dtype);
    }

    /// <inheritdoc cref="Bernoulli(Tensor, Generator?)"/>
    public Tensor Bernoulli(Generator? generator = null) => Bernoulli(this, generator);

    /// <summary>
    /// 0/1 samples of <paramref name="x"/>'s shape and dtype, each 1 with probability <paramref name="p"/> (PyTorch's
    /// <c>torch.bernoulli(x, p)</c>); x's values are not used. Any dtype.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="p"/> is outside [0, 1].</exception>
    public static Tensor Bernoulli(Tensor x, double p, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckProbability(p);
        var values = new double[x._count];
        Draw(generator, g => Kernels.Sampling.Bernoulli(g, p, values));
        return From(values, x._shape).To(x._dtype);
    }

    /// <inheritdoc cref="Bernoulli(Tensor, double, Generator?)"/>
    public Tensor Bernoulli(double p, Generator? generator = null) => Bernoulli(this, p, generator);

    private static void CheckProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentException($"bernoulli_ expects p to be in [0, 1], but got p={p.ToString("G", CultureInfo.InvariantCulture)}", nameof(p));
        }
    }
}
