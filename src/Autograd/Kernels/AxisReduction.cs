using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>
/// How a reduction reads its input: as a row-major <c>[Outer, Size, Inner]</c> block (after <see cref="Permutation"/>
/// when the reduced dimensions are not adjacent), reducing the middle axis.
/// </summary>
/// <param name="Reduced">Per input dimension, whether it is reduced.</param>
/// <param name="Kept">The output shape with the reduced dimensions kept as 1.</param>
/// <param name="Dropped">The output shape with the reduced dimensions removed.</param>
/// <param name="Outer">The product of the sizes before the reduced block.</param>
/// <param name="Size">The number of elements reduced into each output element.</param>
/// <param name="Inner">The product of the sizes after the reduced block (1 after a permutation).</param>
/// <param name="Permutation">Kept dimensions then reduced ones, or null when the input is read in its own order.</param>
internal sealed record ReductionPlan(bool[] Reduced, int[] Kept, int[] Dropped, int Outer, int Size, int Inner, int[]? Permutation)
{
    /// <summary>The output shape for <paramref name="keepDim"/>.</summary>
    internal int[] Output(bool keepDim) => keepDim ? Kept : Dropped;
}

/// <summary>Which elementwise-associative reduction <c>AxisReduction.Values</c> computes.</summary>
internal enum ReduceKind
{
    Sum,
    Prod,
    Max,
    Min,
}

/// <summary>Which cumulative scan <see cref="AxisReduction.Scan"/> computes.</summary>
internal enum ScanKind
{
    Sum,
    Prod,
}

/// <summary>Which per-slice selection <see cref="AxisReduction.Select"/> computes (all return int64 indices into the slice).</summary>
internal enum SelectKind
{
    /// <summary>The whole slice's order (sort; NaN sorts as the largest value, ties keep their order).</summary>
    Sort,

    /// <summary>The first k of the sorted order.</summary>
    TopK,

    /// <summary>The k-th smallest (1-based k), PyTorch's kthvalue.</summary>
    Kth,

    /// <summary>The lower median (the ((n−1)/2)-th smallest); the first NaN when the slice holds one.</summary>
    Median,

    /// <summary>The most frequent value (the smallest of equally frequent ones), at its last occurrence.</summary>
    Mode,

    /// <summary>Running maximum's index (a tie or a NaN moves it to the later element), PyTorch's cummax.</summary>
    CumMax,

    /// <summary>Running minimum's index, PyTorch's cummin.</summary>
    CumMin,
}

/// <summary>
/// Reductions over any set of dimensions, for float32, float64, int64 and int32. Contiguous rows go to
/// <see cref="TensorPrimitives"/> whole: a reduction over the innermost block reduces each row with one span call
/// (Sum/Product/Max/Min); a reduction over an outer block combines whole rows elementwise (Add/Multiply/Max/Min) into
/// the destination, so neither reads the input with a stride.
/// </summary>
internal static class AxisReduction
{
    /// <summary>
    /// The plan for reducing <paramref name="shape"/> over <paramref name="dims"/> (null: all of them). A 0-d tensor
    /// takes dim 0 or −1. Repeated dims raise PyTorch's error.
    /// </summary>
    internal static ReductionPlan Plan(int[] shape, ReadOnlySpan<int> dims, bool all)
    {
        int rank = shape.Length;
        var reduced = new bool[rank];
        if (all)
        {
            reduced.AsSpan().Fill(true);
        }
        else
        {
            foreach (int dim in dims)
            {
                int d = Shape.NormalizeDim(dim, rank);
                if (rank == 0)
                {
                    continue;
                }

                if (reduced[d])
                {
                    throw new ArgumentException($"dim {d} appears multiple times in the list of dims", nameof(dims));
                }

                reduced[d] = true;
            }
        }

        var kept = new int[rank];
        var dropped = new List<int>(rank);
        for (int d = 0; d < rank; d++)
        {
            kept[d] = reduced[d] ? 1 : shape[d];
            if (!reduced[d])
            {
                dropped.Add(shape[d]);
            }
        }

        // Size-1 dimensions do not affect the layout: the reduced block is the span of the reduced dims larger than 1.
        int first = -1, last = -1;
        bool adjacent = true;
        for (int d = 0; d < rank; d++)
        {
            if (shape[d] == 1)
            {
                continue;
            }

            if (reduced[d])
            {
                if (first >= 0 && last < d - 1)
                {
                    for (int e = last + 1; e < d; e++)
                    {
                        adjacent &= shape[e] == 1;
                    }
                }

                first = first < 0 ? d : first;
                last = d;
            }
        }

        int size = 1;
        for (int d = 0; d < rank; d++)
        {
            size *= reduced[d] ? shape[d] : 1;
        }

        int outputCount = Shape.ElementCountOf(kept);
        if (first < 0)
        {
            return new ReductionPlan(reduced, kept, [.. dropped], outputCount, size, 1, null);
        }

        if (adjacent)
        {
            int outer = 1, inner = 1;
            for (int d = 0; d < first; d++)
            {
                outer *= shape[d];
            }

            for (int d = last + 1; d < rank; d++)
            {
                inner *= shape[d];
            }

            return new ReductionPlan(reduced, kept, [.. dropped], outer, size, inner, null);
        }

        int[] permutation = [.. Enumerable.Range(0, rank).Where(d => !reduced[d]), .. Enumerable.Range(0, rank).Where(d => reduced[d])];
        return new ReductionPlan(reduced, kept, [.. dropped], outputCount, size, 1, permutation);
    }

