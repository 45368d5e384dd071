using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Autograd.Serialization;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face's <c>safetensors</c>, loadable by
/// <c>safetensors.torch.load_file</c>): an 8-byte little-endian header length <c>N</c>, <c>N</c> bytes of a UTF-8 JSON
/// object <c>{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, …}</c> (with an optional
/// <c>"__metadata__"</c> string-to-string map) padded with spaces to a multiple of 8, then the tensors' little-endian,
/// row-major bytes, which the offsets (relative to the end of the header) must cover exactly, without holes or overlaps.
/// </summary>
/// <remarks>
/// Supported dtypes: <c>F32</c>, <c>F64</c>, <c>I64</c>, <c>I32</c>, <c>BOOL</c>, <c>F16</c>, <c>BF16</c>. The reader checks
/// every rule of the format before it allocates a tensor, so a corrupt or hostile file throws
/// <see cref="SafeTensorsException"/> and never makes the reader allocate more than the file holds. With a model, the
/// usual pair is <c>SafeTensors.Save(path, model.StateDict())</c> and <c>model.LoadStateDict(SafeTensors.Load(path))</c>
/// where the module offers those methods; any name-to-tensor dictionary works.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest header the reader accepts (the reference implementation's limit, 100 MB).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (and optional string metadata) to the file <paramref name="path"/> in the safetensors format.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="tensors">Name to tensor; any dtype above, any strides (written row-major).</param>
    /// <param name="metadata">Free-form strings stored under <c>__metadata__</c>, or null for none.</param>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] header = BuildHeader(tensors, metadata, out List<KeyValuePair<string, Tensor>> ordered);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        WriteFile(file, header, ordered);
    }

    /// <summary>Writes <paramref name="tensors"/> (and optional string metadata) to <paramref name="stream"/> in the safetensors format.</summary>
    /// <param name="stream">A writable stream; left open.</param>
    /// <param name="tensors">Name to tensor; any dtype above, any strides (written row-major).</param>
    /// <param name="metadata">Free-form strings stored under <c>__metadata__</c>, or null for none.</param>
    /// <remarks>
    /// As the reference writer, the tensors are laid out by descending dtype alignment (I64, F64, F32, I32, BF16, F16,
    /// BOOL) and then by name (ordinal on UTF-8 bytes); the JSON is compact, <c>__metadata__</c> first with its keys in
    /// the same name order. The same dictionary therefore always gives the same bytes.
    /// </remarks>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = BuildHeader(tensors, metadata, out List<KeyValuePair<string, Tensor>> ordered);
        WriteFile(stream, header, ordered);
    }

    /// <summary>The tensors of the safetensors file <paramref name="path"/>, in the order of their data in the file.</summary>
    /// <exception cref="SafeTensorsException">The file breaks the format (see <see cref="Load(Stream)"/>).</exception>
    public static Dictionary<string, Tensor> Load(string path) => LoadWithMetadata(path).Tensors;

    /// <summary>The tensors of the safetensors data in <paramref name="stream"/>, in the order of their data.</summary>
    /// <param name="stream">A readable stream positioned at the start of the data; a stream that cannot seek is first copied to memory.</param>
    /// <exception cref="SafeTensorsException">
    /// The header length is past the end of the data or over <see cref="MaxHeaderLength"/>; the header is not a UTF-8
    /// JSON object starting with <c>{</c>; a name is duplicated; an entry lacks or mistypes dtype, shape or data_offsets;
    /// a dtype is unknown or unsupported; a dimension is negative; shape × element size differs from the byte range; the
    /// ranges overlap, leave a hole, run past the end of the data or leave bytes after it.
    /// </exception>
    public static Dictionary<string, Tensor> Load(Stream stream) => LoadWithMetadata(stream).Tensors;

    /// <summary>The tensors and the <c>__metadata__</c> map (empty when absent) of the safetensors file <paramref name="path"/>.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) LoadWithMetadata(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream file = File.OpenRead(path);
        return LoadWithMetadata(file);
    }

    /// <summary>The tensors and the <c>__metadata__</c> map (empty when absent) of the safetensors data in <paramref name="stream"/>.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) LoadWithMetadata(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            // The length must be known before anything is allocated; a copy holds no more than the stream does.
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            return LoadSeekable(copy);
        }

        return LoadSeekable(stream);
    }

    private static (Dictionary<string, Tensor>, Dictionary<string, string>) LoadSeekable(Stream stream)
    {
        long start = stream.Position;
        long available = stream.Length - start;
        if (available < 8)
        {
            throw new SafeTensorsException($"safetensors: the data is {available} bytes long, too short for the 8-byte header length.");
        }

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength)
        {
            throw new SafeTensorsException($"safetensors: the header length {headerLength} is over the {MaxHeaderLength}-byte limit.");
        }

        if ((long)headerLength > available - 8)
        {
            throw new SafeTensorsException($"safetensors: the header length {headerLength} is past the end of the data ({available - 8} bytes follow the length).");
        }

        var header = new byte[(int)headerLength];
        stream.ReadExactly(header);
        long dataLength = available - 8 - (long)headerLength;
        (List<Entry> entries, Dictionary<string, string> metadata) = ParseHeader(header, dataLength);

        var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        long dataStart = start + 8 + (long)headerLength;
        foreach (Entry entry in entries)
        {
            stream.Position = dataStart + entry.Begin;
            tensors.Add(entry.Name, TensorBytes.Read(stream, entry.DType, entry.Shape));
        }

        return (tensors, metadata);
    }

    /// <summary>One tensor of the header, checked.</summary>
    private sealed record Entry(string Name, DType DType, int[] Shape, long Begin, long End);

    /// <summary>Parses and checks the header against every rule of the format, for data of <paramref name="dataLength"/> bytes.</summary>
    private static (List<Entry>, Dictionary<string, string>) ParseHeader(byte[] header, long dataLength)
    {
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            throw new SafeTensorsException("safetensors: the header must begin with '{'.");
        }

        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new SafeTensorsException("safetensors: the header is not valid UTF-8 JSON: it holds bytes that are not UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException("safetensors: the header is not valid UTF-8 JSON: " + e.Message, e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SafeTensorsException($"safetensors: the header must be a JSON object, not {root.ValueKind}.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new SafeTensorsException($"safetensors: the name '{property.Name}' appears twice in the header.");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value));
                }
            }

            CheckRanges(entries, dataLength);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsException($"safetensors: __metadata__ must be an object of strings, not {value.ValueKind}.");
        }

        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafeTensorsException($"safetensors: __metadata__ value '{item.Name}' must be a string, not {item.Value.ValueKind}.");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new SafeTensorsException($"safetensors: __metadata__ key '{item.Name}' appears twice.");
            }
        }
    }

    private static Entry ReadEntry(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsException($"safetensors: tensor '{name}' must be an object with dtype, shape and data_offsets, not {value.ValueKind}.");
        }

        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new SafeTensorsException($"safetensors: tensor '{name}' has no string 'dtype'.");
        }

        DType dtype = ParseDType(name, dtypeElement.GetString()!);
        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new SafeTensorsException($"safetensors: tensor '{name}' has no array 'shape'.");
        }

        var shape = new int[shapeElement.GetArrayLength()];
        ulong count = 1;
        bool overflow = false;
        int d = 0;
        foreach (JsonElement dimElement in shapeElement.EnumerateArray())
        {
            long dim = ReadInteger(name, "shape", dimElement);
            if (dim > int.MaxValue)
            {
                throw new SafeTensorsException($"safetensors: tensor '{name}' has dimension {dim}, more than a tensor here can hold.");
            }

            shape[d++] = (int)dim;
            overflow |= dim != 0 && count > ulong.MaxValue / (ulong)dim;
            count = overflow ? 0 : count * (ulong)dim;
        }

        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new SafeTensorsException($"safetensors: tensor '{name}' has no 'data_offsets' pair [begin, end].");
        }

        long begin = ReadInteger(name, "data_offsets", offsets[0]);
        long end = ReadInteger(name, "data_offsets", offsets[1]);
        if (end < begin)
        {
            throw new SafeTensorsException($"safetensors: tensor '{name}' has data_offsets [{begin}, {end}] that end before they begin.");
        }

        int elementSize = dtype.ElementSize();
        if (overflow || count > (ulong)Array.MaxLength || count * (ulong)elementSize != (ulong)(end - begin))
        {
            throw new SafeTensorsException(
                $"safetensors: tensor '{name}' of dtype {SafeName(dtype)} and shape [{string.Join(", ", shape)}] needs "
                + (overflow ? "more bytes than can be counted" : $"{count * (ulong)elementSize} bytes") + $", but its data_offsets [{begin}, {end}] span {end - begin}.");
        }

        return new Entry(name, dtype, shape, begin, end);
    }

    /// <summary>A non-negative JSON integer of the header (dimensions and offsets).</summary>
    private static long ReadInteger(string name, string field, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value))
        {
            throw new SafeTensorsException($"safetensors: tensor '{name}' has a {field} entry {element.GetRawText()} that is not an integer.");
        }

        if (value < 0)
        {
            throw new SafeTensorsException($"safetensors: tensor '{name}' has a negative {field} entry {value}.");
        }

        return value;
    }

    /// <summary>The ranges, sorted by offset, must tile <c>[0, dataLength)</c> exactly: no overlap, no hole, nothing past the end or after the last.</summary>
    private static void CheckRanges(List<Entry> entries, long dataLength)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        string previous = "the start of the data";
        foreach (Entry entry in entries)
        {
            if (entry.Begin < expected)
            {
                throw new SafeTensorsException($"safetensors: tensor '{entry.Name}' (data_offsets [{entry.Begin}, {entry.End}]) overlaps {previous}, which ends at {expected}.");
            }

            if (entry.Begin > expected)
            {
                throw new SafeTensorsException($"safetensors: the bytes [{expected}, {entry.Begin}) between {previous} and tensor '{entry.Name}' belong to no tensor (the data may have no holes).");
            }

            if (entry.End > dataLength)
            {
                throw new SafeTensorsException($"safetensors: tensor '{entry.Name}' (data_offsets [{entry.Begin}, {entry.End}]) runs past the end of the data ({dataLength} bytes): the file is truncated or corrupt.");
            }

            expected = entry.End;
            previous = $"tensor '{entry.Name}'";
        }

        if (expected != dataLength)
        {
            throw new SafeTensorsException($"safetensors: {dataLength - expected} bytes after the last tensor belong to no tensor (the data has {dataLength} bytes, the tensors cover {expected}).");
        }
    }

    private static DType ParseDType(string name, string dtype) => dtype switch
    {
        "F32" => DType.Float32,
        "F64" => DType.Float64,
        "I64" => DType.Int64,
        "I32" => DType.Int32,
        "BOOL" => DType.Bool,
        "F16" => DType.Float16,
        "BF16" => DType.BFloat16,
        "U8" or "I8" or "I16" or "U16" or "U32" or "U64" or "C64" or "F4" or "F6_E2M3" or "F6_E3M2" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "F8_E4M3FNUZ" or "F8_E5M2FNUZ" =>
            throw new SafeTensorsException($"safetensors: tensor '{name}' has dtype {dtype}, which this library has no tensors of (supported: F32, F64, I64, I32, BOOL, F16, BF16)."),
        _ => throw new SafeTensorsException($"safetensors: tensor '{name}' has unknown dtype '{dtype}'."),
    };

    /// <summary>The format's name for <paramref name="dtype"/>.</summary>
    internal static string SafeName(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.Bool => "BOOL",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The position of <paramref name="dtype"/> in the format's dtype order (increasing alignment); the writer lays out larger first.</summary>
    private static int AlignmentRank(DType dtype) => dtype switch
    {
        DType.Bool => 0,
        DType.Float16 => 1,
        DType.BFloat16 => 2,
        DType.Int32 => 3,
        DType.Float32 => 4,
        DType.Float64 => 5,
        DType.Int64 => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Ordinal comparison of the UTF-8 bytes of two strings (Rust's <c>String</c> order).</summary>
    private static int CompareUtf8(string a, string b) => StrictUtf8.GetBytes(a).AsSpan().SequenceCompareTo(StrictUtf8.GetBytes(b));

    private static byte[] BuildHeader(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata, out List<KeyValuePair<string, Tensor>> ordered)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ordered = [];
        foreach (KeyValuePair<string, Tensor> item in tensors)
        {
            if (item.Key is null || item.Value is null)
            {
                throw new ArgumentException("safetensors: tensor names and tensors must not be null.", nameof(tensors));
            }

            if (item.Key == MetadataKey)
            {
                throw new ArgumentException($"safetensors: '{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
            }

            ordered.Add(item);
        }

        ordered.Sort((a, b) =>
        {
            int byDType = AlignmentRank(b.Value.DType).CompareTo(AlignmentRank(a.Value.DType));
            return byDType != 0 ? byDType : CompareUtf8(a.Key, b.Key);
        });

        var json = new StringBuilder("{");
        if (metadata is not null)
        {
            var keys = metadata.Keys.ToList();
            keys.Sort(CompareUtf8);
            json.Append('"').Append(MetadataKey).Append("\":{");
            for (int i = 0; i < keys.Count; i++)
            {
                string value = metadata[keys[i]] ?? throw new ArgumentException($"safetensors: metadata value '{keys[i]}' is null.", nameof(metadata));
                json.Append(i == 0 ? "" : ",");
                AppendString(json, keys[i]).Append(':');
                AppendString(json, value);
            }

            json.Append('}');
        }

        long offset = 0;
        foreach ((string name, Tensor tensor) in ordered)
        {
            long length = TensorBytes.ByteLength(tensor);
            json.Append(json.Length == 1 ? "" : ",");
            AppendString(json, name).Append(":{\"dtype\":\"").Append(SafeName(tensor.DType)).Append("\",\"shape\":[");
            json.AppendJoin(',', tensor.Shape.ToArray());
            json.Append("],\"data_offsets\":[").Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((offset + length).ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset += length;
        }

        json.Append('}');
        byte[] text;
        try
        {
            text = StrictUtf8.GetBytes(json.ToString());
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("safetensors: a name or metadata string is not valid UTF-16 (an unpaired surrogate).", nameof(tensors), e);
        }

        int padded = (text.Length + 7) / 8 * 8;
        var header = new byte[padded];
        text.CopyTo(header, 0);
        header.AsSpan(text.Length).Fill((byte)' ');
        return header;
    }

    /// <summary>Appends <paramref name="value"/> as a JSON string escaped as serde_json escapes it (quote, backslash, control characters).</summary>
    private static StringBuilder AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        return json.Append('"');
    }

    private static void WriteFile(Stream stream, byte[] header, List<KeyValuePair<string, Tensor>> ordered)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (KeyValuePair<string, Tensor> item in ordered)
        {
            TensorBytes.Write(item.Value, stream);
        }

        stream.Flush();
    }
}
