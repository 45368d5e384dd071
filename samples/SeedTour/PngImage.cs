using System.Buffers.Binary;
using System.IO.Compression;

namespace SeedTour;

/// <summary>A minimal RGB image written as PNG (signature, IHDR, one zlib IDAT, IEND).</summary>
public sealed class PngImage(int width, int height)
{
    private readonly byte[] _pixels = new byte[width * height * 3];

    public void Fill(byte r, byte g, byte b)
    {
        for (int i = 0; i < _pixels.Length; i += 3)
        {
            (_pixels[i], _pixels[i + 1], _pixels[i + 2]) = (r, g, b);
        }
    }

    public void Set(int x, int y, byte r, byte g, byte b)
    {
        if ((uint)x >= (uint)width || (uint)y >= (uint)height)
        {
            return;
        }

        int at = ((y * width) + x) * 3;
        (_pixels[at], _pixels[at + 1], _pixels[at + 2]) = (r, g, b);
    }

    public void Save(string path)
    {
        // A directory given on the command line may not exist yet.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using FileStream file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;   // bit depth
        header[9] = 2;   // colour type: RGB
        WriteChunk(file, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0);   // filter type: none
                zlib.Write(_pixels, y * width * 3, width * 3);
            }
        }

        WriteChunk(file, "IDAT", compressed.ToArray());
        WriteChunk(file, "IEND", []);
    }

    /// <summary>CRC-32 (polynomial 0xEDB88320, reflected) as PNG chunks require, bit by bit: images here are small.</summary>
    private static uint Crc32(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte value in bytes)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return crc;
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        uint crc = Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }
}
