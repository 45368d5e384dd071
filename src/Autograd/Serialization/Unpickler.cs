using System.Buffers.Binary;
using System.Text;

namespace Autograd.Serialization;

/// <summary>A Python global named by a pickle (<c>module.name</c>), only ever one of the few the unpickler allows.</summary>
internal sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => Module + "." + Name;
}

/// <summary>A Python dict (or <c>collections.OrderedDict</c>) as unpickled: insertion-ordered, a later value of a key replaces the earlier.</summary>
internal sealed class PyDict
{
    private readonly Dictionary<object, int> _index = [];

    /// <summary>The items in insertion order.</summary>
    internal List<KeyValuePair<object, object?>> Items { get; } = [];

    internal void Set(object? key, object? value, long position)
    {
        if (key is not (string or long or bool))
        {
            throw new TorchLoadException($"torch.load: a dict key at byte {position} of data.pkl is {Unpickler.Describe(key)}; only string and integer keys are read.");
        }

        if (_index.TryGetValue(key, out int i))
        {
            Items[i] = new(key, value);
        }
        else
        {
            _index.Add(key, Items.Count);
            Items.Add(new(key, value));
        }
    }
}

/// <summary>
/// A minimal pickle reader that builds plain data (None, bool, int, float, str, tuple, list, dict) and hands the few
/// constructs a state dict needs to <see cref="IPickleHost"/>. It runs no code: a <c>GLOBAL</c> the host does not
/// allow is refused on sight, and calls (<c>REDUCE</c>) and persistent ids go only to the host.
/// </summary>
internal sealed class Unpickler(byte[] data, IPickleHost host)
{
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    /// <summary>The object the pickle stops with.</summary>
    internal object? Load()
    {
        while (true)
        {
            if (_position >= data.Length)
            {
                throw Corrupt("data.pkl ends without a STOP opcode");
            }

            int at = _position;
            byte op = data[_position++];
            switch (op)
            {
                case 0x80: // PROTO
                    byte protocol = ReadByte();
                    if (protocol > 5)
                    {
                        throw Corrupt($"unsupported pickle protocol {protocol}");
                    }

                    break;
                case 0x95: // FRAME (protocol 4): an 8-byte frame length that framing-unaware readers skip
                    ReadBytes(8);
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                    {
                        throw Corrupt($"STOP at byte {at} with {_stack.Count} objects on the stack");
                    }

                    return _stack[0];
                case (byte)'(': // MARK
                    _marks.Push(_stack.Count);
                    break;
                case (byte)'0': // POP
                    Pop();
                    break;
                case (byte)'1': // POP_MARK
                    PopMark();
                    break;
                case (byte)'2': // DUP
                    Push(Peek());
                    break;
                case (byte)'N': // NONE
                    Push(null);
                    break;
                case 0x88: // NEWTRUE
                    Push(true);
                    break;
                case 0x89: // NEWFALSE
                    Push(false);
                    break;
                case (byte)'K': // BININT1
                    Push((long)ReadByte());
                    break;
                case (byte)'M': // BININT2
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
                    break;
                case (byte)'J': // BININT
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)));
                    break;
                case 0x8a: // LONG1: a little-endian two's-complement integer of n bytes
                    Push(ReadLong(ReadByte()));
                    break;
                case (byte)'G': // BINFLOAT (big-endian double)
                    Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)));
                    break;
                case (byte)'X': // BINUNICODE
                    Push(ReadString(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    Push(ReadString(ReadByte()));
                    break;
                case 0x8d: // BINUNICODE8
                    Push(ReadString(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8))));
                    break;
                case (byte)')': // EMPTY_TUPLE
                    Push(Array.Empty<object?>());
                    break;
                case (byte)'t': // TUPLE
                    Push(PopMark().ToArray());
                    break;
                case 0x85: // TUPLE1
                    Push(new[] { Pop() });
                    break;
                case 0x86: // TUPLE2
                {
                    object? b = Pop(), a = Pop();
                    Push(new[] { a, b });
                    break;
                }

                case 0x87: // TUPLE3
                {
                    object? c = Pop(), b = Pop(), a = Pop();
                    Push(new[] { a, b, c });
                    break;
                }

                case (byte)']': // EMPTY_LIST
                    Push(new List<object?>());
                    break;
                case (byte)'a': // APPEND
                {
                    object? item = Pop();
                    ListOnTop(at).Add(item);
                    break;
                }

                case (byte)'e': // APPENDS
                {
                    List<object?> items = PopMark();
                    ListOnTop(at).AddRange(items);
                    break;
                }

                case (byte)'}': // EMPTY_DICT
                    Push(new PyDict());
                    break;
                case (byte)'d': // DICT
                {
                    List<object?> items = PopMark();
                    var dict = new PyDict();
                    AddPairs(dict, items, at);
                    Push(dict);
                    break;
                }

                case (byte)'s': // SETITEM
                {
                    object? value = Pop(), key = Pop();
                    DictOnTop(at).Set(key, value, at);
                    break;
                }

                case (byte)'u': // SETITEMS
                {
                    List<object?> items = PopMark();
                    AddPairs(DictOnTop(at), items, at);
                    break;
                }

                case (byte)'q': // BINPUT
                    _memo[ReadByte()] = Peek();
                    break;
                case (byte)'r': // LONG_BINPUT
                    _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek();
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Peek();
                    break;
                case (byte)'h': // BINGET
                    Push(Get(ReadByte(), at));
                    break;
                case (byte)'j': // LONG_BINGET
                    Push(Get(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)), at));
                    break;
                case (byte)'c': // GLOBAL "module\nname\n"
                {
                    string module = ReadLine(), name = ReadLine();
                    Push(host.ResolveGlobal(module, name));
                    break;
                }

                case 0x93: // STACK_GLOBAL
                {
                    object? name = Pop(), module = Pop();
                    if (module is not string m || name is not string n)
                    {
                        throw Corrupt($"STACK_GLOBAL at byte {at} without two strings");
                    }

                    Push(host.ResolveGlobal(m, n));
                    break;
                }

                case (byte)'R': // REDUCE
                {
                    object? args = Pop(), callable = Pop();
                    if (callable is not PyGlobal function || args is not object?[] arguments)
                    {
                        throw Corrupt($"REDUCE at byte {at} calls {Describe(callable)} with {Describe(args)}");
                    }

                    Push(host.Call(function, arguments));
                    break;
                }

                case (byte)'Q': // BINPERSID
                    Push(host.PersistentLoad(Pop()));
                    break;
                case (byte)'b': // BUILD
                {
                    object? state = Pop();
                    host.Build(Peek(), state);
                    break;
                }

                default:
                    throw Corrupt($"unsupported pickle opcode 0x{op:x2} at byte {at}; only the opcodes torch.save writes for a state dict of tensors are read");
            }
        }
    }

    /// <summary>How an unpickled value is named in messages.</summary>
    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"the string '{s}'",
        long or bool or double => $"the value {value}",
        object?[] t => $"a tuple of {t.Length}",
        List<object?> => "a list",
        PyDict => "a dict",
        PyGlobal g => $"the global {g}",
        Tensor t => $"a {t.DType.TorchName()} tensor of shape {t.Shape}",
        _ => value.GetType().Name,
    };

    private static void AddPairs(PyDict dict, List<object?> items, int at)
    {
        if (items.Count % 2 != 0)
        {
            throw Corrupt($"an odd number of items for a dict at byte {at}");
        }

        for (int i = 0; i < items.Count; i += 2)
        {
            dict.Set(items[i], items[i + 1], at);
        }
    }

    private PyDict DictOnTop(int at) => Peek() as PyDict ?? throw Corrupt($"dict item set at byte {at} on {Describe(Peek())}");

    private List<object?> ListOnTop(int at) => Peek() as List<object?> ?? throw Corrupt($"list append at byte {at} on {Describe(Peek())}");

    private object? Get(long key, int at) =>
        _memo.TryGetValue(key, out object? value) ? value : throw Corrupt($"memo entry {key} read at byte {at} before it was written");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > (_marks.Count == 0 ? 0 : _marks.Peek())
        ? _stack[^1]
        : throw Corrupt($"pickle stack underflow at byte {_position - 1}");

    private object? Pop()
    {
        object? value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Corrupt($"no MARK before byte {_position - 1}");
        }

        int mark = _marks.Pop();
        List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private byte ReadByte() => ReadBytes(1)[0];

    private ReadOnlySpan<byte> ReadBytes(long count)
    {
        if (count > data.Length - _position)
        {
            throw Corrupt("data.pkl is truncated");
        }

        ReadOnlySpan<byte> bytes = data.AsSpan(_position, (int)count);
        _position += (int)count;
        return bytes;
    }

    private string ReadString(ulong length)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(ReadBytes(length > int.MaxValue ? long.MaxValue : (long)length));
        }
        catch (DecoderFallbackException e)
        {
            throw new TorchLoadException("torch.load: data.pkl holds a string that is not UTF-8.", e);
        }
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(data, (byte)'\n', _position);
        if (end < 0)
        {
            throw Corrupt("data.pkl is truncated inside a GLOBAL");
        }

        string line = Encoding.ASCII.GetString(data, _position, end - _position);
        _position = end + 1;
        return line;
    }

    private long ReadLong(int length)
    {
        if (length > 8)
        {
            throw Corrupt($"an integer of {length} bytes at byte {_position - 2} is too large");
        }

        ReadOnlySpan<byte> bytes = ReadBytes(length);
        long value = 0;
        for (int i = length - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        // Sign-extend from the top bit of the last byte.
        return length is > 0 and < 8 && (bytes[^1] & 0x80) != 0 ? value - (1L << (8 * length)) : value;
    }

    private static TorchLoadException Corrupt(string message) => new("torch.load: " + message + ".");
}

/// <summary>What an <see cref="Unpickler"/> delegates: the globals it allows, the calls to them, persistent ids and BUILD.</summary>
internal interface IPickleHost
{
    /// <summary>The global <c>module.name</c>, or an exception naming it when it is not allowed.</summary>
    PyGlobal ResolveGlobal(string module, string name);

    /// <summary>The result of calling an allowed global with <paramref name="arguments"/>.</summary>
    object? Call(PyGlobal function, object?[] arguments);

    /// <summary>The object a persistent id stands for.</summary>
    object? PersistentLoad(object? id);

    /// <summary>Applies a BUILD state to <paramref name="target"/>.</summary>
    void Build(object? target, object? state);
}
