namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Shifts the elements cyclically by <paramref name="shifts"/> places along <paramref name="dim"/>
    /// (PyTorch's <c>roll</c>): <c>out[…, (i + shifts) mod n, …] = x[…, i, …]</c>. Negative shifts go the other way.
    /// </summary>
    /// <param name="shifts">Places to shift by; any integer.</param>
    /// <param name="dim">The dimension to roll along; null rolls the flattened elements and restores the shape.</param>
    /// <returns>A new contiguous tensor.</returns>
    public Tensor Roll(int shifts, int? dim = null) =>
        dim is null ? Roll([shifts], []) : Roll([shifts], [dim.Value]);

    /// <summary>
    /// Rolls along several dimensions at once: by <c>shifts[k]</c> places along <c>dims[k]</c> (PyTorch's <c>roll</c>
    /// with tuples). With no dims and one shift, rolls the flattened elements.
    /// </summary>
    /// <param name="shifts">Places to shift by, one per entry of <paramref name="dims"/>.</param>
    /// <param name="dims">The dimensions to roll along; one may appear more than once (its shifts add up).</param>
    /// <returns>A new contiguous tensor.</returns>
    public Tensor Roll(int[] shifts, int[] dims)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0 && shifts.Length == 1)
        {
            return RollFlat(shifts[0]);
        }

        if (shifts.Length == 0)
        {
            throw new ArgumentException("`shifts` required", nameof(shifts));
        }

        if (shifts.Length != dims.Length)
        {
            throw new ArgumentException($"shifts and dimensions must align. shifts: {shifts.Length}, dims:{dims.Length}", nameof(shifts));
        }

        // Net shift per dimension in [0, n): shifts along a repeated dimension compose by adding.
        long[] net = new long[Rank];
        for (int k = 0; k < dims.Length; k++)
        {
            net[Joining.NormalizeDimOfNonScalar(dims[k], Rank)] += shifts[k];
        }

        var rolled = new List<int>();
        int[] amount = new int[Rank];
        for (int d = 0; d < Rank; d++)
        {
            amount[d] = _shape[d] == 0 ? 0 : (int)(((net[d] % _shape[d]) + _shape[d]) % _shape[d]);
            if (amount[d] != 0)
            {
                rolled.Add(d);
            }
        }

        // Along a rolled dimension of size n by s, source [0, n−s) goes to [s, n) and source [n−s, n) to [0, s).
        // Over k rolled dimensions the output is 2^k blocks, each one strided copy (bit j of the mask picks the
        // segment of the j-th rolled dimension). A rolled dimension has at least 2 elements, so 2^k never exceeds the
        // element count (and k stays below 31).
        int[] strides = Joining.StridesOf(this);
        int[] outStrides = Autograd.Shape.ContiguousStrides(_shape);
        Array data = Joining.Allocate(_dtype, _count);
        int[] block = new int[Rank];
        for (int mask = 0; mask < 1 << rolled.Count; mask++)
        {
            _shape.CopyTo(block, 0);
            int from = _offset, to = 0;
            for (int j = 0; j < rolled.Count; j++)
            {
                int d = rolled[j], n = _shape[d], s = amount[d];
                bool wrapped = (mask & (1 << j)) != 0;
                block[d] = wrapped ? s : n - s;
                from += wrapped ? (n - s) * strides[d] : 0;
                to += wrapped ? 0 : s * outStrides[d];
            }

            Joining.Copy(Storage, from, strides, data, to, outStrides, block);
        }

        Tensor output = Joining.Wrap(data, _dtype, _shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new RollBackward(this, [.. rolled.Select(d => -amount[d])], [.. rolled])) : output;
    }

    /// <summary>Rolls the elements in row-major order, as if flattened, and keeps the shape.</summary>
    private Tensor RollFlat(int shifts)
    {
        int n = _count;
        int s = n == 0 ? 0 : (int)((((long)shifts % n) + n) % n);
        Tensor output;
        if (_dtype == DType.Float32)
        {
            ReadOnlySpan<float> source = ContiguousData();
            output = Backend.Empty(_shape);
            Span<float> data = output.AsSpan();
            source[..(n - s)].CopyTo(data[s..]);
            source[(n - s)..].CopyTo(data);
        }
        else
        {
            // Other dtypes: the same two block copies, from a row-major copy of the elements.
            Tensor flat = ContiguousCopyOfAnyDType();
            Array data = Joining.Allocate(_dtype, n);
            Array.Copy(flat.Storage, 0, data, s, n - s);
            Array.Copy(flat.Storage, n - s, data, 0, s);
            output = Joining.Wrap(data, _dtype, _shape);
        }

        return GradMode.ShouldRecord(this) ? output.WithGradFn(new RollBackward(this, [-s], null)) : output;
    }
}

/// <summary>
/// <c>out = roll(x, shifts, dims)</c>, a cyclic permutation: ∂L/∂x = roll(g, −shifts, dims) (with no dims, of the
/// flattened elements). Nothing is saved.
/// </summary>
internal sealed class RollBackward(Tensor x, int[] shifts, int[]? dims) : Node(x)
{
    protected internal override Tensor?[] Apply(Tensor grad) =>
        [dims is null ? grad.Roll(shifts[0]) : dims.Length == 0 ? grad : grad.Roll(shifts, dims)];
}
