namespace Autograd.Kernels;

/// <summary>
/// The sampling kernels behind the random creation ops (randint, randperm, multinomial, bernoulli, exponential) and
/// one_hot. They draw from a <see cref="Generator"/> (the library's xoshiro128** stream, not PyTorch's) in element
/// order, so the same seed gives the same values.
/// </summary>
internal static class Sampling
{
    /// <summary>Uniform integers in [<paramref name="low"/>, <paramref name="high"/>), unbiased (<c>high &gt; low</c>).</summary>
    internal static void Randint(Generator generator, Span<long> destination, long low, long high)
    {
        ulong range = (ulong)(high - low);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = low + (long)generator.NextBelow(range);
        }
    }

    /// <summary>A uniformly random permutation of 0 … n−1 (Fisher–Yates: position i swaps with a uniform j ≤ i).</summary>
    internal static void Permutation(Generator generator, Span<long> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = i;
        }

        for (int i = destination.Length - 1; i > 0; i--)
        {
            int j = (int)generator.NextBelow((ulong)i + 1);
            (destination[i], destination[j]) = (destination[j], destination[i]);
        }
    }

    /// <summary>
    /// Draws <paramref name="samples"/> category indices per row of the non-negative weights
    /// <paramref name="weights"/> (<paramref name="rows"/> × <paramref name="categories"/>, each row with a positive
    /// sum). With replacement each draw inverts the cumulative sum at <c>u · total</c>; without, the categories are
    /// ordered by <c>wₖ / Eₖ</c> with Eₖ ~ Exp(1) and the first ones taken (the exponential-race form of sequential
    /// sampling without replacement that PyTorch uses: category k wins the race with probability wₖ/Σw, then the rest
    /// race again), so zero-weight categories come only after all positive ones.
    /// </summary>
    internal static void Multinomial(Generator generator, ReadOnlySpan<double> weights, int rows, int categories, int samples, bool replacement, Span<long> destination)
    {
        var cumulative = new double[categories];
        var keys = new double[categories];
        var order = new int[categories];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = weights.Slice(r * categories, categories);
            Span<long> output = destination.Slice(r * samples, samples);
            if (replacement)
            {
                double total = 0;
                for (int k = 0; k < categories; k++)
                {
                    total += row[k];
                    cumulative[k] = total;
                }

                for (int s = 0; s < samples; s++)
                {
                    double target = generator.NextDouble() * total;
                    int k = UpperBound(cumulative, target);
                    while (k > 0 && row[k] == 0)
                    {
                        k--;   // rounding at the top of the cumulative sum must not land on a zero-weight category
                    }

                    output[s] = k;
                }

                continue;
            }

            for (int k = 0; k < categories; k++)
            {
                double exponential = -Math.Log(1 - generator.NextDouble());
                keys[k] = row[k] / exponential;
                order[k] = k;
            }

            Array.Sort(order, (a, b) => keys[b] != keys[a] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
            for (int s = 0; s < samples; s++)
            {
                output[s] = order[s];
            }
        }
    }

    /// <summary>The first index whose cumulative weight exceeds <paramref name="target"/> (the last index if none does).</summary>
    private static int UpperBound(double[] cumulative, double target)
    {
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (cumulative[middle] > target)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary><c>out[i] = 1 if u &lt; p[i] else 0</c> with u uniform in [0, 1) (53 bits): 1 with probability p[i].</summary>
    internal static void Bernoulli(Generator generator, ReadOnlySpan<double> probabilities, Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = generator.NextDouble() < probabilities[i] ? 1 : 0;
        }
    }

    /// <summary><c>out[i] = 1 if u &lt; p else 0</c>: 1 with probability <paramref name="probability"/>.</summary>
    internal static void Bernoulli(Generator generator, double probability, Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = generator.NextDouble() < probability ? 1 : 0;
        }
    }

    /// <summary>
    /// Exponential samples with rate λ by inversion: <c>−ln(1 − u)/λ</c>, u uniform in [0, 1) (53 bits), so the
    /// density is λ·e^(−λx); λ = 0 gives +∞ as in PyTorch.
    /// </summary>
    internal static void Exponential(Generator generator, double lambda, Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            double u = generator.NextDouble();
            destination[i] = lambda == 0 ? double.PositiveInfinity : -Math.Log(1 - u) / lambda;
        }
    }

    /// <summary>
    /// one_hot: row i of the <paramref name="classes"/>-wide output is 1 at <c>values[i]</c> and 0 elsewhere
    /// (the values were checked to lie in [0, classes)).
    /// </summary>
    internal static long[] OneHot(ReadOnlySpan<long> values, int classes)
    {
        var output = new long[values.Length * classes];
        for (int i = 0; i < values.Length; i++)
        {
            output[(i * classes) + (int)values[i]] = 1;
        }

        return output;
    }
}