    /// <summary>The plan for one dimension (<see cref="Plan(int[], ReadOnlySpan{int}, bool)"/>).</summary>
    internal static ReductionPlan Plan(int[] shape, int dim) => Plan(shape, [dim], all: false);

    /// <summary>
    /// Σ, Π, max or min of <paramref name="x"/> (read as <paramref name="dtype"/>, one of float32, float64, int64,
    /// int32) over the plan's reduced block; an empty block gives Σ = 0, Π = 1 (max and min are refused by the caller).
    /// </summary>
    internal static Tensor Values(Tensor x, ReductionPlan plan, ReduceKind kind, DType dtype, bool keepDim) =>
        Values(x, plan, kind, dtype, plan.Output(keepDim));

    /// <summary>As <see cref="Values(Tensor, ReductionPlan, ReduceKind, DType, bool)"/>, shaped as <paramref name="shape"/> (of the same element count).</summary>
    internal static Tensor Values(Tensor x, ReductionPlan plan, ReduceKind kind, DType dtype, int[] shape)
    {
        Array result = dtype switch
        {
            DType.Float32 => Values<float>(x, plan, kind, dtype),
            DType.Float64 => Values<double>(x, plan, kind, dtype),
            DType.Int64 => Values<long>(x, plan, kind, dtype),
            DType.Int32 => Values<int>(x, plan, kind, dtype),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
        };
        return Operands.Fresh(result, dtype, shape);
    }

    /// <summary>The int64 index of the first maximum (or minimum) along the plan's block; a NaN wins at its first occurrence.</summary>
    internal static Tensor ArgIndex(Tensor x, ReductionPlan plan, bool max, bool keepDim)
    {
        DType dtype = Readable(x._dtype);
        long[] result = dtype switch
        {
            DType.Float32 => ArgIndex<float>(x, plan, max, dtype),
            DType.Float64 => ArgIndex<double>(x, plan, max, dtype),
            DType.Int64 => ArgIndex<long>(x, plan, max, dtype),
            _ => ArgIndex<int>(x, plan, max, dtype),
        };
        return new Tensor(result, DType.Int64, plan.Output(keepDim));
    }

    /// <summary>The running Σ or Π along the plan's single dimension, in <paramref name="dtype"/>, of the input's shape.</summary>
    internal static Tensor Scan(Tensor x, ReductionPlan plan, ScanKind kind, DType dtype)
    {
        Array result = dtype switch
        {
            DType.Float32 => Scan<float>(x, plan, kind, dtype),
            DType.Float64 => Scan<double>(x, plan, kind, dtype),
            DType.Int64 => Scan<long>(x, plan, kind, dtype),
            DType.Int32 => Scan<int>(x, plan, kind, dtype),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
        };
        return Operands.Fresh(result, dtype, x._shape);
    }

    /// <summary>
    /// Indices into each slice along the plan's single dimension: <paramref name="k"/> of them per slice for
    /// <see cref="SelectKind.TopK"/>, all for Sort and the cumulative kinds, one (kept as a size-1 dim) otherwise.
    /// The result has the input's shape with that dimension's size replaced.
    /// </summary>
    internal static Tensor Select(Tensor x, ReductionPlan plan, SelectKind kind, int dim, bool descending, int k)
    {
        DType dtype = Readable(x._dtype);
        int width = kind switch
        {
            SelectKind.Sort or SelectKind.CumMax or SelectKind.CumMin => plan.Size,
            SelectKind.TopK => k,
            _ => 1,
        };
        long[] result = dtype switch
        {
            DType.Float32 => Select<float>(x, plan, kind, dtype, descending, k, width),
            DType.Float64 => Select<double>(x, plan, kind, dtype, descending, k, width),
            DType.Int64 => Select<long>(x, plan, kind, dtype, descending, k, width),
            _ => Select<int>(x, plan, kind, dtype, descending, k, width),
        };
        int[] shape = x.Rank == 0 ? [] : (int[])x._shape.Clone();
        if (x.Rank > 0)
        {
            shape[dim] = width;
        }

        return new Tensor(result, DType.Int64, shape);
    }

