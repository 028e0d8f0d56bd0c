using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// Reads a Python pickle (protocols 0–5) into plain data without executing anything. Only the globals a PyTorch
/// state dict needs are accepted — the tensor rebuild functions, <c>collections.OrderedDict</c>, the typed storage
/// classes and <c>torch.Size</c> — and every call (REDUCE, NEWOBJ) is interpreted here rather than dispatched.
/// Any other global, and the opcodes that build arbitrary objects (INST, OBJ, EXT*, out-of-band buffers), throw
/// <see cref="UnsafePickleException"/> naming the global or opcode and its byte offset.
/// </summary>
/// <remarks>
/// Written from the opcode descriptions of CPython's <c>pickletools</c>. Bounded: the input size is fixed by the
/// caller, and the stack, the memo and the mark nesting have limits, so a hostile pickle cannot exhaust memory.
/// </remarks>
internal sealed class RestrictedUnpickler
{
    public const int MaxMemo = 1 << 20;
    public const int MaxStack = 1 << 22;
    public const int MaxMarkDepth = 1000;

    /// <summary>The most values one pickle may create (a 1000-tensor state dict needs about 20 000); bounds memory,
    /// since appends to lists and dicts do not stay on the stack.</summary>
    public const int MaxValues = 8 << 20;

    private readonly byte[] _data;
    private readonly string _source;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;
    private int _opStart;
    private int _values;
    private readonly int _maxValues;

    /// <summary>Prepares to read the pickle starting at <paramref name="start"/> in <paramref name="data"/>.</summary>
    /// <param name="data">The bytes holding the pickle (possibly followed by more data).</param>
    /// <param name="start">Offset of the pickle's first opcode.</param>
    /// <param name="source">Names the pickle in error messages (for example <c>'w.pth' (archive/data.pkl)</c>).</param>
    /// <param name="maxValues">The value budget (default <see cref="MaxValues"/>).</param>
    public RestrictedUnpickler(byte[] data, int start, string source, int maxValues = MaxValues)
    {
        _maxValues = maxValues;
        _data = data;
        _position = start;
        _source = source;
    }

    /// <summary>The element type of every storage a persistent id named, by storage key.</summary>
    public Dictionary<string, TorchDType> Storages { get; } = new(StringComparer.Ordinal);

    /// <summary>The offset just after the STOP opcode once <see cref="Load"/> has returned.</summary>
    public int Position => _position;

    /// <summary>Reads up to and including the STOP opcode and returns the pickled value.</summary>
    public object? Load()
    {
        while (true)
        {
            _opStart = _position;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    int protocol = ReadByte();
                    if (protocol > 5) throw Error($"pickle protocol {protocol} is newer than 5");
                    break;
                case 0x95: // FRAME: a length hint only
                    Take(8);
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0) throw Error($"STOP with {_stack.Count} values on the stack (expected 1)");
                    return _stack[0];

                case (byte)'(': // MARK
                    if (_marks.Count >= MaxMarkDepth) throw Error($"MARK nesting deeper than {MaxMarkDepth}");
                    _marks.Add(_stack.Count);
                    break;
                case (byte)'0': // POP
                    if (_marks.Count > 0 && _marks[^1] == _stack.Count) _marks.RemoveAt(_marks.Count - 1);
                    else Pop();
                    break;
                case (byte)'1': // POP_MARK
                    PopMark();
                    break;
                case (byte)'2': // DUP
                    Push(Peek());
                    break;

                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case 0x8a: Push(Long(Take(ReadByte()))); break; // LONG1
                case 0x8b: Push(Long(Take(Length(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))))); break; // LONG4
                case (byte)'I': Push(TextInt(ReadLine())); break; // INT
                case (byte)'L': Push(TextInt(ReadLine().TrimEnd('L'))); break; // LONG
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'F': Push(TextFloat(ReadLine())); break; // FLOAT

