namespace Autograd;

/// <summary>
/// PyTorch's advanced indexing (<c>x[t₀, t₁, …]</c> with index tensors): masks become the indices of their true
/// elements, the index tensors broadcast to one shape B, and the result has B in place of the indexed dimensions
/// when those are adjacent, or B first when they are separated by a whole dimension (NumPy's rule, which PyTorch follows).
/// </summary>
internal static class AdvancedIndex
{
    /// <summary>The result's shape and, for each of its elements, the storage offset it reads from (or is written to).</summary>
    internal readonly record struct Plan(int[] Shape, int[] Offsets);

    /// <summary>Validates <paramref name="indices"/> against <paramref name="self"/> and computes the offsets into its storage.</summary>
    internal static Plan Build(Tensor self, Tensor?[] indices)
    {
        // 1. One entry per dimension: null (whole) or the int64 values with their shape; masks expand to several.
        var perDim = new List<(long[] Values, int[] Shape)?>();
        foreach (Tensor? index in indices)
        {
            if (index is null)
            {
                perDim.Add(null);
            }
            else if (index._dtype == DType.Bool)
            {
                int at = perDim.Count;
                for (int j = 0; j < index.Rank; j++)
                {
                    if (at + j >= self.Rank || index._shape[j] != self._shape[at + j])
                    {
                        throw new ArgumentOutOfRangeException(nameof(indices),
                            $"The shape of the mask {index.Shape} at index {j} does not match the shape of the indexed tensor {self.Shape} at index {at + j}");
                    }
                }

                foreach (long[] coordinates in MaskIndices(index))
                {
                    perDim.Add((coordinates, [coordinates.Length]));
                }
            }
            else if (index._dtype == DType.Int64)
            {
                perDim.Add((index.ToArray<long>(), index._shape));
            }
            else
            {
                throw new ArgumentException("tensors used as indices must be long, byte or bool tensors", nameof(indices));
            }
        }

        if (perDim.Count > self.Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(indices), $"too many indices for tensor of dimension {self.Rank} (got {perDim.Count})");
        }

        // 2. Broadcast the index shapes; find where the advanced dimensions are.
        int[]? broadcast = null;
        var advanced = new List<int>();
        for (int d = 0; d < perDim.Count; d++)
        {
            if (perDim[d] is { } entry)
            {
                advanced.Add(d);
                broadcast = broadcast is null ? entry.Shape : TryBroadcast(broadcast, entry.Shape) ?? throw ShapeMismatch(perDim);
            }
        }

        int[] strides = Joining.StridesOf(self);
        if (broadcast is null)
        {
            int[] all = (int[])self._shape.Clone();
            return new Plan(all, Kernels.Indexing.StridedOffsets(all, strides, self._offset));
        }

        // 3. Validate every index, then the offset of each broadcast position: Σ over advanced d of wrap(idx_d)·stride_d.
        // PyTorch's message numbers the dimension among the indexed ones (x[:, t] with t out of range says "dimension 0").
        for (int k = 0; k < advanced.Count; k++)
        {
            IndexingCommon.CheckBounds(perDim[advanced[k]]!.Value.Values, self._shape[advanced[k]], k, wrap: true, nameof(indices));
        }

        int blockSize = Shape.ElementCountOf(broadcast);
        var blockOffsets = new int[blockSize];
        foreach (int d in advanced)
        {
            (long[] values, int[] shape) = perDim[d]!.Value;
            int[] at = Kernels.Indexing.StridedOffsets(broadcast, Broadcasting.ExpandedStrides(shape, Shape.ContiguousStrides(shape), broadcast), 0);
            int size = self._shape[d];
            for (int b = 0; b < blockSize; b++)
            {
                long i = values[at[b]];
                blockOffsets[b] += (int)((i < 0 ? i + size : i) * strides[d]);
            }
        }

        // 4. The result's dimensions: the block in place of adjacent advanced dimensions, else first.
        bool adjacent = advanced[^1] - advanced[0] == advanced.Count - 1;
        var sizes = new List<int>();
        var walk = new List<int>();
        var shapeOut = new List<int>();
        if (!adjacent)
        {
            sizes.Add(blockSize);
            walk.Add(int.MinValue);
            shapeOut.AddRange(broadcast);
        }