    /// <summary>
    /// The exact gradient of a running product along the plan's dimension when the input holds zeros:
    /// for i before a slice's first zero z, ∂L/∂xᵢ = Σ_{i≤k&lt;z} gₖ·outₖ / xᵢ; at z,
    /// ∂L/∂x_z = out_{z−1}·Σ_{k≥z} gₖ·Π_{z&lt;j≤k} xⱼ; after z, 0 (every later product holds x_z = 0 besides xᵢ).
    /// </summary>
    internal static Tensor CumProdGradient(Tensor x, Tensor output, Tensor grad, ReductionPlan plan)
    {
        DType dtype = x._dtype;
        return dtype == DType.Float64
            ? Operands.Fresh(CumProdGradient<double>(x, output, grad, plan, dtype), dtype, x._shape)
            : Operands.Fresh(CumProdGradient<float>(x, output, grad, plan, DType.Float32), DType.Float32, x._shape).ConvertedTo(dtype);
    }

    /// <summary>The dtype a selection reads its input as: floats and int64 as themselves, the rest (int32, bool) as int32.</summary>
    private static DType Readable(DType dtype) => dtype switch
    {
        DType.Float32 or DType.Float64 or DType.Int64 => dtype,
        DType.Float16 or DType.BFloat16 => DType.Float32,   // widening is exact and keeps the order
        _ => DType.Int32,
    };

    /// <summary>The input as a contiguous <c>[Outer, Size, Inner]</c> block of <typeparamref name="T"/> (its own storage when it already is).</summary>
    private static ReadOnlySpan<T> Read<T>(Tensor x, ReductionPlan plan, DType dtype)
    {
        Tensor typed = x.ConvertedTo(dtype);
        if (plan.Permutation is null && ReferenceEquals(typed, x) && typed.IsContiguous)
        {
            return new ReadOnlySpan<T>((T[])typed.Storage, typed._offset, typed._count);
        }

        int[] strides = typed._strides ?? Shape.ContiguousStrides(typed._shape);
        int[] order = plan.Permutation ?? [.. Enumerable.Range(0, typed.Rank)];
        int[] shape = [.. order.Select(d => typed._shape[d])];
        int[] permuted = [.. order.Select(d => strides[d])];
        var values = new T[typed._count];
        Conversion.CopyStrided((T[])typed.Storage, typed._offset, shape, permuted, values);
        return values;
    }

    private static T[] Values<T>(Tensor x, ReductionPlan plan, ReduceKind kind, DType dtype)
        where T : unmanaged, INumber<T>
    {
        ReadOnlySpan<T> source = Read<T>(x, plan, dtype);
        var destination = new T[plan.Outer * plan.Inner];
        switch (kind)
        {
            case ReduceKind.Sum: Run<T, SumOperator<T>>(source, plan, destination); break;
            case ReduceKind.Prod: Run<T, ProductOperator<T>>(source, plan, destination); break;
            case ReduceKind.Max: Run<T, MaxOperator<T>>(source, plan, destination); break;
            default: Run<T, MinOperator<T>>(source, plan, destination); break;
        }

        return destination;
    }

    private static void Run<T, TOperator>(ReadOnlySpan<T> source, ReductionPlan plan, Span<T> destination)
        where TOperator : IReduceOperator<T>
    {
        int size = plan.Size, inner = plan.Inner;
        if (size == 0)
        {
            destination.Fill(TOperator.Identity);
            return;
        }

        for (int o = 0; o < plan.Outer; o++)
        {
            ReadOnlySpan<T> block = source.Slice(o * size * inner, size * inner);
            if (inner == 1)
            {
                destination[o] = TOperator.Row(block);
                continue;
            }

            Span<T> row = destination.Slice(o * inner, inner);
            block[..inner].CopyTo(row);
            for (int k = 1; k < size; k++)
            {
                TOperator.Combine(row, block.Slice(k * inner, inner), row);
            }
        }
    }

