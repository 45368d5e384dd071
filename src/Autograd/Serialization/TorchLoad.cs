using System.IO.Compression;
using System.Text;

namespace Autograd.Serialization;

/// <summary>
/// Reads the tensors of a checkpoint written by <c>torch.save(model.state_dict(), path)</c> (the zip format of PyTorch
/// 1.6 and later): a dict or <c>collections.OrderedDict</c> of name to tensor, pickled in <c>&lt;archive&gt;/data.pkl</c>
/// with each storage's bytes in <c>&lt;archive&gt;/data/&lt;key&gt;</c>.
/// </summary>
/// <remarks>
/// The pickle is read by a minimal unpickler that runs no code: the only globals it accepts are
/// <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c>, <c>torch._utils._rebuild_parameter</c> and the
/// storage classes <c>torch.FloatStorage</c>, <c>DoubleStorage</c>, <c>LongStorage</c>, <c>IntStorage</c>,
/// <c>BoolStorage</c>, <c>HalfStorage</c> and <c>BFloat16Storage</c>; any other global is refused with a
/// <see cref="TorchLoadException"/> that names it. Each tensor is a fresh contiguous copy of its storage's elements at
/// its offset, sizes and strides (so views, transposes and tensors sharing one storage all load with their own values).
/// With a model: <c>model.LoadStateDict(TorchLoad.Load(path))</c> where the module offers that method.
/// </remarks>
public static class TorchLoad
{
    /// <summary>The state dict in the <c>torch.save</c> file <paramref name="path"/>, in the file's order.</summary>
    /// <exception cref="TorchLoadException">
    /// The file is not a zip checkpoint, its pickle is corrupt or asks for a global that is not allowed, a storage is
    /// missing or of the wrong size, a tensor reaches outside its storage, or the top-level object is not a dict of tensors.
    /// </exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream file = File.OpenRead(path);
        return Load(file);
    }

    /// <summary>The state dict in a <c>torch.save</c> checkpoint read from <paramref name="stream"/> (left open).</summary>
    /// <exception cref="TorchLoadException">As <see cref="Load(string)"/>.</exception>
    public static Dictionary<string, Tensor> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            return Load(copy);
        }

        long start = stream.Position;
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = start;
        if (got < 4 || magic[0] != (byte)'P' || magic[1] != (byte)'K')
        {
            throw new TorchLoadException(got >= 2 && magic[0] == 0x80
                ? "torch.load: this is the legacy (pre-1.6, non-zip) torch.save format, which is not read; save with torch.save(..., _use_new_zipfile_serialization=True)."
                : "torch.load: not a torch.save checkpoint (no zip archive).");
        }

        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new TorchLoadException("torch.load: the zip archive is corrupt: " + e.Message, e);
        }

        using (archive)
        {
            try
            {
                return new Reader(archive, stream.Length - start).Read();
            }
            catch (InvalidDataException e)
            {
                throw new TorchLoadException("torch.load: the zip archive is corrupt: " + e.Message, e);
            }
            catch (EndOfStreamException e)
            {
                throw new TorchLoadException("torch.load: a zip entry is truncated.", e);
            }
        }
    }

    /// <summary>A storage named by a persistent id, loaded on first use.</summary>
    private sealed class StorageRef(DType dtype, string key, long count)
    {
        internal DType DType { get; } = dtype;

        internal string Key { get; } = key;

        internal long Count { get; } = count;

        internal Tensor? Data { get; set; }
    }

    private sealed class Reader(ZipArchive archive, long archiveLength) : IPickleHost
    {
        private static readonly PyGlobal OrderedDict = new("collections", "OrderedDict");
        private static readonly PyGlobal RebuildTensor = new("torch._utils", "_rebuild_tensor_v2");
        private static readonly PyGlobal RebuildParameter = new("torch._utils", "_rebuild_parameter");

        private readonly Dictionary<string, StorageRef> _storages = new(StringComparer.Ordinal);
        private string _prefix = "";

        internal Dictionary<string, Tensor> Read()
        {
            ZipArchiveEntry pickle = FindPickle();
            _prefix = pickle.FullName[..^"data.pkl".Length];
            ZipArchiveEntry? byteOrder = archive.GetEntry(_prefix + "byteorder");
            if (byteOrder is not null && Encoding.ASCII.GetString(ReadEntry(byteOrder, 16)).Trim() != "little")
            {
                throw new TorchLoadException("torch.load: the checkpoint was written big-endian, which is not read.");
            }

            object? root = new Unpickler(ReadEntry(pickle, int.MaxValue), this).Load();
            if (root is not PyDict dict)
            {
                throw new TorchLoadException($"torch.load: the checkpoint holds {Unpickler.Describe(root)}, not a state dict (a dict of name to tensor).");
            }

            var result = new Dictionary<string, Tensor>(dict.Items.Count, StringComparer.Ordinal);
            foreach ((object key, object? value) in dict.Items)
            {
                if (key is not string name)
                {
                    throw new TorchLoadException($"torch.load: the state dict has the key {Unpickler.Describe(key)}; keys must be strings.");
                }

                result.Add(name, value as Tensor ?? throw new TorchLoadException($"torch.load: the state dict entry '{name}' is {Unpickler.Describe(value)}, not a tensor; only dicts of tensors are read."));
            }

            return result;
        }

        private ZipArchiveEntry FindPickle()
        {
            ZipArchiveEntry? found = null;
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                string name = entry.FullName;
                if (name.EndsWith("/data.pkl", StringComparison.Ordinal) && name.IndexOf('/', StringComparison.Ordinal) == name.Length - "/data.pkl".Length)
                {
                    if (found is not null)
                    {
                        throw new TorchLoadException($"torch.load: the archive has two pickles, '{found.FullName}' and '{name}'.");
                    }

                    found = entry;
                }
            }

            return found ?? throw new TorchLoadException("torch.load: the zip archive has no '<archive>/data.pkl'; it is not a torch.save checkpoint.");
        }

        /// <summary>
        /// The bytes of <paramref name="entry"/>, after checking that its stated size is at most <paramref name="limit"/> and is
        /// one the archive can hold (stored entries no larger than the archive, deflated ones within deflate's 1032:1 ratio).
        /// </summary>
        private byte[] ReadEntry(ZipArchiveEntry entry, long limit)
        {
            long length = entry.Length;
            if (length > limit || length > Array.MaxLength || entry.CompressedLength > archiveLength || length > (entry.CompressedLength * 1032L) + 1024)
            {
                throw new TorchLoadException($"torch.load: the zip entry '{entry.FullName}' states {length} bytes, which the archive cannot hold or the reader does not expect.");
            }

            var bytes = new byte[length];
            using Stream stream = entry.Open();
            stream.ReadExactly(bytes);
            return bytes;
        }

        public PyGlobal ResolveGlobal(string module, string name)
        {
            var global = new PyGlobal(module, name);
            if (global == OrderedDict || global == RebuildTensor || global == RebuildParameter || (module == "torch" && StorageDType(name) is not null))
            {
                return global;
            }

            if (module == "torch" && name.EndsWith("Storage", StringComparison.Ordinal))
            {
                throw new TorchLoadException($"torch.load: the checkpoint holds a tensor of torch.{name}, a dtype this library has no tensors of (supported: float32, float64, int64, int32, bool, float16, bfloat16).");
            }

            throw new TorchLoadException(
                $"torch.load: refusing the global '{module}.{name}': only state dicts of tensors are read (collections.OrderedDict, "
                + "torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and torch.*Storage), and no code from a checkpoint is run.");
        }

        public object? Call(PyGlobal function, object?[] arguments)
        {
            if (function == OrderedDict)
            {
                return arguments.Length == 0 ? new PyDict() : throw new TorchLoadException("torch.load: collections.OrderedDict is called with arguments; only an empty one is read.");
            }

            if (function == RebuildTensor)
            {
                return RebuildTensorV2(arguments);
            }

            if (function == RebuildParameter)
            {
                // _rebuild_parameter(data, requires_grad, backward_hooks): the parameter's data.
                if (arguments.Length < 2 || arguments[0] is not Tensor data || arguments[1] is not bool requiresGrad)
                {
                    throw new TorchLoadException("torch.load: torch._utils._rebuild_parameter is called with arguments that are not (tensor, bool, hooks).");
                }

                if (requiresGrad && data.DType.IsFloatingPoint())
                {
                    data.RequiresGrad = true;
                }

                return data;
            }

            throw new TorchLoadException($"torch.load: the global '{function}' cannot be called.");
        }

        public object? PersistentLoad(object? id)
        {
            // ('storage', storage_type, key, location, numel), as torch.save's persistent_id writes it.
            if (id is not object?[] { Length: 5 } pid || pid[0] is not "storage" || pid[1] is not PyGlobal type
                || pid[2] is not string key || pid[3] is not string || pid[4] is not long count)
            {
                throw new TorchLoadException($"torch.load: a persistent id is {Unpickler.Describe(id)}, not ('storage', type, key, location, numel).");
            }

            DType dtype = (type.Module == "torch" ? StorageDType(type.Name) : null)
                ?? throw new TorchLoadException($"torch.load: the persistent id names '{type}', which is not a storage class.");
            if (key.Length == 0 || key.Contains('/', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal) || key.Contains("..", StringComparison.Ordinal))
            {
                throw new TorchLoadException($"torch.load: the storage key '{key}' is not a file name.");
            }

            if (_storages.TryGetValue(key, out StorageRef? known))
            {
                if (known.DType != dtype || known.Count != count)
                {
                    throw new TorchLoadException($"torch.load: the storage '{key}' is named twice with different types or sizes.");
                }

                return known;
            }

            if (count < 0 || count > Array.MaxLength)
            {
                throw new TorchLoadException($"torch.load: the storage '{key}' states {count} elements.");
            }

            var storage = new StorageRef(dtype, key, count);
            _storages.Add(key, storage);
            return storage;
        }

        public void Build(object? target, object? state)
        {
            // An OrderedDict state dict carries its modules' versions as the attribute _metadata; it holds no tensors.
            if (target is PyDict && state is PyDict)
            {
                return;
            }

            throw new TorchLoadException($"torch.load: BUILD of {Unpickler.Describe(target)} with {Unpickler.Describe(state)} is not read.");
        }

        /// <summary>
        /// <c>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])</c>: the
        /// elements <c>storage[offset + Σ iₖ·strideₖ]</c> for every index <c>i</c> of <c>size</c>, as a new contiguous tensor.
        /// </summary>
        private Tensor RebuildTensorV2(object?[] arguments)
        {
            if (arguments.Length is < 6 or > 7 || arguments[0] is not StorageRef storage || arguments[1] is not long offset
                || arguments[2] is not object?[] size || arguments[3] is not object?[] stride || arguments[4] is not bool requiresGrad)
            {
                throw new TorchLoadException("torch.load: torch._utils._rebuild_tensor_v2 is called with arguments that are not (storage, offset, size, stride, requires_grad, hooks).");
            }

            if (size.Length != stride.Length)
            {
                throw new TorchLoadException($"torch.load: a tensor of storage '{storage.Key}' has {size.Length} sizes but {stride.Length} strides.");
            }

            var shape = new int[size.Length];
            var strides = new int[size.Length];
            long count = 1, last = offset;
            for (int d = 0; d < size.Length; d++)
            {
                if (size[d] is not long n || n < 0 || n > int.MaxValue || stride[d] is not long s || s < 0 || s > int.MaxValue)
                {
                    throw new TorchLoadException($"torch.load: a tensor of storage '{storage.Key}' has size {Format(size)} and stride {Format(stride)}, which are not non-negative integers.");
                }

                shape[d] = (int)n;
                strides[d] = (int)s;
                count = n == 0 || count == 0 ? 0 : Math.Min(count * n, long.MaxValue / 4);
                last += n == 0 ? 0 : (n - 1) * s;
            }

            if (count > Array.MaxLength)
            {
                throw new TorchLoadException($"torch.load: a tensor of storage '{storage.Key}' of size {Format(size)} has more elements than a tensor here can hold.");
            }

            if (offset < 0 || (count > 0 && last >= storage.Count))
            {
                throw new TorchLoadException(
                    $"torch.load: a tensor at offset {offset} with size {Format(size)} and stride {Format(stride)} reaches element {last} of storage '{storage.Key}', which has {storage.Count}.");
            }

            Tensor result;
            if (count == 0)
            {
                result = Tensor.Zeros(shape, storage.DType);
            }
            else
            {
                Tensor data = Load(storage);
                result = new Tensor(data, (int)offset, shape, strides).CloneData();
            }

            if (requiresGrad && result.DType.IsFloatingPoint())
            {
                result.RequiresGrad = true;
            }

            return result;
        }

        private Tensor Load(StorageRef storage)
        {
            if (storage.Data is null)
            {
                string name = _prefix + "data/" + storage.Key;
                ZipArchiveEntry entry = archive.GetEntry(name) ?? throw new TorchLoadException($"torch.load: the storage '{name}' is missing from the archive.");
                long expected = storage.Count * storage.DType.ElementSize();
                if (entry.Length != expected)
                {
                    throw new TorchLoadException($"torch.load: the storage '{name}' has {entry.Length} bytes, but {storage.Count} elements of {storage.DType.TorchName()} need {expected}.");
                }

                byte[] bytes = ReadEntry(entry, expected);
                storage.Data = TensorBytes.FromBytes(bytes, storage.DType, [(int)storage.Count]);
            }

            return storage.Data;
        }

        private static string Format(object?[] values) => "(" + string.Join(", ", values.Select(v => v?.ToString() ?? "None")) + ")";

        /// <summary>The dtype of the legacy storage class <c>torch.&lt;name&gt;</c>, or null for one this library has no tensors of.</summary>
        private static DType? StorageDType(string name) => name switch
        {
            "FloatStorage" => DType.Float32,
            "DoubleStorage" => DType.Float64,
            "LongStorage" => DType.Int64,
            "IntStorage" => DType.Int32,
            "BoolStorage" => DType.Bool,
            "HalfStorage" => DType.Float16,
            "BFloat16Storage" => DType.BFloat16,
            _ => null,
        };
    }
}
