using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Autograd.Serialization;

/// <summary>
/// The one place where serialization touches tensor storage: a tensor's elements as little-endian bytes in row-major
/// order, and a tensor made from such bytes. Every dtype moves bit for bit (bool as one byte 0 or 1, float16 and
/// bfloat16 as their 16-bit patterns).
/// </summary>
internal static class TensorBytes
{
    /// <summary>
    /// A new contiguous tensor of <paramref name="dtype"/> and <paramref name="shape"/> whose elements are read from
    /// <paramref name="stream"/> (<c>count × elementSize</c> little-endian bytes).
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream ends before the elements do.</exception>
    internal static Tensor Read(Stream stream, DType dtype, int[] shape)
    {
        int count = Autograd.Shape.ElementCountOf(shape);
        Array storage = dtype.NewArray(count);
        if (dtype == DType.Bool)
        {
            // bool storage is read as bytes, so that any nonzero byte is true (as PyTorch reads it) and a .NET bool
            // never holds a value other than 0 or 1.
            var raw = new byte[count];
            stream.ReadExactly(raw);
            var bools = (bool[])storage;
            for (int i = 0; i < count; i++)
            {
                bools[i] = raw[i] != 0;
            }
        }
        else
        {
            stream.ReadExactly(RawBytes(storage));
            if (!BitConverter.IsLittleEndian)
            {
                ReverseEndianness(storage);
            }
        }

        return Wrap(storage, dtype, shape);
    }

    /// <summary>A new contiguous tensor made from <paramref name="bytes"/> (exactly <c>count × elementSize</c> little-endian bytes).</summary>
    internal static Tensor FromBytes(byte[] bytes, DType dtype, int[] shape)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream, dtype, shape);
    }

    /// <summary>Writes the elements of <paramref name="tensor"/>, row-major, as little-endian bytes to <paramref name="stream"/>.</summary>
    internal static void Write(Tensor tensor, Stream stream)
    {
        Tensor source = tensor.IsContiguous ? tensor : tensor.ContiguousCopyOfAnyDType();
        Array storage = source.Storage;
        int elementSize = source._dtype.ElementSize();
        int start = source._offset * elementSize, length = source._count * elementSize;
        if (BitConverter.IsLittleEndian || elementSize == 1)
        {
            stream.Write(RawBytes(storage).Slice(start, length));
        }
        else
        {
            Array copy = source._dtype.NewArray(source._count);
            Array.Copy(storage, source._offset, copy, 0, source._count);
            ReverseEndianness(copy);
            stream.Write(RawBytes(copy));
        }
    }

    /// <summary>The number of bytes <see cref="Write"/> writes for <paramref name="tensor"/>.</summary>
    internal static long ByteLength(Tensor tensor) => (long)tensor.Count * tensor.DType.ElementSize();

    /// <summary>Wraps fresh storage as a tensor of its dtype.</summary>
    internal static Tensor Wrap(Array storage, DType dtype, int[] shape) =>
        dtype == DType.Float32 ? new Tensor((float[])storage, shape) : new Tensor(storage, dtype, shape);

    /// <summary>The bytes of a storage array of any element type.</summary>
    private static Span<byte> RawBytes(Array storage) => storage switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        bool[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        Half[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        ushort[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        _ => throw new NotSupportedException($"no byte view of {storage.GetType().Name}"),
    };

    /// <summary>Swaps the byte order of every element (only on big-endian machines).</summary>
    private static void ReverseEndianness(Array storage)
    {
        Span<byte> bytes = RawBytes(storage);
        switch (storage)
        {
            case double[] or long[]:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, long>(bytes), MemoryMarshal.Cast<byte, long>(bytes));
                break;
            case float[] or int[]:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, int>(bytes), MemoryMarshal.Cast<byte, int>(bytes));
                break;
            case Half[] or ushort[]:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(bytes), MemoryMarshal.Cast<byte, ushort>(bytes));
                break;
        }
    }
}
