namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Tiles this tensor: dimension d of the result is <c>repeats[d]</c> copies of dimension d laid end to end
    /// (PyTorch's <c>repeat</c>). Extra leading repeats add new leading dimensions, as if the shape were padded with 1s.
    /// </summary>
    /// <param name="repeats">How many times to repeat along each dimension; at least as many as this tensor's rank, none negative.</param>
    /// <returns>A new contiguous tensor (unlike <see cref="Expand"/>, which is a view).</returns>
    public Tensor Repeat(params ReadOnlySpan<int> repeats)
    {
        if (repeats.Length < Rank)
        {
            throw new ArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor", nameof(repeats));
        }

        // The input as a [1, …, 1] + shape tensor of rank k; a padded dimension is read with stride 0.
        int k = repeats.Length, lead = k - Rank;
        int[] inStrides = Joining.StridesOf(this);
        int[] padded = new int[k], paddedStrides = new int[k], shape = new int[k];
        for (int d = 0; d < k; d++)
        {
            padded[d] = d < lead ? 1 : _shape[d - lead];
            paddedStrides[d] = d < lead ? 0 : inStrides[d - lead];
            shape[d] = SizeOf((long)repeats[d] * padded[d]);
        }

        int[] dims = Autograd.Shape.Validate(shape, nameof(repeats));

        // Output dimension d, of stride D, read as the pair (tile r < repeats[d], index p < padded[d]): offset
        // r·padded[d]·D + p·D. The source is read with stride 0 over r and its own stride over p: one strided copy.
        int[] outStrides = Autograd.Shape.ContiguousStrides(dims);
        int[] pairs = new int[2 * k], from = new int[2 * k], to = new int[2 * k];
        for (int d = 0; d < k; d++)
        {
            (pairs[2 * d], pairs[(2 * d) + 1]) = (repeats[d], padded[d]);
            (from[2 * d], from[(2 * d) + 1]) = (0, paddedStrides[d]);
            (to[2 * d], to[(2 * d) + 1]) = (padded[d] * outStrides[d], outStrides[d]);
        }

        Array data = Joining.Allocate(_dtype, Autograd.Shape.ElementCountOf(dims));
        Joining.Copy(Storage, _offset, from, data, 0, to, pairs);
        Tensor output = Joining.Wrap(data, _dtype, dims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new RepeatBackward(this, repeats, padded)) : output;
    }

    /// <summary>
    /// Repeats each element <paramref name="repeats"/> times in place along <paramref name="dim"/>
    /// (PyTorch's <c>repeat_interleave</c> with an integer count): <c>[a, b]</c> with 2 repeats is <c>[a, a, b, b]</c>.
    /// </summary>
    /// <param name="repeats">How many copies of each element; not negative.</param>
    /// <param name="dim">The dimension to repeat along; null flattens the tensor first and returns a 1-d result.</param>
    /// <returns>A new contiguous tensor.</returns>
    public Tensor RepeatInterleave(int repeats, int? dim = null)
    {
        if (repeats < 0)
        {
            throw new ArgumentException("repeats can not be negative", nameof(repeats));
        }

        if (dim is null)
        {
            return Reshape(-1).RepeatInterleave(repeats, 0);
        }

        int d = Joining.NormalizeDimOfNonScalar(dim.Value, Rank);

        // Read the input as shape[..d] + [n, repeats] + shape[d+1..], with stride 0 over the repeats, into a
        // contiguous array: that is the result, whose dimension d has n·repeats elements.
        int[] pairs = Joining.With(_shape, d + 1, repeats);
        int[] from = Joining.With(Joining.StridesOf(this), d + 1, 0);
        int[] shape = (int[])_shape.Clone();
        shape[d] = SizeOf((long)shape[d] * repeats);
        int[] dims = Autograd.Shape.Validate(shape);
        Array data = Joining.Allocate(_dtype, Autograd.Shape.ElementCountOf(dims));
        Joining.Copy(Storage, _offset, from, data, 0, Autograd.Shape.ContiguousStrides(pairs), pairs);
        Tensor output = Joining.Wrap(data, _dtype, dims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new RepeatInterleaveBackward(this, d, pairs)) : output;
    }

    /// <summary>A dimension's size computed in 64 bits, refused when no tensor could hold it (negative ones are left to Shape.Validate).</summary>
    private static int SizeOf(long size, string paramName = "repeats") =>
        size <= Array.MaxLength ? (int)size : throw new ArgumentException($"A dimension of {size} elements is more than a tensor can hold ({Array.MaxLength}).", paramName);
}

/// <summary>
/// <c>out = repeat(x, r)</c>: out[(t₀·p₀ + i₀), …] = x[i] for every tile t, with p the shape of x padded with leading 1s
/// to the rank of r. Each x[i] appears once in every tile, so ∂L/∂x[i] = Σₜ g[t·p + i]: view g as
/// [r₀, p₀, r₁, p₁, …], sum the tile dimensions, reshape to x's shape. Nothing is saved.
/// </summary>
internal sealed class RepeatBackward(Tensor x, ReadOnlySpan<int> repeats, int[] padded) : Node(x)
{
    private readonly int[] _pairs = Interleave(repeats, padded);
    private readonly int[] _summed = Interleave(null, padded);

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [grad.Reshape(_pairs).SumTo(_summed).Reshape(InputShape(0))];

    /// <summary>[r₀, p₀, r₁, p₁, …], with every r = 1 when <paramref name="repeats"/> is empty.</summary>
    private static int[] Interleave(ReadOnlySpan<int> repeats, int[] padded)
    {
        int[] result = new int[2 * padded.Length];
        for (int d = 0; d < padded.Length; d++)
        {
            result[2 * d] = repeats.IsEmpty ? 1 : repeats[d];
            result[(2 * d) + 1] = padded[d];
        }

        return result;
    }
}

/// <summary>
/// <c>out = repeat_interleave(x, r, dim)</c>: out[…, i·r + j, …] = x[…, i, …] for j &lt; r, so
/// ∂L/∂x[…, i, …] = Σⱼ g[…, i·r + j, …]: view g as [.., n, r, ..] and sum over the r dimension. Nothing is saved.
/// </summary>
internal sealed class RepeatInterleaveBackward(Tensor x, int dim, int[] pairs) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Reshape(pairs).Sum(dim + 1)];
}
