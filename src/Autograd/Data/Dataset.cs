namespace Autograd.Data;

/// <summary>A collection of samples with a known size (PyTorch's map-style <c>torch.utils.data.Dataset</c>).</summary>
public interface IDataset
{
    /// <summary>The number of samples (<c>len(dataset)</c>).</summary>
    int Count { get; }
}

/// <summary>A map-style dataset of samples of type <typeparamref name="T"/>: sample <c>i</c> for <c>0 ≤ i &lt; Count</c>.</summary>
/// <typeparam name="T">The sample type, e.g. <c>Tensor[]</c> for (input, target) pairs.</typeparam>
public interface IDataset<out T> : IDataset
{
    /// <summary>Sample <paramref name="index"/> (<c>dataset[index]</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in <c>[0, Count)</c>.</exception>
    T this[int index] { get; }
}

/// <summary>A base class for datasets: override <see cref="Count"/> and the indexer.</summary>
/// <typeparam name="T">The sample type.</typeparam>
public abstract class Dataset<T> : IDataset<T>
{
    /// <inheritdoc/>
    public abstract int Count { get; }

    /// <inheritdoc/>
    public abstract T this[int index] { get; }

    /// <summary>Throws PyTorch's index error unless <paramref name="index"/> is in <c>[0, Count)</c>.</summary>
    protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index {index} is out of bounds for dimension 0 with size {Count}");
        }
    }
}

/// <summary>Dataset helpers (PyTorch's <c>torch.utils.data.random_split</c>) and small adapters.</summary>
public static class Dataset
{
    /// <summary>A dataset over <paramref name="items"/> (sample i is <c>items[i]</c>).</summary>
    public static Dataset<T> FromList<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new FunctionDataset<T>(items.Count, i => items[i]);
    }

    /// <summary>A dataset of <paramref name="count"/> samples computed by <paramref name="getItem"/> when asked for.</summary>
    public static Dataset<T> FromFunction<T>(int count, Func<int, T> getItem)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(getItem);
        return new FunctionDataset<T>(count, getItem);
    }

    /// <summary>
    /// Splits <paramref name="dataset"/> into non-overlapping subsets of the given lengths (PyTorch's <c>random_split</c>):
    /// a random permutation of <c>0 … Count−1</c> from <paramref name="generator"/> is cut into consecutive pieces.
    /// </summary>
    /// <param name="dataset">The dataset to split.</param>
    /// <param name="lengths">The subset sizes; they must add up to <c>dataset.Count</c>.</param>
    /// <param name="generator">The generator for the permutation; null for the default one (see <see cref="Tensor.ManualSeed"/>).</param>
    /// <exception cref="ArgumentException">The lengths do not add up to the dataset's size, or one is negative.</exception>
    public static Subset<T>[] RandomSplit<T>(IDataset<T> dataset, int[] lengths, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lengths);
        long sum = 0;
        foreach (int length in lengths)
        {
            if (length < 0)
            {
                throw new ArgumentException($"Length {length} of a split is negative.", nameof(lengths));
            }

            sum += length;
        }

        if (sum != dataset.Count)
        {
            throw new ArgumentException("Sum of input lengths does not equal the length of the input dataset!", nameof(lengths));
        }

        int[] permutation = Permutation(dataset.Count, generator);
        var subsets = new Subset<T>[lengths.Length];
        int offset = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            subsets[i] = new Subset<T>(dataset, permutation.AsSpan(offset, lengths[i]).ToArray());
            offset += lengths[i];
        }

        return subsets;
    }

    /// <summary>
    /// Splits <paramref name="dataset"/> by fractions that add up to 1 (PyTorch's <c>random_split</c> with fractions): split
    /// <c>i</c> gets <c>⌊Count · fractionᵢ⌋</c> samples, and the remaining samples go one each to splits 0, 1, … in turn.
    /// </summary>
    /// <exception cref="ArgumentException">A fraction is outside [0, 1], or they do not add up to 1.</exception>
    public static Subset<T>[] RandomSplit<T>(IDataset<T> dataset, double[] fractions, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fractions);
        double total = 0;
        for (int i = 0; i < fractions.Length; i++)
        {
            if (!(fractions[i] >= 0 && fractions[i] <= 1))
            {
                throw new ArgumentException($"Fraction at index {i} is not between 0 and 1", nameof(fractions));
            }

            total += fractions[i];
        }

        if (Math.Abs(total - 1) > 1e-9 || total > 1 + 1e-9)
        {
            throw new ArgumentException("Sum of input lengths does not equal the length of the input dataset!", nameof(fractions));
        }

        var lengths = new int[fractions.Length];
        int assigned = 0;
        for (int i = 0; i < fractions.Length; i++)
        {
            lengths[i] = (int)Math.Floor(dataset.Count * fractions[i]);
            assigned += lengths[i];
        }

        for (int i = 0; assigned < dataset.Count; i = (i + 1) % lengths.Length)
        {
            lengths[i]++;
            assigned++;
        }

        return RandomSplit(dataset, lengths, generator);
    }

    /// <summary>A uniformly random permutation of <c>0 … n−1</c> (Fisher–Yates) drawn from <paramref name="generator"/> or the locked default.</summary>
    internal static int[] Permutation(int n, Generator? generator)
    {
        var permutation = new int[n];
        for (int i = 0; i < n; i++)
        {
            permutation[i] = i;
        }

        Generator g = generator ?? Generator.Default;
        lock (g)
        {
            for (int i = n - 1; i > 0; i--)
            {
                int j = g.NextInt(i + 1);
                (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
            }
        }

        return permutation;
    }

    private sealed class FunctionDataset<T>(int count, Func<int, T> getItem) : Dataset<T>
    {
        public override int Count => count;

        public override T this[int index]
        {
            get
            {
                CheckIndex(index);
                return getItem(index);
            }
        }
    }
}

