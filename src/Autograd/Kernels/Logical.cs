using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Autograd.Kernels;

/// <summary>
/// Kernels over bool spans and masks: logical and bitwise ops, any/all reductions, selection by a condition, masked
/// gather and scatter, and the indices of nonzero elements. A .NET bool is one byte holding 0 or 1, so and, or and
/// xor of bools are the byte-wise ones (vectorised by <c>TensorPrimitives</c>) and stay 0 or 1.
/// </summary>
internal static class Logical
{
    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<bool> values) => MemoryMarshal.AsBytes(values);

    private static Span<byte> Bytes(Span<bool> values) => MemoryMarshal.AsBytes(values);

    /// <summary><c>destination[i] = x[i] ∧ y[i]</c>.</summary>
    internal static void And(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        TensorPrimitives.BitwiseAnd(Bytes(x), Bytes(y), Bytes(destination));

    /// <summary><c>destination[i] = x[i] ∨ y[i]</c>.</summary>
    internal static void Or(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        TensorPrimitives.BitwiseOr(Bytes(x), Bytes(y), Bytes(destination));

    /// <summary><c>destination[i] = x[i] ⊕ y[i]</c>.</summary>
    internal static void Xor(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        TensorPrimitives.Xor(Bytes(x), Bytes(y), Bytes(destination));

    /// <summary><c>destination[i] = ¬x[i]</c> (1 ⊕ b flips 0 and 1).</summary>
    internal static void Not(ReadOnlySpan<bool> x, Span<bool> destination) =>
        TensorPrimitives.Xor(Bytes(x), (byte)1, Bytes(destination));

    /// <summary><c>destination[i] = x[i] ≠ 0</c> (NaN is nonzero).</summary>
    internal static void NonZero<T>(ReadOnlySpan<T> x, Span<bool> destination)
        where T : INumberBase<T>
    {
        TensorPrimitives.IsZero(x, destination);
        Not(destination, destination);
    }

    /// <summary>Integer bitwise ops (PyTorch's <c>bitwise_and</c>, <c>bitwise_or</c>, <c>bitwise_xor</c>).</summary>
    internal static void BitwiseAnd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : IBitwiseOperators<T, T, T> => TensorPrimitives.BitwiseAnd(x, y, destination);

    /// <inheritdoc cref="BitwiseAnd{T}"/>
    internal static void BitwiseOr<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : IBitwiseOperators<T, T, T> => TensorPrimitives.BitwiseOr(x, y, destination);

    /// <inheritdoc cref="BitwiseAnd{T}"/>
    internal static void BitwiseXor<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : IBitwiseOperators<T, T, T> => TensorPrimitives.Xor(x, y, destination);

    /// <summary><c>destination[i] = ~x[i]</c> (two's complement: ~v = −v − 1).</summary>
    internal static void BitwiseNot<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : IBitwiseOperators<T, T, T> => TensorPrimitives.OnesComplement(x, destination);

    /// <summary>
    /// Reduces a row-major <c>[outer, size, inner]</c> block along its middle axis:
    /// <c>destination[o·inner + i] = ∨ₖ x[(o·size + k)·inner + i]</c> (any), or ∧ (all) when <paramref name="all"/>.
    /// An empty axis gives false for any and true for all, the identities of ∨ and ∧.
    /// </summary>
    internal static void AnyAll(ReadOnlySpan<bool> x, int outer, int size, int inner, bool all, Span<bool> destination)
    {
        if (destination.Length != outer * inner || x.Length != outer * size * inner)
        {
            throw new ArgumentException("spans do not match the block");
        }

        destination.Fill(all);
        for (int o = 0; o < outer; o++)
        {
            Span<bool> row = destination.Slice(o * inner, inner);
            for (int k = 0; k < size; k++)
            {
                ReadOnlySpan<bool> slice = x.Slice(((o * size) + k) * inner, inner);
                if (all)
                {
                    And(row, slice, row);
                }
                else
                {
                    Or(row, slice, row);
                }
            }
        }
    }

    /// <summary>
    /// Counts the true elements of a row-major <c>[outer, size, inner]</c> block along its middle axis
    /// (PyTorch's <c>count_nonzero</c> once the elements are tested against zero).
    /// </summary>
    internal static void CountAlong(ReadOnlySpan<bool> x, int outer, int size, int inner, Span<long> destination)
    {
        if (destination.Length != outer * inner || x.Length != outer * size * inner)
        {
            throw new ArgumentException("spans do not match the block");
        }

        destination.Clear();
        for (int o = 0; o < outer; o++)
        {
            Span<long> row = destination.Slice(o * inner, inner);
            for (int k = 0; k < size; k++)
            {
                ReadOnlySpan<bool> slice = x.Slice(((o * size) + k) * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    row[i] += slice[i] ? 1 : 0;
                }
            }
        }
    }

    /// <summary>The number of true elements.</summary>
    internal static int Count(ReadOnlySpan<bool> x) => x.Length - x.Count(false);

    /// <summary><c>destination[i] = condition[i] ? a[i] : b[i]</c> (PyTorch's <c>where</c>), for any element type.</summary>
    internal static void Select<T>(ReadOnlySpan<bool> condition, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination)
    {
        if (condition.Length != destination.Length || a.Length != destination.Length || b.Length != destination.Length)
        {
            throw new ArgumentException("spans of different lengths");
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = condition[i] ? a[i] : b[i];
        }
    }

    /// <summary>The elements of <paramref name="x"/> where <paramref name="mask"/> is true, in order (PyTorch's <c>masked_select</c>).</summary>
    internal static void Gather<T>(ReadOnlySpan<T> x, ReadOnlySpan<bool> mask, Span<T> destination)
    {
        if (x.Length != mask.Length || destination.Length != Count(mask))
        {
            throw new ArgumentException("spans do not match the mask");
        }

        int j = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i])
            {
                destination[j++] = x[i];
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Gather{T}"/>: <c>destination</c> is cleared, then the true positions of the mask receive
    /// <paramref name="source"/>'s elements in order (PyTorch's <c>masked_scatter</c> into zeros).
    /// </summary>
    internal static void Scatter<T>(ReadOnlySpan<T> source, ReadOnlySpan<bool> mask, Span<T> destination)
    {
        if (destination.Length != mask.Length || source.Length != Count(mask))
        {
            throw new ArgumentException("spans do not match the mask");
        }

        destination.Clear();
        int j = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i])
            {
                destination[i] = source[j++];
            }
        }
    }

    /// <summary>
    /// The multi-indices of the true elements of a row-major tensor of <paramref name="shape"/>, in row-major order,
    /// one row of <c>shape.Length</c> int64s each (PyTorch's <c>nonzero</c>). <paramref name="destination"/> holds
    /// <c>Count(x) · rank</c> elements.
    /// </summary>
    internal static void Indices(ReadOnlySpan<bool> x, ReadOnlySpan<int> shape, Span<long> destination)
    {
        int rank = shape.Length;
        if (destination.Length != Count(x) * rank)
        {
            throw new ArgumentException("destination does not hold one row per true element");
        }

        Span<long> index = rank <= 16 ? stackalloc long[rank] : new long[rank];
        index.Clear();
        int row = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i])
            {
                index.CopyTo(destination.Slice(row * rank, rank));
                row++;
            }

            // Advance the multi-index like an odometer, last dimension fastest.
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }
    }
}
