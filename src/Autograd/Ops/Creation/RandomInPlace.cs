using System.Globalization;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// In place: fills with uniform samples in [<paramref name="from"/>, <paramref name="to"/>) (PyTorch's
    /// <c>uniform_</c>) and returns this tensor. Floating dtypes only. As PyTorch, a recorded fill passes zero
    /// gradient to the old values.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> &gt; <paramref name="to"/>.</exception>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        RequireFloatingForRandom(_dtype, "check_uniform_bounds");
        if (from > to)
        {
            throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={Format(from)} > to={Format(to)}", nameof(from));
        }

        CopyFrom(Uniform(_shape, from, to, _dtype, false, generator));
        return this;
    }

    /// <summary>In place: fills with normal samples <c>mean + std·z</c> (PyTorch's <c>normal_</c>) and returns this tensor. Floating dtypes only.</summary>
    /// <exception cref="ArgumentException"><paramref name="std"/> is negative.</exception>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        RequireFloatingForRandom(_dtype, "normal_kernel_cpu");
        CopyFrom(Normal(mean, std, _shape, _dtype, false, generator));
        return this;
    }

    /// <summary>In place: fills with 0/1 samples, 1 with probability <paramref name="p"/> (PyTorch's <c>bernoulli_(p)</c>), and returns this tensor. Any dtype.</summary>
    /// <exception cref="ArgumentException"><paramref name="p"/> is outside [0, 1].</exception>
    public Tensor Bernoulli_(double p = 0.5, Generator? generator = null)
    {
        CopyFrom(Bernoulli(this, p, generator));
        return this;
    }

    /// <summary>
    /// In place: element i becomes 1 with probability <c>p[i]</c>, else 0, with p broadcast to this shape (PyTorch's
    /// <c>bernoulli_(p)</c> with a tensor), and returns this tensor.
    /// </summary>
    /// <exception cref="ArgumentException">An element of p is outside [0, 1].</exception>
    public Tensor Bernoulli_(Tensor p, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        Tensor probabilities;
        using (GradMode.NoGrad())
        {
            probabilities = p.Expand(_shape).Contiguous();
        }

        CopyFrom(Bernoulli(probabilities, generator));
        return this;
    }

    /// <summary>
    /// In place: fills with exponential samples of rate λ = <paramref name="lambd"/>, density λ·e^(−λx) (PyTorch's
    /// <c>exponential_</c>), and returns this tensor; λ = 0 gives +∞. Floating dtypes only; float64 draws in double.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="lambd"/> is negative.</exception>
    public Tensor Exponential_(double lambd = 1, Generator? generator = null)
    {
        RequireFloatingForRandom(_dtype, "exponential_cpu");
        if (!(lambd >= 0))
        {
            throw new ArgumentException($"exponential_ expects lambda >= 0.0, but found lambda={Format(lambd)}", nameof(lambd));
        }

        var values = new double[_count];
        Draw(generator, g => Kernels.Sampling.Exponential(g, lambd, values));
        CopyFrom(From(values, _shape).To(_dtype));
        return this;
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
