using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>
/// Reads protobuf wire format for the ONNX messages: a <see cref="CodedInputStream"/> over the file's bytes plus the
/// checks an untrusted file needs (wire types, nesting depth, lengths that stay inside their message). Errors are
/// <see cref="InvalidDataException"/>s that name the source and the message being read.
/// </summary>
internal sealed class ProtoReader
{
    private readonly CodedInputStream _input;
    private readonly int _maxDepth;
    private int _depth;
    private readonly Stack<string> _path = new();
    private long _end;

    public ProtoReader(byte[] bytes, string source, int maxDepth)
    {
        _input = new CodedInputStream(bytes);
        Source = source;
        _maxDepth = maxDepth;
        _end = bytes.Length;
    }

    /// <summary>Names the file or stream in error messages.</summary>
    public string Source { get; }

    private int _lastField;
    private WireFormat.WireType _lastWire;

    /// <summary>Moves to the next field of the current message; false at its end.</summary>
    public bool Next(out int field)
    {
        if (_input.Position > _end) throw Error("a field runs past the end of its message");
        if (_input.Position == _end)
        {
            field = 0;
            return false;
        }
        uint tag = Guard(() => _input.ReadTag());
        if (tag == 0) throw Error("invalid tag 0");
        field = WireFormat.GetTagFieldNumber(tag);
        if (field <= 0) throw Error($"invalid field number {field}");
        _lastField = field;
        _lastWire = WireFormat.GetTagWireType(tag);
        return true;
    }

    /// <summary>Reads a length-delimited sub-message with <paramref name="read"/>.</summary>
    public T Message<T>(string name, Func<ProtoReader, T> read)
    {
        Expect(WireFormat.WireType.LengthDelimited);
        if (_depth + 1 > _maxDepth) throw Error($"messages are nested more than {_maxDepth} deep");
        long old = _end;
        _end = Limit();
        _depth++;
        _path.Push(name);
        var value = read(this);
        if (_input.Position != _end) throw Error("a message does not end where its length says");
        _path.Pop();
        _depth--;
        _end = old;
        return value;
    }

    public string String()
    {
        Expect(WireFormat.WireType.LengthDelimited);
        try
        {
            string s = _input.ReadString();
            if (_input.Position > _end) throw Error("a string runs past the end of its message");
            return s;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Error(e.Message);
        }
        catch (ArgumentException)
        {
            throw Error("a string is not valid UTF-8");
        }
    }

    public ByteString Bytes()
    {
        Expect(WireFormat.WireType.LengthDelimited);
        var bytes = Guard(() => _input.ReadBytes());
        if (_input.Position > _end) throw Error("a bytes field runs past the end of its message");
        return bytes;
    }

    public long Int64()
    {
        Expect(WireFormat.WireType.Varint);
        return Guard(() => _input.ReadInt64());
    }

    public int Int32()
    {
        Expect(WireFormat.WireType.Varint);
        return Guard(() => _input.ReadInt32());
    }

    public float Float()
    {
        Expect(WireFormat.WireType.Fixed32);
        return Guard(() => _input.ReadFloat());
    }

    /// <summary>Appends one value or a packed run of varints (int64, int32 or uint64 as written).</summary>
    public void Varints(List<long> values)
    {
        if (_lastWire == WireFormat.WireType.Varint)
        {
            values.Add(Guard(() => _input.ReadInt64()));
            return;
        }
        Packed(() => values.Add(_input.ReadInt64()));
    }

    /// <summary>Appends one value or a packed run of int32 varints.</summary>
    public void Int32s(List<int> values)
    {
        if (_lastWire == WireFormat.WireType.Varint)
        {
            values.Add(Guard(() => _input.ReadInt32()));
            return;
        }
        Packed(() => values.Add(_input.ReadInt32()));
    }

    /// <summary>Appends one value or a packed run of uint64 varints.</summary>
    public void UInt64s(List<ulong> values)
    {
        if (_lastWire == WireFormat.WireType.Varint)
        {
            values.Add(Guard(() => _input.ReadUInt64()));
            return;
        }
        Packed(() => values.Add(_input.ReadUInt64()));
    }

    /// <summary>Appends one value or a packed run of floats.</summary>
    public void Floats(List<float> values)
    {
        if (_lastWire == WireFormat.WireType.Fixed32)
        {
            values.Add(Guard(() => _input.ReadFloat()));
            return;
        }
        Packed(() => values.Add(_input.ReadFloat()));
    }

    /// <summary>Appends one value or a packed run of doubles.</summary>
    public void Doubles(List<double> values)
    {
        if (_lastWire == WireFormat.WireType.Fixed64)
        {
            values.Add(Guard(() => _input.ReadDouble()));
            return;
        }
        Packed(() => values.Add(_input.ReadDouble()));
    }

    /// <summary>Skips the field just announced by <see cref="Next"/> (fields this reader does not know).</summary>
    public void Skip() => Guard(() =>
    {
        _input.SkipLastField();
        return 0;
    });

    /// <summary>An error naming the source and the message being read.</summary>
    public InvalidDataException Error(string message) =>
        new($"{Source}: malformed ONNX protobuf in {Where()} at byte {_input.Position}: {message}.");

    private string Where() => _path.Count == 0 ? "ModelProto" : string.Join(" > ", _path.Reverse());

    private void Packed(Action readOne)
    {
        if (_lastWire != WireFormat.WireType.LengthDelimited)
        {
            throw Error($"field {_lastField} has wire type {_lastWire}, which is not valid for it");
        }
        long stop = Limit();
        Guard(() =>
        {
            while (_input.Position < stop) readOne();
            return 0;
        });
        if (_input.Position != stop) throw Error("a packed field runs past its length");
    }

    // Reads a length and returns where the field ends, checked against the enclosing message's end before anything is read.
    private long Limit()
    {
        int length = Guard(() => _input.ReadLength());
        if (length < 0 || length > _end - _input.Position)
        {
            throw Error($"a field of {length} bytes runs past the end of its message ({_end - _input.Position} bytes remain; truncated?)");
        }
        return _input.Position + length;
    }

    private void Expect(WireFormat.WireType wire)
    {
        if (_lastWire != wire) throw Error($"field {_lastField} has wire type {_lastWire} but {wire} was expected");
    }

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Error(e.Message.TrimEnd('.') + " (truncated or corrupt file?)");
        }
    }
}
