using System.Buffers.Binary;
using System.IO.Compression;
using Autograd.Data;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Data;

public class ReaderTests
{
    private static Tensor Csv(string text, bool hasHeader = false, char delimiter = ',', DType dtype = DType.Float32) =>
        Autograd.Data.Csv.ReadTensor(new StringReader(text), hasHeader, delimiter, dtype);

    [Fact]
    public void Csv_ReadsNumbers_WithHeaderBlankLinesQuotesAndSpecials()
    {
        Tensor t = Csv("a,b,c\n1, 2.5 ,\"-3e2\"\n\ninf,-inf,nan\n", hasHeader: true);
        t.Shape.ToArray().Should().Equal(2, 3);
        float[] v = t.ToArray<float>();
        v[..3].Should().Equal(1f, 2.5f, -300f);
        float.IsPositiveInfinity(v[3]).Should().BeTrue();
        float.IsNegativeInfinity(v[4]).Should().BeTrue();
        float.IsNaN(v[5]).Should().BeTrue();

        Csv("1;2\n3;4", delimiter: ';', dtype: DType.Int64).ToArray<long>().Should().Equal(1, 2, 3, 4);
        Csv("0.1", dtype: DType.Float64).Item<double>().Should().Be(0.1);
        Csv("true,0\nFALSE,1", dtype: DType.Bool).ToArray<bool>().Should().Equal(true, false, false, true);
        Csv("x,y\n", hasHeader: true).Shape.ToArray().Should().Equal(0, 2);
    }

    [Fact]
    public void Csv_FromAFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "1,2\n3,4\n");
            Autograd.Data.Csv.ReadTensor(path).ToArray<float>().Should().Equal(1, 2, 3, 4);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Csv_MalformedInput_NamesLineAndColumn()
    {
        var ragged = () => Csv("1,2\n3\n");
        ragged.Should().Throw<FormatException>().WithMessage("CSV line 2 has 1 fields, but line 1 has 2.");
        var word = () => Csv("1,x\n");
        word.Should().Throw<FormatException>().WithMessage("CSV line 1, column 2: 'x' is not a number of dtype torch.float32.");
        var empty = () => Csv("1,,3\n");
        empty.Should().Throw<FormatException>().WithMessage("CSV line 1, column 2: the field is empty.");
        var fraction = () => Csv("1.5\n", dtype: DType.Int64);
        fraction.Should().Throw<FormatException>().WithMessage("*'1.5' is not a number of dtype torch.int64*");
    }

    /// <summary>An IDX file: 0, 0, type code, rank, big-endian dims, then the payload.</summary>
    private static byte[] IdxBytes(byte code, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + (4 * dims.Length) + payload.Length];
        bytes[2] = code;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * d)), dims[d]);
        }

        payload.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    [Fact]
    public void Idx_ReadsMnistLikeImagesAndLabels_PlainAndGzip()
    {
        byte[] images = IdxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
        Tensor t = Idx.Read(new MemoryStream(images));
        t.DType.Should().Be(DType.Int64);
        t.Shape.ToArray().Should().Equal(2, 2, 3);
        t.ToArray<long>()[11].Should().Be(255);   // ubyte is unsigned

        Tensor g = Idx.Read(new MemoryStream(Gzip(images)), DType.Float32);
        g.DType.Should().Be(DType.Float32);
        g.ToArray<float>().Should().Equal(0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255);

        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Gzip(IdxBytes(0x08, [3], [7, 2, 9])));
            Idx.Read(path).ToArray<long>().Should().Equal(7, 2, 9);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Idx_ReadsEveryTypeCode_BigEndian()
    {
        Idx.Read(new MemoryStream(IdxBytes(0x09, [2], [0xff, 0x7f]))).ToArray<long>().Should().Equal(-1, 127);
        Idx.Read(new MemoryStream(IdxBytes(0x0B, [2], [0xff, 0xfe, 0x01, 0x00]))).ToArray<long>().Should().Equal(-2, 256);
        Idx.Read(new MemoryStream(IdxBytes(0x0C, [1], [0x80, 0, 0, 0]))).ToArray<long>().Should().Equal(int.MinValue);
        Idx.Read(new MemoryStream(IdxBytes(0x0D, [1], [0x3f, 0xc0, 0, 0]))).ToArray<float>().Should().Equal(1.5f);   // 0x3fc00000 = 1.5f
        Idx.Read(new MemoryStream(IdxBytes(0x0E, [1], [0xc0, 0, 0, 0, 0, 0, 0, 0]))).ToArray<double>().Should().Equal(-2.0);   // 0xc000… = −2
        Idx.Read(new MemoryStream(IdxBytes(0x08, [2], [3, 4])), DType.Int32).ToArray<int>().Should().Equal(3, 4);
    }

    [Fact]
    public void Idx_MalformedInput()
    {
        void Fails(byte[] data, string message)
        {
            var act = () => Idx.Read(new MemoryStream(data));
            act.Should().Throw<InvalidDataException>().WithMessage(message);
        }

        Fails([0, 0, 8], "*shorter than the 4-byte magic number*");
        Fails([1, 0, 8, 1, 0, 0, 0, 1, 5], "*bad magic number 0x01000801*");
        Fails(IdxBytes(0x0A, [1], [0]), "*unknown data type code 0x0a*");
        Fails(IdxBytes(0x08, [-3], []), "*dimension 0 is negative (-3)*");
        Fails(IdxBytes(0x08, [2, 3], [1, 2])[..^1], "*truncated*need 6 bytes*only 1 follow*");
        Fails(Gzip(IdxBytes(0x0C, [60000, 28, 28], [1, 2, 3, 4])), "*truncated*need 188160000 bytes*only 4 follow*");
        Fails(IdxBytes(0x08, [3, 4], [1, 2, 3])[..10], "*ends inside the 2 dimensions*");
        Fails(IdxBytes(0x08, [65536, 65536], []), "*more elements than a tensor can*");
    }
}
