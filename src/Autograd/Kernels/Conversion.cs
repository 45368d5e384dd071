using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Autograd.Kernels;

/// <summary>
/// Element-type conversions between storage arrays (float[], double[], long[], int[], bool[], Half[], and bfloat16 as
/// the upper 16 bits of a float in ushort[]), with PyTorch's semantics: float to integer truncates toward zero (out of
/// range saturates, NaN gives 0, where PyTorch leaves it undefined), anything to bool is <c>value != 0</c>, bool is 0 or 1,
/// integer to integer keeps the low bits (int64 to int32 wraps), float to bfloat16 rounds to nearest even.
/// </summary>
internal static class Conversion
{
    /// <summary>Converts <paramref name="count"/> elements of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    internal static void Convert(Array source, int sourceOffset, Array destination, int destinationOffset, int count)
    {
        if (count == 0)
        {
            return;
        }

        switch (source)
        {
            case float[] f: To(new ReadOnlySpan<float>(f, sourceOffset, count), destination, destinationOffset); break;
            case double[] d: To(new ReadOnlySpan<double>(d, sourceOffset, count), destination, destinationOffset); break;
            case long[] l: To(new ReadOnlySpan<long>(l, sourceOffset, count), destination, destinationOffset); break;
            case int[] i: To(new ReadOnlySpan<int>(i, sourceOffset, count), destination, destinationOffset); break;
            case Half[] h: To(new ReadOnlySpan<Half>(h, sourceOffset, count), destination, destinationOffset); break;
            case bool[] b:
                {
                    // 0 or 1 in the destination's type: through int32, which every numeric type takes exactly.
                    var ints = new int[count];
                    for (int k = 0; k < count; k++)
                    {
                        ints[k] = b[sourceOffset + k] ? 1 : 0;
                    }

                    To<int>(ints, destination, destinationOffset);
                    break;
                }

            case ushort[] bf:
                {
                    var floats = new float[count];
                    for (int k = 0; k < count; k++)
                    {
                        floats[k] = BFloat16ToSingle(bf[sourceOffset + k]);
                    }

                    To<float>(floats, destination, destinationOffset);
                    break;
                }

            default:
                throw new NotSupportedException($"no tensor storage of {source.GetType().Name}");
        }
    }

    private static void To<TFrom>(ReadOnlySpan<TFrom> source, Array destination, int offset)
        where TFrom : INumberBase<TFrom>
    {
        int count = source.Length;
        switch (destination)
        {
            case float[] f: Numeric(source, new Span<float>(f, offset, count)); break;
            case double[] d: Numeric(source, new Span<double>(d, offset, count)); break;
            case long[] l: Numeric(source, new Span<long>(l, offset, count)); break;
            case int[] i: Numeric(source, new Span<int>(i, offset, count)); break;
            case Half[] h: Numeric(source, new Span<Half>(h, offset, count)); break;
            case bool[] b:
                for (int k = 0; k < count; k++)
                {
                    b[offset + k] = !TFrom.IsZero(source[k]);
                }

                break;
            case ushort[] bf:
                for (int k = 0; k < count; k++)
                {
                    bf[offset + k] = SingleToBFloat16(float.CreateTruncating(source[k]));
                }

                break;
            default:
                throw new NotSupportedException($"no tensor storage of {destination.GetType().Name}");
        }
    }