    private static long[] ArgIndex<T>(Tensor x, ReductionPlan plan, bool max, DType dtype)
        where T : unmanaged, INumber<T>
    {
        int size = plan.Size, inner = plan.Inner;
        ReadOnlySpan<T> source = Read<T>(x, plan, dtype);
        var destination = new long[plan.Outer * inner];
        for (int o = 0; o < plan.Outer; o++)
        {
            ReadOnlySpan<T> block = source.Slice(o * size * inner, size * inner);
            if (inner == 1)
            {
                destination[o] = FirstExtreme(block, max);
                continue;
            }

            // An outer reduction: walk whole rows (contiguous) and keep the running best per column.
            Span<T> best = block[..inner].ToArray();
            Span<long> at = destination.AsSpan(o * inner, inner);
            for (int k = 1; k < size; k++)
            {
                ReadOnlySpan<T> row = block.Slice(k * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    T v = row[i], b = best[i];
                    if (!T.IsNaN(b) && (T.IsNaN(v) || (max ? v > b : v < b)))
                    {
                        best[i] = v;
                        at[i] = k;
                    }
                }
            }
        }

        return destination;
    }

    private static T[] Scan<T>(Tensor x, ReductionPlan plan, ScanKind kind, DType dtype)
        where T : unmanaged, INumber<T>
    {
        int size = plan.Size, inner = plan.Inner;
        ReadOnlySpan<T> source = Read<T>(x, plan, dtype);
        var destination = new T[source.Length];
        source.CopyTo(destination);
        for (int o = 0; o < plan.Outer && size > 0; o++)
        {
            Span<T> block = destination.AsSpan(o * size * inner, size * inner);
            for (int k = 1; k < size; k++)
            {
                ReadOnlySpan<T> previous = block.Slice((k - 1) * inner, inner);
                Span<T> row = block.Slice(k * inner, inner);
                if (inner == 1)
                {
                    row[0] = kind == ScanKind.Sum ? row[0] + previous[0] : row[0] * previous[0];
                }
                else if (kind == ScanKind.Sum)
                {
                    TensorPrimitives.Add(previous, row, row);
                }
                else
                {
                    TensorPrimitives.Multiply(previous, row, row);
                }
            }
        }

        return destination;
    }

    private static long[] Select<T>(Tensor x, ReductionPlan plan, SelectKind kind, DType dtype, bool descending, int k, int width)
        where T : unmanaged, INumber<T>
    {
        int size = plan.Size, inner = plan.Inner;
        ReadOnlySpan<T> source = Read<T>(x, plan, dtype);
        var destination = new long[plan.Outer * width * inner];
        var slice = new T[size];
        var order = new int[size];
        Comparison<int> compare = descending
            ? (a, b) => CompareDescending(slice[a], slice[b], a, b)
            : (a, b) => CompareAscending(slice[a], slice[b], a, b);
        for (int o = 0; o < plan.Outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int at = (o * size * inner) + i;
                for (int j = 0; j < size; j++)
                {
                    slice[j] = source[at + (j * inner)];
                    order[j] = j;
                }

                int outAt = (o * width * inner) + i;
                switch (kind)
                {
                    case SelectKind.CumMax:
                    case SelectKind.CumMin:
                        {
                            int best = 0;
                            for (int j = 0; j < size; j++)
                            {
                                T v = slice[j], b = slice[best];
                                if (T.IsNaN(v) || (kind == SelectKind.CumMax ? v >= b : v <= b))
                                {
                                    best = j;
                                }

                                destination[outAt + (j * inner)] = best;
                            }

                            break;
                        }

                    case SelectKind.Median when FirstNaN(slice) is int nan and >= 0:
                        destination[outAt] = nan;
                        break;

                    case SelectKind.Mode:
                        destination[outAt] = Mode(slice, order);
                        break;

                    default:
                        {
                            Array.Sort(order, compare);
                            if (kind == SelectKind.Sort || kind == SelectKind.TopK)
                            {
                                for (int j = 0; j < width; j++)
                                {
                                    destination[outAt + (j * inner)] = order[j];
                                }
                            }
                            else
                            {
                                destination[outAt] = order[kind == SelectKind.Kth ? k - 1 : (size - 1) / 2];
                            }

                            break;
                        }
                }
            }
        }