/// <summary>The samples of <see cref="Dataset"/> at <see cref="Indices"/> (PyTorch's <c>torch.utils.data.Subset</c>).</summary>
/// <typeparam name="T">The sample type.</typeparam>
public sealed class Subset<T> : Dataset<T>
{
    private readonly int[] _indices;

    /// <summary>A view of <paramref name="dataset"/> whose sample <c>i</c> is <c>dataset[indices[i]]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset.</exception>
    public Subset(IDataset<T> dataset, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        _indices = [.. indices];
        foreach (int index in _indices)
        {
            if ((uint)index >= (uint)dataset.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"index {index} is out of bounds for dimension 0 with size {dataset.Count}");
            }
        }

        Dataset = dataset;
    }

    /// <summary>The underlying dataset.</summary>
    public IDataset<T> Dataset { get; }

    /// <summary>The indices into <see cref="Dataset"/>, in this subset's order.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <inheritdoc/>
    public override int Count => _indices.Length;

    /// <inheritdoc/>
    public override T this[int index]
    {
        get
        {
            CheckIndex(index);
            return Dataset[_indices[index]];
        }
    }
}

/// <summary>
/// Samples that are slices of tensors along their first dimension (PyTorch's <c>TensorDataset</c>): sample <c>i</c> is
/// <c>[t[i] for t in tensors]</c>, e.g. an (input, target) pair.
/// </summary>
public sealed class TensorDataset : Dataset<Tensor[]>
{
    private readonly Tensor[] _tensors;

    /// <summary>A dataset over <paramref name="tensors"/>, which must all have the same size in dimension 0.</summary>
    /// <exception cref="ArgumentException">No tensors, a 0-d tensor, or sizes that differ in dimension 0.</exception>
    public TensorDataset(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0)
        {
            throw new ArgumentException("TensorDataset needs at least one tensor.", nameof(tensors));
        }

        foreach (Tensor t in tensors)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(tensors));
            if (t.Rank == 0 || t.Shape[0] != tensors[0].Shape[0] || tensors[0].Rank == 0)
            {
                throw new ArgumentException("Size mismatch between tensors", nameof(tensors));
            }
        }

        _tensors = [.. tensors];
    }

    /// <summary>The tensors, as given.</summary>
    public IReadOnlyList<Tensor> Tensors => _tensors;

    /// <inheritdoc/>
    public override int Count => _tensors[0].Shape[0];

    /// <summary>Row <paramref name="index"/> of every tensor (views of their storage).</summary>
    public override Tensor[] this[int index]
    {
        get
        {
            CheckIndex(index);
            var item = new Tensor[_tensors.Length];
            for (int i = 0; i < item.Length; i++)
            {
                item[i] = _tensors[i].Select(0, index);
            }

            return item;
        }
    }
}