                case (byte)'X': Push(Utf8(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))))); break; // BINUNICODE
                case 0x8c: Push(Utf8(Take(ReadByte()))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))))); break; // BINUNICODE8
                case (byte)'V': Push(ReadLine()); break; // UNICODE (raw-unicode-escape; ASCII in practice)
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))))); break; // BINSTRING
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(ReadByte()))); break; // SHORT_BINSTRING
                case (byte)'B': Push(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))).ToArray()); break; // BINBYTES8
                case 0x96: Push(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))).ToArray()); break; // BYTEARRAY8

                case (byte)')': Push(new PickleTuple([])); break; // EMPTY_TUPLE
                case 0x85: Push(new PickleTuple([Pop()])); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b])); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b, c])); break; } // TUPLE3
                case (byte)'t': Push(new PickleTuple(PopMark().ToArray())); break; // TUPLE
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)'l': Push(PopMark()); break; // LIST
                case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)'d': { var d = new PickleDict(); SetItems(d, PopMark()); Push(d); break; } // DICT
                case 0x8f: Push(new List<object?>()); break; // EMPTY_SET (kept as a list)
                case 0x91: Push(PopMark()); break; // FROZENSET (kept as a list)
                case 0x90: // ADDITEMS
                {
                    var items = PopMark();
                    AsList(Peek(), "ADDITEMS").AddRange(items);
                    break;
                }
                case (byte)'a': // APPEND
                {
                    var item = Pop();
                    AsList(Peek(), "APPEND").Add(item);
                    break;
                }
                case (byte)'e': // APPENDS
                {
                    var items = PopMark();
                    AsList(Peek(), "APPENDS").AddRange(items);
                    break;
                }
                case (byte)'s': // SETITEM
                {
                    var value = Pop();
                    var key = Pop();
                    AsDict(Peek(), "SETITEM").Set(key, value, _opStart);
                    break;
                }
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark();
                    SetItems(AsDict(Peek(), "SETITEMS"), items);
                    break;
                }

                case (byte)'q': Put(ReadByte()); break; // BINPUT
                case (byte)'r': Put(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break; // LONG_BINPUT
                case (byte)'p': Put(TextIndex(ReadLine())); break; // PUT
                case 0x94: Put(_memo.Count); break; // MEMOIZE
                case (byte)'h': Push(Get(ReadByte())); break; // BINGET
                case (byte)'j': Push(Get(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'g': Push(Get(TextIndex(ReadLine()))); break; // GET

                case (byte)'c': // GLOBAL
                {
                    string module = ReadLine();
                    string name = ReadLine();
                    Push(ResolveGlobal(module, name, "GLOBAL"));
                    break;
                }
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop();
                    var module = Pop();
                    if (module is not string m || name is not string n) throw Error("STACK_GLOBAL needs two strings");
                    Push(ResolveGlobal(m, n, "STACK_GLOBAL"));
                    break;
                }
                case (byte)'R': // REDUCE
                {
                    var args = Pop();
                    var callable = Pop();
                    Push(Call(callable, args, "REDUCE"));
                    break;
                }
                case 0x81: // NEWOBJ
                {
                    var args = Pop();
                    var cls = Pop();
                    Push(Call(cls, args, "NEWOBJ"));
                    break;
                }
                case 0x92: // NEWOBJ_EX
                {
                    var kwargs = Pop();
                    var args = Pop();
                    var cls = Pop();
                    if (kwargs is not PickleDict { Count: 0 }) throw Error("NEWOBJ_EX with keyword arguments is not supported");
                    Push(Call(cls, args, "NEWOBJ_EX"));
                    break;
                }
                case (byte)'b': // BUILD
                {
                    var state = Pop();
                    Build(Peek(), state);
                    break;
                }
                case (byte)'Q': // BINPERSID
                    Push(PersistentLoad(Pop()));
                    break;
                case (byte)'P': // PERSID
                    Push(PersistentLoad(ReadLine()));
                    break;

                case (byte)'i': throw Refused("INST");
                case (byte)'o': throw Refused("OBJ");
                case 0x82: throw Refused("EXT1");
                case 0x83: throw Refused("EXT2");
                case 0x84: throw Refused("EXT4");
                case 0x97: throw Refused("NEXT_BUFFER");
                case 0x98: throw Refused("READONLY_BUFFER");
                default:
                    throw Error($"unknown opcode 0x{op:x2}");
            }
        }
    }

    private object ResolveGlobal(string module, string name, string opcode)
    {
        bool allowed = (module, name) switch
        {
            ("collections", "OrderedDict") => true,
            ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_tensor" or "_rebuild_parameter" or "_rebuild_parameter_with_state") => true,
            ("torch", "Size") => true,
            ("torch", _) => PickleValues.StorageDType(name) is not null,
            _ => false,
        };
        if (!allowed)
        {
            throw new UnsafePickleException(
                $"{_source}: refusing global '{module}.{name}' ({opcode} at byte offset {_opStart}); only tensor rebuild functions, " +
                "typed storages and OrderedDict are allowed in a weights file, and nothing in it is executed. " +
                "If the file holds a whole pickled model rather than a state dict, re-save it with torch.save(model.state_dict(), path).",
                $"{module}.{name}", opcode, _opStart);
        }
        return new PickleGlobal(module, name);
    }

    private object? Call(object? callable, object? args, string opcode)
    {
        if (callable is not PickleGlobal g)
        {
            throw Error($"{opcode} of a {PickleValues.Describe(callable)}, which is not a callable global");
        }
        if (args is not PickleTuple a)
        {
            throw Error($"{opcode} of {g.FullName} with {PickleValues.Describe(args)} arguments (expected a tuple)");
        }
        switch (g.FullName)
        {
            case "collections.OrderedDict":
            {
                var dict = new PickleDict();
                if (a.Count == 1 && a[0] is List<object?> pairs)
                {
                    foreach (var pair in pairs)
                    {
                        if (pair is not PickleTuple { Count: 2 } kv) throw Error("OrderedDict built from a list of non-pairs");
                        dict.Set(kv[0], kv[1], _opStart);
                    }
                }
                else if (a.Count != 0)
                {
                    throw Error($"OrderedDict called with {a.Count} arguments");
                }
                return dict;
            }
            case "torch.Size":
                if (a.Count == 1 && a[0] is PickleTuple size) return size;
                throw Error("torch.Size called without a tuple");
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                if (a.Count < 4) throw Error($"{g.FullName} called with {a.Count} arguments (expected at least 4)");
                return RebuildTensor(a[0], a[1], a[2], a[3], g.FullName);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                if (a.Count < 1 || a[0] is not TorchTensorRef data) throw Error("_rebuild_parameter called without a tensor");
                return data;
            default:
                throw Error($"{opcode} of {g.FullName}, which cannot be called");
        }
    }

    private TorchTensorRef RebuildTensor(object? storage, object? offset, object? size, object? stride, string function)
    {
        if (storage is not TorchStorageRef s) throw Error($"{function}: first argument is a {PickleValues.Describe(storage)}, not a storage");
        if (offset is not long o || o < 0) throw Error($"{function}: storage offset {PickleValues.Describe(offset)} is not a non-negative int");
        var sizes = IntTuple(size, function, "size");
        var strides = IntTuple(stride, function, "stride");
        if (sizes.Length != strides.Length) throw Error($"{function}: size has {sizes.Length} dimensions but stride has {strides.Length}");
        var shape = new int[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] > Array.MaxLength) throw Error($"{function}: dimension {i} of size {sizes[i]} is too large");
            shape[i] = (int)sizes[i];
        }
        return new TorchTensorRef(s, o, shape, strides);
    }

    private long[] IntTuple(object? value, string function, string what)
    {
        if (value is not PickleTuple t) throw Error($"{function}: {what} is a {PickleValues.Describe(value)}, not a tuple");
        var result = new long[t.Count];
        for (int i = 0; i < t.Count; i++)
        {
            if (t[i] is not long v || v < 0) throw Error($"{function}: {what}[{i}] is not a non-negative int");
            result[i] = v;
        }
        return result;
    }

    private void Build(object? target, object? state)
    {
        // torch.save sets OrderedDict attributes (the _metadata of a state dict) through BUILD; they carry no weights.
        if (target is PickleDict or TorchTensorRef) return;
        throw Error($"BUILD on a {PickleValues.Describe(target)} is not supported");
    }

    private object PersistentLoad(object? pid)
    {
        // torch.save: ('storage', storage_type, key, location, numel); the legacy format adds view_metadata.
        if (pid is not PickleTuple { Count: 5 or 6 } t || t[0] is not "storage")
        {
            throw Error($"persistent id {PickleValues.Describe(pid)} is not a ('storage', type, key, location, size) tuple");
        }
        if (t[1] is not PickleGlobal { Module: "torch" } type || PickleValues.StorageDType(type.Name) is not TorchDType dtype)
        {
            throw Error($"persistent id names storage type {PickleValues.Describe(t[1])}, not a torch typed storage");
        }
        if (t[2] is not string key) throw Error("persistent id has a non-string storage key");
        string location = t[3] as string ?? "";
        if (t[4] is not long count || count < 0) throw Error($"persistent id of storage '{key}' has no valid element count");
        if (Storages.TryGetValue(key, out var known) && known != dtype)
        {
            throw Error($"storage '{key}' is named with two element types ({known} and {dtype})");
        }
        Storages[key] = dtype;
        var storage = new TorchStorageRef(dtype, key, location, count);
        if (t.Count == 6 && t[5] is not null)
        {
            if (t[5] is not PickleTuple { Count: 3 } view || view[1] is not long viewOffset || view[2] is not long viewSize
                || viewOffset < 0 || viewSize < 0 || viewOffset + viewSize > count)
            {
                throw Error($"storage '{key}' has invalid view metadata");
            }
            storage = storage with { ElementCount = viewSize, ViewOffset = viewOffset };
        }
        return storage;
    }

    private void SetItems(PickleDict dict, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Error("SETITEMS with an odd number of values");
        for (int i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1], _opStart);
    }

    private List<object?> AsList(object? value, string opcode) =>
        value as List<object?> ?? throw Error($"{opcode} on a {PickleValues.Describe(value)}, not a list");

    private PickleDict AsDict(object? value, string opcode) =>
        value as PickleDict ?? throw Error($"{opcode} on a {PickleValues.Describe(value)}, not a dict");

    private void Put(long index)
    {
        if (_stack.Count == 0) throw Error("memo PUT with an empty stack");
        if (!_memo.ContainsKey(index) && _memo.Count >= MaxMemo) throw Error($"more than {MaxMemo} memo entries");
        _memo[index] = _stack[^1];
    }

    private object? Get(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Error($"memo GET of undefined entry {index}");

    private void Push(object? value)
    {
        if (_stack.Count >= MaxStack) throw Error($"more than {MaxStack} values on the stack");
        if (++_values > _maxValues) throw Error($"more than {_maxValues} values");
        _stack.Add(value);
    }

    private object? Pop()
    {
        int floor = _marks.Count > 0 ? _marks[^1] : 0;
        if (_stack.Count <= floor) throw Error("stack underflow");
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks[^1] : 0;
        if (_stack.Count <= floor) throw Error("stack underflow");
        return _stack[^1];
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Error("no MARK to pop to");
        int mark = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private byte ReadByte()
    {
        if (_position >= _data.Length) throw Truncated();
        return _data[_position++];
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _data.Length - _position) throw Truncated();
        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private int Length(long length)
    {
        if (length < 0 || length > _data.Length - _position) throw Truncated();
        return (int)length;
    }

    private int Length(ulong length) => length > int.MaxValue ? throw Truncated() : Length((long)length);

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0) throw Truncated();
        string line = Encoding.UTF8.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }

    private string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error("string is not valid UTF-8");
        }
    }

    private static object Long(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return 0L;
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    private object TextInt(string text) => text switch
    {
        "00" => false,
        "01" => true,
        _ => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            ? v
            : BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)
                ? big
                : throw Error($"'{text}' is not an integer"),
    };

    private long TextIndex(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : throw Error($"'{text}' is not a memo index");

    private double TextFloat(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Error($"'{text}' is not a float");

    private UnsafePickleException Refused(string opcode) =>
        new($"{_source}: refusing opcode {opcode} at byte offset {_opStart}; it builds arbitrary objects, which a weights file never needs.",
            null, opcode, _opStart);

    private InvalidDataException Error(string what) =>
        new($"{_source}: invalid pickle at byte offset {_opStart}: {what}.");

    private InvalidDataException Truncated() =>
        new($"{_source}: the pickle is truncated (opcode at byte offset {_opStart} runs past the end of {_data.Length} bytes).");
}