        return destination;
    }

    /// <summary>
    /// The first index of the row's maximum (or minimum), or of its first NaN, as PyTorch's argmax/argmin. The extreme
    /// comes from one vectorised pass; the search compares with <c>==</c>, so −0 and +0 tie (TensorPrimitives.IndexOfMax
    /// would rank +0 above −0).
    /// </summary>
    private static long FirstExtreme<T>(ReadOnlySpan<T> row, bool max)
        where T : INumber<T>
    {
        T extreme = max ? TensorPrimitives.Max(row) : TensorPrimitives.Min(row);
        bool nan = T.IsNaN(extreme);
        for (int i = 0; i < row.Length; i++)
        {
            if (nan ? T.IsNaN(row[i]) : row[i] == extreme)
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>The index of the first NaN in <paramref name="slice"/>, or −1.</summary>
    private static int FirstNaN<T>(T[] slice)
        where T : INumber<T>
    {
        for (int j = 0; j < slice.Length; j++)
        {
            if (T.IsNaN(slice[j]))
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>The most frequent value's last index (the smallest value among equally frequent ones).</summary>
    private static int Mode<T>(T[] slice, int[] order)
        where T : INumber<T>
    {
        Array.Sort(order, (a, b) => CompareAscending(slice[a], slice[b], a, b));
        int bestIndex = order[^1], bestCount = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start + 1;
            while (end < order.Length && slice[order[end]] == slice[order[start]])
            {
                end++;
            }

            if (end - start > bestCount)
            {
                bestCount = end - start;
                bestIndex = order[end - 1];   // ties within a run are in index order: the run's last is the last occurrence
            }

            start = end;
        }

        return bestIndex;
    }

    /// <summary>Ascending order with NaN as the largest value; equal values keep their index order.</summary>
    private static int CompareAscending<T>(T a, T b, int ia, int ib)
        where T : INumber<T>
    {
        int c = Order(a, b);
        return c != 0 ? c : ia.CompareTo(ib);
    }

    /// <summary>Descending order with NaN first; equal values keep their index order.</summary>
    private static int CompareDescending<T>(T a, T b, int ia, int ib)
        where T : INumber<T>
    {
        int c = Order(b, a);
        return c != 0 ? c : ia.CompareTo(ib);
    }

    private static int Order<T>(T a, T b)
        where T : INumber<T>
    {
        bool nanA = T.IsNaN(a), nanB = T.IsNaN(b);
        if (nanA || nanB)
        {
            return nanA == nanB ? 0 : nanA ? 1 : -1;
        }

        return a < b ? -1 : a > b ? 1 : 0;
    }

    private static T[] CumProdGradient<T>(Tensor x, Tensor output, Tensor grad, ReductionPlan plan, DType dtype)
        where T : unmanaged, INumber<T>
    {
        int size = plan.Size, inner = plan.Inner;
        T[] xs = Read<T>(x, plan, dtype).ToArray();
        T[] outs = Read<T>(output, plan, dtype).ToArray();
        T[] gs = Read<T>(grad, plan, dtype).ToArray();
        var result = new T[xs.Length];
        for (int o = 0; o < plan.Outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int at = (o * size * inner) + i;
                int zero = size;
                for (int j = 0; j < size; j++)
                {
                    if (xs[at + (j * inner)] == T.Zero)
                    {
                        zero = j;
                        break;
                    }
                }

                // Before the first zero: reverse running Σ gₖ·outₖ over k < z, divided by xᵢ.
                T tail = T.Zero;
                for (int j = zero - 1; j >= 0; j--)
                {
                    int p = at + (j * inner);
                    tail += gs[p] * outs[p];
                    result[p] = tail / xs[p];
                }

                if (zero < size)
                {
                    // At the zero: out_{z-1} · Σ_{k≥z} gₖ Π_{z<j≤k} xⱼ (Horner from the end of the slice).
                    T sum = T.Zero;
                    for (int j = size - 1; j > zero; j--)
                    {
                        sum = (sum + gs[at + (j * inner)]) * xs[at + (j * inner)];
                    }

                    sum += gs[at + (zero * inner)];
                    T before = zero == 0 ? T.One : outs[at + ((zero - 1) * inner)];
                    result[at + (zero * inner)] = before * sum;
                }
            }
        }

        return result;
    }

    private interface IReduceOperator<T>
    {
        static abstract T Identity { get; }

        static abstract T Row(ReadOnlySpan<T> x);

        static abstract void Combine(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);
    }

    private readonly struct SumOperator<T> : IReduceOperator<T>
        where T : INumber<T>
    {
        public static T Identity => T.Zero;

        public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Sum(x);

        public static void Combine(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);
    }

    private readonly struct ProductOperator<T> : IReduceOperator<T>
        where T : INumber<T>
    {
        public static T Identity => T.One;

        public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Product(x);

        public static void Combine(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);
    }

    private readonly struct MaxOperator<T> : IReduceOperator<T>
        where T : INumber<T>
    {
        public static T Identity => T.Zero;

        public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Max(x);

        public static void Combine(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Max(x, y, destination);
    }

    private readonly struct MinOperator<T> : IReduceOperator<T>
        where T : INumber<T>
    {
        public static T Identity => T.Zero;

        public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Min(x);

        public static void Combine(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Min(x, y, destination);
    }
}
