namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Draws <paramref name="numSamples"/> category indices from each row of non-negative weights (PyTorch's
    /// <c>torch.multinomial</c>): category k with probability wₖ/Σw. A 1-d input of C weights gives an int64 vector of
    /// numSamples indices, an N×C input an N×numSamples matrix. Without replacement the indices of a row are distinct
    /// (and numSamples ≤ C); zero-weight categories are drawn only once all positive ones are.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not 1-d or 2-d, a weight is negative, infinite or NaN, a row sums to zero, numSamples is not positive, or exceeds C without replacement.</exception>
    /// <exception cref="NotSupportedException">The input is not floating.</exception>
    public static Tensor Multinomial(Tensor probabilities, int numSamples, bool replacement = false, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Rank is < 1 or > 2)
        {
            throw new ArgumentException("prob_dist must be 1 or 2 dim", nameof(probabilities));
        }

        if (!probabilities._dtype.IsFloatingPoint())
        {
            throw new NotSupportedException($"multinomial only supports floating-point dtypes for input, got: {probabilities._dtype.ScalarTypeName()}");
        }

        if (numSamples <= 0)
        {
            throw new ArgumentException("cannot sample n_sample <= 0 samples", nameof(numSamples));
        }

        int categories = probabilities._shape[^1];
        int rows = probabilities.Rank == 1 ? 1 : probabilities._shape[0];
        if (!replacement && numSamples > categories)
        {
            throw new ArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement", nameof(numSamples));
        }

        double[] weights = probabilities.ToArray<double>();
        CheckMultinomialWeights(weights, rows, categories, fastPath: !replacement || numSamples == 1);
        var values = new long[rows * numSamples];
        Draw(generator, g => Kernels.Sampling.Multinomial(g, weights, rows, categories, numSamples, replacement, values));
        return probabilities.Rank == 1 ? From(values, [numSamples]) : From(values, [rows, numSamples]);
    }

    /// <inheritdoc cref="Multinomial(Tensor, int, bool, Generator?)"/>
    public Tensor Multinomial(int numSamples, bool replacement = false, Generator? generator = null) =>
        Multinomial(this, numSamples, replacement, generator);

    /// <summary>PyTorch's checks, whose messages differ between its no-replacement (or one-sample) path and the other.</summary>
    private static void CheckMultinomialWeights(double[] weights, int rows, int categories, bool fastPath)
    {
        foreach (double w in weights)
        {
            if (fastPath && !(w >= 0 && w < double.PositiveInfinity))
            {
                throw new ArgumentException("probability tensor contains either `inf`, `nan` or element < 0", nameof(weights));
            }

            if (!fastPath && !(w >= 0))
            {
                throw new ArgumentException("invalid multinomial distribution (encountering probability entry < 0)", nameof(weights));
            }

            if (!fastPath && double.IsInfinity(w))
            {
                throw new ArgumentException("invalid multinomial distribution (encountering probability entry = infinity or NaN)", nameof(weights));
            }
        }

        for (int r = 0; r < rows; r++)
        {
            double total = 0;
            for (int k = 0; k < categories; k++)
            {
                total += weights[(r * categories) + k];
            }

            if (!(total > 0))
            {
                throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)", nameof(weights));
            }
        }
    }
}