    private static void Numeric<TFrom, TTo>(ReadOnlySpan<TFrom> source, Span<TTo> destination)
        where TFrom : INumberBase<TFrom>
        where TTo : INumberBase<TTo>
    {
        if (typeof(TFrom) == typeof(TTo))
        {
            source.CopyTo(MemoryMarshalCast<TTo, TFrom>(destination));
            return;
        }

        if (typeof(TFrom) == typeof(long) && typeof(TTo) == typeof(int))
        {
            // Keep the low 32 bits, as a C cast (and PyTorch) does; CreateTruncating would do the same, spelled out here.
            ReadOnlySpan<long> longs = MemoryMarshalCast<TFrom, long>(source);
            Span<int> ints = MemoryMarshalCast<TTo, int>(destination);
            for (int k = 0; k < longs.Length; k++)
            {
                ints[k] = unchecked((int)longs[k]);
            }

            return;
        }

        TensorPrimitives.ConvertTruncating(source, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<TTo> MemoryMarshalCast<TFrom, TTo>(ReadOnlySpan<TFrom> span) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
            ref Unsafe.As<TFrom, TTo>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span)), span.Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<TTo> MemoryMarshalCast<TFrom, TTo>(Span<TFrom> span) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref Unsafe.As<TFrom, TTo>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span)), span.Length);

    /// <summary>Fills an array of any storage type with <paramref name="value"/> converted to its element type.</summary>
    internal static void Fill(Array storage, double value)
    {
        switch (storage)
        {
            case float[] f: f.AsSpan().Fill((float)value); break;
            case double[] d: d.AsSpan().Fill(value); break;
            case long[] l: l.AsSpan().Fill(long.CreateSaturating(value)); break;
            case int[] i: i.AsSpan().Fill(int.CreateSaturating(value)); break;
            case bool[] b: b.AsSpan().Fill(value != 0); break;
            case Half[] h: h.AsSpan().Fill((Half)value); break;
            case ushort[] bf: bf.AsSpan().Fill(SingleToBFloat16((float)value)); break;
            default: throw new NotSupportedException($"no tensor storage of {storage.GetType().Name}");
        }
    }

    /// <summary>Element <paramref name="index"/> of any storage array as <typeparamref name="T"/>, converted as <see cref="Convert"/> does.</summary>
    internal static T Read<T>(Array storage, int index)
        where T : INumberBase<T> => storage switch
        {
            float[] f => T.CreateTruncating(f[index]),
            double[] d => T.CreateTruncating(d[index]),
            long[] l => T.CreateTruncating(l[index]),
            int[] i => T.CreateTruncating(i[index]),
            bool[] b => b[index] ? T.One : T.Zero,
            Half[] h => T.CreateTruncating(h[index]),
            ushort[] bf => T.CreateTruncating(BFloat16ToSingle(bf[index])),
            _ => throw new NotSupportedException($"no tensor storage of {storage.GetType().Name}"),
        };

    /// <summary>Stores <paramref name="value"/> at <paramref name="index"/> of any storage array, converted as <see cref="Convert"/> does.</summary>
    internal static void Write(Array storage, int index, double value)
    {
        switch (storage)
        {
            case float[] f: f[index] = (float)value; break;
            case double[] d: d[index] = value; break;
            case long[] l: l[index] = long.CreateSaturating(value); break;
            case int[] i: i[index] = int.CreateSaturating(value); break;
            case bool[] b: b[index] = value != 0; break;
            case Half[] h: h[index] = (Half)value; break;
            case ushort[] bf: bf[index] = SingleToBFloat16((float)value); break;
            default: throw new NotSupportedException($"no tensor storage of {storage.GetType().Name}");
        }
    }

    /// <summary>Element <paramref name="index"/> of any storage array as a double (exact for every type but int64 beyond 2^53).</summary>
    internal static double ReadAsDouble(Array storage, int index) => Read<double>(storage, index);

    /// <summary>Copies a strided view (any element type) into a row-major array of the same element type.</summary>
    internal static void CopyStrided(Array source, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Array destination)
    {
        switch (source)
        {
            case float[] f: CopyStrided(f, offset, shape, strides, (float[])destination); break;
            case double[] d: CopyStrided(d, offset, shape, strides, (double[])destination); break;
            case long[] l: CopyStrided(l, offset, shape, strides, (long[])destination); break;
            case int[] i: CopyStrided(i, offset, shape, strides, (int[])destination); break;
            case bool[] b: CopyStrided(b, offset, shape, strides, (bool[])destination); break;
            case Half[] h: CopyStrided(h, offset, shape, strides, (Half[])destination); break;
            case ushort[] u: CopyStrided(u, offset, shape, strides, (ushort[])destination); break;
            default: throw new NotSupportedException($"no tensor storage of {source.GetType().Name}");
        }
    }

    /// <summary>Copies a strided view into a row-major array (<see cref="StridedCopy"/>'s loop).</summary>
    internal static void CopyStrided<T>(T[] source, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<T> destination) =>
        StridedCopy.Copy<T>(source, offset, strides, destination, 0, Shape.ContiguousStrides(shape.ToArray()), shape);

    /// <summary>Writes row-major <paramref name="values"/> into a strided view of <paramref name="destination"/> (same element type).</summary>
    internal static void ScatterStrided(Array values, Array destination, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int[] contiguous = Shape.ContiguousStrides(shape.ToArray());
        switch (values)
        {
            case float[] f: StridedCopy.Copy<float>(f, 0, contiguous, (float[])destination, offset, strides, shape); break;
            case double[] d: StridedCopy.Copy<double>(d, 0, contiguous, (double[])destination, offset, strides, shape); break;
            case long[] l: StridedCopy.Copy<long>(l, 0, contiguous, (long[])destination, offset, strides, shape); break;
            case int[] i: StridedCopy.Copy<int>(i, 0, contiguous, (int[])destination, offset, strides, shape); break;
            case bool[] b: StridedCopy.Copy<bool>(b, 0, contiguous, (bool[])destination, offset, strides, shape); break;
            case Half[] h: StridedCopy.Copy<Half>(h, 0, contiguous, (Half[])destination, offset, strides, shape); break;
            case ushort[] u: StridedCopy.Copy<ushort>(u, 0, contiguous, (ushort[])destination, offset, strides, shape); break;
            default: throw new NotSupportedException($"no tensor storage of {values.GetType().Name}");
        }
    }

    /// <summary>The float a bfloat16 bit pattern stands for (its bits are a float's upper half).</summary>
    internal static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>A float rounded to bfloat16, to nearest with ties to even; NaN stays a (quiet) NaN.</summary>
    internal static ushort SingleToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}