        for (int d = 0; d < self.Rank; d++)
        {
            if (d < perDim.Count && perDim[d] is not null)
            {
                if (adjacent && d == advanced[0])
                {
                    sizes.Add(blockSize);
                    walk.Add(int.MinValue);
                    shapeOut.AddRange(broadcast);
                }

                continue;
            }

            sizes.Add(self._shape[d]);
            walk.Add(strides[d]);
            shapeOut.Add(self._shape[d]);
        }

        int[] offsets = Kernels.Indexing.Advanced([.. sizes], [.. walk], self._offset, blockOffsets);
        return new Plan([.. shapeOut], offsets);
    }

    /// <summary>
    /// Writes <paramref name="values"/> (converted by the caller to the target's dtype, broadcast to the indexing
    /// result) into <paramref name="target"/>'s storage at <paramref name="indices"/>; everything is validated first.
    /// </summary>
    internal static void Put(Tensor target, Tensor?[] indices, Tensor values, bool accumulate, Action? beforeWrite = null)
    {
        Plan plan = Build(target, indices);
        if (!Broadcasting.CanSumTo(plan.Shape, values._shape))
        {
            throw new ArgumentException(
                $"shape mismatch: value tensor of shape {values.Shape} cannot be broadcast to indexing result of shape {Shape.Format(plan.Shape)}", nameof(values));
        }

        // Values read from the memory being written (x[i] = x[1:]) would depend on the order of the writes: PyTorch
        // refuses them (assert_no_overlap), and so does this.
        if (ReferenceEquals(values.Storage, target.Storage) && Overlap(target, values))
        {
            throw new InvalidOperationException(
                "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.");
        }

        int[] from = IndexingCommon.OffsetsAs(values, plan.Shape);
        beforeWrite?.Invoke();
        Kernels.Indexing.Put(target.Storage, plan.Offsets, values.Storage, from, accumulate);
    }

    /// <summary>Whether the storage ranges spanned by two non-empty views of one storage intersect.</summary>
    private static bool Overlap(Tensor a, Tensor b)
    {
        if (a._count == 0 || b._count == 0)
        {
            return false;
        }

        (int aLow, int aHigh) = Span(a);
        (int bLow, int bHigh) = Span(b);
        return aLow <= bHigh && bLow <= aHigh;

        static (int Low, int High) Span(Tensor t)
        {
            int low = t._offset, high = t._offset;
            int[] strides = Joining.StridesOf(t);
            for (int d = 0; d < t.Rank; d++)
            {
                int reach = (t._shape[d] - 1) * strides[d];
                low += Math.Min(reach, 0);
                high += Math.Max(reach, 0);
            }

            return (low, high);
        }
    }

    /// <summary>
    /// The coordinates of the true elements of <paramref name="mask"/>, one array per dimension, in row-major order
    /// (what PyTorch's <c>nonzero</c> gives, transposed).
    /// </summary>
    internal static long[][] MaskIndices(Tensor mask)
    {
        bool[] flags = mask.ToArray<bool>();
        int count = 0;
        foreach (bool f in flags)
        {
            count += f ? 1 : 0;
        }

        int rank = mask.Rank;
        var result = new long[rank][];
        for (int d = 0; d < rank; d++)
        {
            result[d] = new long[count];
        }

        int[] strides = Shape.ContiguousStrides(mask._shape);
        for (int i = 0, k = 0; i < flags.Length; i++)
        {
            if (flags[i])
            {
                for (int d = 0; d < rank; d++)
                {
                    result[d][k] = i / strides[d] % mask._shape[d];
                }

                k++;
            }
        }

        return result;
    }

    private static int[]? TryBroadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int x = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int y = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (x != y && x != 1 && y != 1)
            {
                return null;
            }

            result[i] = x == 1 ? y : x;
        }

        return result;
    }

    private static ArgumentException ShapeMismatch(List<(long[] Values, int[] Shape)?> perDim) =>
        new("shape mismatch: indexing tensors could not be broadcast together with shapes " +
            string.Join(", ", perDim.Where(e => e is not null).Select(e => Shape.Format(e!.Value.Shape))));
}
