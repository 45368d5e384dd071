using System.Buffers.Binary;
using System.IO.Compression;

namespace Autograd.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST (<c>train-images-idx3-ubyte</c>, optionally gzip-compressed):
/// two zero bytes, a type code (0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number
/// of dimensions, each dimension as a big-endian int32, then the elements, big-endian, row-major.
/// </summary>
public static class Idx
{
    /// <summary>The tensor stored in the IDX file <paramref name="path"/> (gzip-compressed or not).</summary>
    /// <param name="path">The file.</param>
    /// <param name="dtype">The result's dtype; null for the natural one: int64 for the integer codes (as torch's default
    /// integer type, ready as class targets), float32 and float64 for the float codes. Pass <see cref="DType.Float32"/> to
    /// read MNIST images as floats (values 0 … 255) without an int64 copy.</param>
    /// <exception cref="InvalidDataException">The magic number, type code or dimensions are invalid, or the data is truncated.</exception>
    public static Tensor Read(string path, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream file = File.OpenRead(path);
        return Read(file, dtype);
    }

    /// <summary>The tensor stored in IDX data read from <paramref name="stream"/> (left open); gzip is recognised by its magic bytes.</summary>
    /// <inheritdoc cref="Read(string, DType?)"/>
    public static Tensor Read(Stream stream, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var first = new byte[2];
        if (stream.ReadAtLeast(first, 2, throwOnEndOfStream: false) < 2)
        {
            throw new InvalidDataException("IDX: the data is shorter than the 4-byte magic number.");
        }

        bool gzip = first[0] == 0x1f && first[1] == 0x8b;
        long? remaining = !gzip && stream.CanSeek ? stream.Length - stream.Position + 2 : null;
        using Stream prefixed = new PrefixedStream(first, stream);
        using Stream source = gzip ? new GZipStream(prefixed, CompressionMode.Decompress) : prefixed;
        try
        {
            return ReadIdx(source, remaining, dtype);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.StartsWith("IDX", StringComparison.Ordinal))
        {
            throw new InvalidDataException("IDX: the gzip data is corrupt: " + e.Message, e);
        }
    }

    private static Tensor ReadIdx(Stream source, long? available, DType? dtype)
    {
        var magic = new byte[4];
        if (source.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
        {
            throw new InvalidDataException("IDX: the data is shorter than the 4-byte magic number.");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidDataException($"IDX: bad magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):x8}: it must start with two zero bytes.");
        }

        int code = magic[2];
        int elementSize = code switch
        {
            0x08 or 0x09 => 1,
            0x0B => 2,
            0x0C or 0x0D => 4,
            0x0E => 8,
            _ => throw new InvalidDataException($"IDX: unknown data type code 0x{code:x2} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)."),
        };

        int rank = magic[3];
        var dimBytes = new byte[4 * rank];
        if (source.ReadAtLeast(dimBytes, dimBytes.Length, throwOnEndOfStream: false) < dimBytes.Length)
        {
            throw new InvalidDataException($"IDX: the data ends inside the {rank} dimensions of the header.");
        }

        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * d));
            if (shape[d] < 0)
            {
                throw new InvalidDataException($"IDX: dimension {d} is negative ({shape[d]}).");
            }

            count = Math.Min(count * shape[d], long.MaxValue / 16);
        }

        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"IDX: the dimensions [{string.Join(", ", shape)}] hold more elements than a tensor can.");
        }

        long needed = count * elementSize;
        if (available is long total && total - 4 - dimBytes.Length < needed)
        {
            throw Truncated(shape, needed, total - 4 - dimBytes.Length);
        }

        // Read before allocating the result, in chunks, so that a header that overstates the data allocates no more than arrives.
        byte[] data;
        if (available is not null)
        {
            data = new byte[needed];
            source.ReadExactly(data);
        }
        else
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            while (buffer.Length < needed)
            {
                int read = source.Read(chunk, 0, (int)Math.Min(chunk.Length, needed - buffer.Length));
                if (read == 0)
                {
                    throw Truncated(shape, needed, buffer.Length);
                }

                buffer.Write(chunk, 0, read);
            }

            data = buffer.ToArray();
        }

        DType target = dtype ?? (code == 0x0D ? DType.Float32 : code == 0x0E ? DType.Float64 : DType.Int64);
        return Decode(data, code, (int)count, shape, target);
    }

    private static InvalidDataException Truncated(int[] shape, long needed, long got) =>
        new($"IDX: the data is truncated: dimensions [{string.Join(", ", shape)}] need {needed} bytes of elements, but only {got} follow the header.");

    private static Tensor Decode(byte[] data, int code, int count, int[] shape, DType target)
    {
        switch (target)
        {
            case DType.Float32:
            {
                var values = new float[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = (float)Element(data, code, i);
                }

                return Tensor.From(values, shape);
            }

            case DType.Int64 or DType.Int32 or DType.Bool when code is not (0x0D or 0x0E):
            {
                var values = new long[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = IntegerElement(data, code, i);
                }

                return Tensor.From(values, shape).To(target);
            }

            default:
            {
                var values = new double[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = Element(data, code, i);
                }

                return Tensor.From(values, shape).To(target);
            }
        }
    }

    private static long IntegerElement(byte[] data, int code, int i) => code switch
    {
        0x08 => data[i],
        0x09 => (sbyte)data[i],
        0x0B => BinaryPrimitives.ReadInt16BigEndian(data.AsSpan(2 * i)),
        _ => BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4 * i)),
    };

    private static double Element(byte[] data, int code, int i) => code switch
    {
        0x0D => BinaryPrimitives.ReadSingleBigEndian(data.AsSpan(4 * i)),
        0x0E => BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan(8 * i)),
        _ => IntegerElement(data, code, i),
    };

    /// <summary>A read-only stream that yields <c>prefix</c> and then the rest of <c>inner</c> (which it leaves open).</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _used;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_used < prefix.Length && buffer.Length > 0)
            {
                int n = Math.Min(buffer.Length, prefix.Length - _used);
                prefix.AsSpan(_used, n).CopyTo(buffer);
                _used += n;
                return n;
            }

            return inner.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
