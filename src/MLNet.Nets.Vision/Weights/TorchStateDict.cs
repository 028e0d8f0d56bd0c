using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// A PyTorch state dict (the <c>.pth</c>/<c>.pt</c> files written by <c>torch.save(model.state_dict(), path)</c>)
/// read without Python and without executing anything in the file.
/// </summary>
/// <remarks>
/// <para>Both of <c>torch.save</c>'s formats are read: the zip layout of torch ≥ 1.6 (<c>&lt;folder&gt;/data.pkl</c>,
/// <c>&lt;folder&gt;/data/&lt;key&gt;</c> storages, <c>version</c>, optional <c>byteorder</c>; any folder name) and the
/// legacy layout of older releases (a series of pickles followed by the raw storages), in which many published
/// torchvision weights (for example <c>mobilenet_v2-b0353104.pth</c>) are stored. The even older tar layout
/// (torch &lt; 0.4) is rejected with a message asking to re-save the file.</para>
/// <para>The pickle is read by a restricted unpickler: only <c>torch._utils._rebuild_tensor_v2</c>,
/// <c>_rebuild_tensor</c>, <c>_rebuild_parameter</c>, <c>_rebuild_parameter_with_state</c>, <c>collections.OrderedDict</c>, <c>torch.Size</c> and the typed
/// storages <c>torch.FloatStorage</c>, <c>HalfStorage</c>, <c>BFloat16Storage</c>, <c>DoubleStorage</c>,
/// <c>LongStorage</c>, <c>IntStorage</c>, <c>ShortStorage</c>, <c>CharStorage</c>, <c>ByteStorage</c>,
/// <c>BoolStorage</c> are accepted; any other global (<c>os.system</c>, <c>builtins.eval</c>, …) throws
/// <see cref="UnsafePickleException"/> naming the global and the byte offset of its opcode.</para>
/// <para>Every tensor is converted to <see cref="float"/>; <see cref="DTypes"/> keeps the stored dtype, so an
/// <c>int64</c> buffer such as batch norm's <c>num_batches_tracked</c> is a one-element float tensor whose dtype reads
/// <c>"int64"</c> (values above 2^24 lose precision). Strided views are materialised element by element, so a saved
/// non-contiguous tensor loads with the values PyTorch shows.</para>
/// <para>When the file holds a checkpoint dict rather than a bare state dict, the tensors are taken from its
/// <c>state_dict</c>, <c>model_state_dict</c>, <c>model</c>, <c>net</c> or <c>module</c> entry (the first that holds
/// tensors). Names are returned exactly as saved (a <c>module.</c> prefix from <c>DataParallel</c> is kept).</para>
/// </remarks>
public sealed class TorchStateDict
{
    /// <summary>The largest pickle (<c>data.pkl</c>) accepted, in bytes (64 MB; a ResNet-50 state dict's is ~30 KB).</summary>
    public const int MaxPickleBytes = 64 << 20;

    private static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string[] CheckpointKeys = ["state_dict", "model_state_dict", "model", "net", "module"];

    private TorchStateDict(OrderedDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> dtypes)
    {
        Tensors = tensors;
        DTypes = dtypes;
    }

    /// <summary>The tensors by name, in the state dict's order, converted to <see cref="float"/>.</summary>
    public OrderedDictionary<string, Tensor> Tensors { get; }

    /// <summary>The dtype each tensor had in the file, in PyTorch's spelling (<c>float32</c>, <c>float16</c>,
    /// <c>bfloat16</c>, <c>float64</c>, <c>int64</c>, <c>int32</c>, <c>int16</c>, <c>int8</c>, <c>uint8</c>, <c>bool</c>).</summary>
    public IReadOnlyDictionary<string, string> DTypes { get; }

    /// <summary>Reads a state dict from a <c>.pth</c>/<c>.pt</c> file.</summary>
    /// <param name="path">The file written by <c>torch.save</c>.</param>
    /// <returns>The tensors in the file's order.</returns>
    /// <exception cref="UnsafePickleException">The pickle refers to a global or opcode that is not allowed.</exception>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, in an unsupported format, or its
    /// tensors do not fit their storages; the message names the file and the tensor or storage.</exception>
    public static TorchStateDict Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(file, path);
    }

    /// <summary>Reads a state dict from <paramref name="stream"/> (from its current position).</summary>
    /// <param name="stream">A readable stream; a non-seekable one is first copied to memory.</param>
    /// <param name="sourceName">Names the source in error messages; default "stream".</param>
    /// <returns>The tensors in the file's order.</returns>
    /// <exception cref="UnsafePickleException">The pickle refers to a global or opcode that is not allowed.</exception>
    /// <exception cref="InvalidDataException">The data is truncated, corrupt or in an unsupported format.</exception>
    public static TorchStateDict Load(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = sourceName is null ? "PyTorch stream" : $"PyTorch file '{sourceName}'";
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        long start = stream.Position;
        Span<byte> head = stackalloc byte[4];
        int got = 0;
        while (got < 4)
        {
            int n = stream.Read(head[got..]);
            if (n == 0) break;
            got += n;
        }
        stream.Position = start;
        if (got < 4)
        {
            throw new InvalidDataException($"{source} is too short ({got} bytes) to be a PyTorch file.");
        }
        if (head[0] == (byte)'P' && head[1] == (byte)'K')
        {
            return LoadZip(stream, source);
        }
        if (head[0] == 0x80 && head[1] == 0x02 && head[2] == 0x8a)
        {
            return LoadLegacy(stream, source);
        }
        if (stream.Length - start > 262 && IsTar(stream, start))
        {
            throw new InvalidDataException(
                $"{source} is in the tar format of torch < 0.4, which is not supported; re-save it with torch >= 1.6 (torch.save(torch.load(f), f)).");
        }
        throw new InvalidDataException(
            $"{source} is neither a zip archive (torch >= 1.6) nor a legacy torch.save pickle; unsupported format (re-save with torch >= 1.6), or not a PyTorch file.");
    }

    private static TorchStateDict LoadZip(Stream stream, string source)
    {
        try
        {
            return ReadZip(stream, source);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            // ZipArchive reads its directory lazily, so a damaged archive can surface at any entry access.
            throw new InvalidDataException($"{source} is a corrupt or truncated zip archive ({e.Message}).", e);
        }
    }

    private static TorchStateDict ReadZip(Stream stream, string source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source} is a corrupt or truncated zip archive ({e.Message}).", e);
        }
        using (zip)
        {
            var pickles = zip.Entries.Where(e => e.FullName == "data.pkl"
                || (e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length)).ToList();
            if (pickles.Count != 1)
            {
                throw new InvalidDataException(
                    $"{source}: expected one '<folder>/data.pkl' in the archive but found {pickles.Count}; not a torch.save file.");
            }
            string prefix = pickles[0].FullName[..^"data.pkl".Length];
            if (zip.GetEntry(prefix + "constants.pkl") is not null || zip.Entries.Any(e => e.FullName.StartsWith(prefix + "code/", StringComparison.Ordinal)))
            {
                throw new InvalidDataException(
                    $"{source} is a TorchScript archive (torch.jit.save), not a state dict; load it in Python and re-save with torch.save(module.state_dict(), path).");
            }
            bool bigEndian = false;
            if (zip.GetEntry(prefix + "byteorder") is { } byteOrderEntry)
            {
                string order = System.Text.Encoding.ASCII.GetString(ReadEntry(byteOrderEntry, 16, source)).Trim();
                bigEndian = order switch
                {
                    "little" => false,
                    "big" => true,
                    _ => throw new InvalidDataException($"{source}: byteorder entry says '{order}' (expected 'little' or 'big')."),
                };
            }
            byte[] pickle = ReadEntry(pickles[0], MaxPickleBytes, source);
            var unpickler = new RestrictedUnpickler(pickle, 0, $"{source} ({pickles[0].FullName})");
            var root = unpickler.Load();
            var refs = Collect(root, source);

            var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            return Materialise(refs, source, bigEndian, storage =>
            {
                if (!storages.TryGetValue(storage.Key, out var bytes))
                {
                    string name = $"{prefix}data/{storage.Key}";
                    var entry = zip.GetEntry(name)
                        ?? throw new InvalidDataException($"{source}: storage '{storage.Key}' is missing (no entry '{name}').");
                    long expected = storage.ElementCount * PickleValues.ElementSize(storage.DType);
                    if (entry.Length != expected)
                    {
                        throw new InvalidDataException(
                            $"{source}: storage '{storage.Key}' should hold {storage.ElementCount} {PickleValues.TorchName(storage.DType)} values ({expected} bytes) but entry '{name}' has {entry.Length} bytes.");
                    }
                    bytes = ReadEntry(entry, Array.MaxLength, source);
                    storages[storage.Key] = bytes;
                }
                return (bytes, 0);
            });
        }
    }

    private static TorchStateDict LoadLegacy(Stream stream, string source)
    {
        long length = stream.Length - stream.Position;
        if (length > Array.MaxLength)
        {
            throw new InvalidDataException($"{source}: legacy-format files larger than 2 GB are not supported; re-save with torch >= 1.6.");
        }
        var data = new byte[length];
        stream.ReadExactly(data);

        var magic = new RestrictedUnpickler(data, 0, $"{source} (magic number)");
        if (!(magic.Load() is BigInteger m && m == LegacyMagic))
        {
            throw new InvalidDataException($"{source}: not a torch.save file (wrong magic number).");
        }
        var protocol = new RestrictedUnpickler(data, magic.Position, $"{source} (protocol version)");
        if (protocol.Load() is not 1001L)
        {
            throw new InvalidDataException($"{source}: unsupported legacy protocol version; re-save with torch >= 1.6.");
        }
        var sysInfo = new RestrictedUnpickler(data, protocol.Position, $"{source} (system info)");
        bool bigEndian = sysInfo.Load() is PickleDict info && info.Get("little_endian") is false;
        var main = new RestrictedUnpickler(data, sysInfo.Position, $"{source} (data pickle)");
        var root = main.Load();
        var refs = Collect(root, source);
        var keysPickle = new RestrictedUnpickler(data, main.Position, $"{source} (storage keys)");
        if (keysPickle.Load() is not List<object?> keys)
        {
            throw new InvalidDataException($"{source}: the storage key list is missing.");
        }

        // The storages follow in key order, each as an 8-byte element count and the raw elements.
        var dtypes = main.Storages;
        var located = new Dictionary<string, (int Offset, long Count)>(StringComparer.Ordinal);
        long position = keysPickle.Position;
        foreach (var keyObject in keys)
        {
            if (keyObject is not string key) throw new InvalidDataException($"{source}: a storage key is not a string.");
            if (position + 8 > data.Length)
            {
                throw new InvalidDataException($"{source} is truncated: storage '{key}' is missing.");
            }
            long count = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan((int)position));
            if (bigEndian) count = BinaryPrimitives.ReverseEndianness(count);
            // A storage no tensor uses still has to be skipped; its element size is unknown, so it must be the last.
            if (!dtypes.TryGetValue(key, out var dtype))
            {
                if (!ReferenceEquals(keyObject, keys[^1]))
                {
                    throw new InvalidDataException($"{source}: storage '{key}' is used by no tensor and its element size is unknown.");
                }
                break;
            }
            int elementSize = PickleValues.ElementSize(dtype);
            if (count < 0 || count > (data.Length - position - 8) / elementSize)
            {
                throw new InvalidDataException(
                    $"{source} is truncated or corrupt: storage '{key}' claims {count} elements of {elementSize} bytes at offset {position + 8} but the file has {data.Length} bytes.");
            }
            long bytes = count * elementSize;
            located[key] = ((int)(position + 8), count);
            position += 8 + bytes;
        }

        return Materialise(refs, source, bigEndian, storage =>
        {
            if (!located.TryGetValue(storage.Key, out var at))
            {
                throw new InvalidDataException($"{source}: storage '{storage.Key}' is not in the file's storage list.");
            }
            if (storage.ViewOffset + storage.ElementCount > at.Count)
            {
                throw new InvalidDataException(
                    $"{source}: storage '{storage.Key}' has {at.Count} elements but a view needs {storage.ViewOffset + storage.ElementCount}.");
            }
            return (data, at.Offset + (int)(storage.ViewOffset * PickleValues.ElementSize(storage.DType)));
        });
    }

    private sealed record NamedRef(string Name, TorchTensorRef Tensor);

    private static List<NamedRef> Collect(object? root, string source)
    {
        if (root is not PickleDict dict)
        {
            throw new InvalidDataException(
                $"{source}: the file holds a {PickleValues.Describe(root)}, not a state dict; save model.state_dict() rather than the model.");
        }
        var refs = TensorsOf(dict, source);
        if (refs.Count == 0)
        {
            foreach (string key in CheckpointKeys)
            {
                if (dict.Get(key) is PickleDict inner && TensorsOf(inner, source) is { Count: > 0 } found)
                {
                    return found;
                }
            }
            string keys = string.Join(", ", dict.Items.Take(20).Select(kv => kv.Key.ToString()));
            throw new InvalidDataException($"{source}: no tensors found; the top-level dict has keys [{keys}].");
        }
        return refs;
    }

    private static List<NamedRef> TensorsOf(PickleDict dict, string source)
    {
        var refs = new List<NamedRef>();
        foreach (var (key, value) in dict.Items)
        {
            if (value is TorchTensorRef tensor)
            {
                if (key is not string name)
                {
                    throw new InvalidDataException($"{source}: a tensor is stored under a non-string key ({PickleValues.Describe(key)}).");
                }
                refs.Add(new NamedRef(name, tensor));
            }
        }
        return refs;
    }

    private static TorchStateDict Materialise(
        List<NamedRef> refs, string source, bool bigEndian, Func<TorchStorageRef, (byte[] Buffer, int ByteOffset)> storageBytes)
    {
        var tensors = new OrderedDictionary<string, Tensor>(refs.Count, StringComparer.Ordinal);
        var dtypes = new Dictionary<string, string>(refs.Count, StringComparer.Ordinal);
        var seenStorages = new HashSet<string>(StringComparer.Ordinal);
        long storageElements = 0, materialised = 0;
        foreach (var (name, r) in refs)
        {
            var storage = r.Storage;
            long volume = 1;
            Int128 last = r.StorageOffset;
            for (int d = 0; d < r.Size.Length; d++)
            {
                volume *= r.Size[d];
                if (volume > Array.MaxLength)
                {
                    throw new InvalidDataException($"{source}: tensor '{name}' of size {Tensor.FormatShape(r.Size)} is too large.");
                }
                if (r.Size[d] > 0)
                {
                    last += (Int128)(r.Size[d] - 1) * r.Stride[d];
                }
            }
            if (volume > 0 && (last < 0 || last >= storage.ElementCount))
            {
                throw new InvalidDataException(
                    $"{source}: tensor '{name}' (size {Tensor.FormatShape(r.Size)}, stride [{string.Join(", ", r.Stride)}], offset {r.StorageOffset}) " +
                    $"reaches element {last} but storage '{storage.Key}' has {storage.ElementCount} elements.");
            }
            Tensor tensor;
            if (volume > 0)
            {
                // Fetching the storage first checks its real size before the tensor is allocated.
                var (buffer, byteOffset) = storageBytes(storage);
                if (seenStorages.Add(storage.Key)) storageElements += storage.ElementCount;
                materialised += volume;
                if (materialised > 16 * storageElements + (1 << 20))
                {
                    throw new InvalidDataException(
                        $"{source}: tensor '{name}' brings the tensors to {materialised} elements from storages of {storageElements}; " +
                        "refusing to expand overlapping views that far.");
                }
                tensor = new Tensor(r.Size);
                Gather(buffer, byteOffset, storage.DType, bigEndian, r, tensor.Span);
            }
            else
            {
                tensor = new Tensor(r.Size);
            }
            if (!tensors.TryAdd(name, tensor))
            {
                throw new InvalidDataException($"{source}: tensor '{name}' appears twice.");
            }
            dtypes[name] = PickleValues.TorchName(storage.DType);
        }
        return new TorchStateDict(tensors, dtypes);
    }

    private static void Gather(byte[] buffer, int byteOffset, TorchDType dtype, bool bigEndian, TorchTensorRef r, Span<float> destination)
    {
        int size = PickleValues.ElementSize(dtype);
        var storage = buffer.AsSpan(byteOffset);
        int rank = r.Size.Length;
        bool contiguous = true;
        long expected = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            if (r.Size[d] != 1 && r.Stride[d] != expected) contiguous = false;
            expected *= r.Size[d];
        }
        if (contiguous)
        {
            var bytes = storage.Slice((int)(r.StorageOffset * size), destination.Length * size);
            if (dtype == TorchDType.Float32 && !bigEndian)
            {
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
                return;
            }
            for (int i = 0; i < destination.Length; i++) destination[i] = Element(bytes, i, dtype, bigEndian);
            return;
        }
        // A strided view: walk the index like an odometer, innermost dimension fastest.
        var index = new int[rank];
        long element = r.StorageOffset;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Element(storage, element, dtype, bigEndian);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < r.Size[d])
                {
                    element += r.Stride[d];
                    break;
                }
                element -= (long)(index[d] - 1) * r.Stride[d];
                index[d] = 0;
            }
        }
    }

    private static float Element(ReadOnlySpan<byte> storage, long element, TorchDType dtype, bool bigEndian)
    {
        switch (dtype)
        {
            case TorchDType.Float32:
            {
                int bits = BinaryPrimitives.ReadInt32LittleEndian(storage[(int)(element * 4)..]);
                return BitConverter.Int32BitsToSingle(bigEndian ? BinaryPrimitives.ReverseEndianness(bits) : bits);
            }
            case TorchDType.Float16:
            {
                ushort bits = Bits16(storage, element, bigEndian);
                return (float)BitConverter.UInt16BitsToHalf(bits);
            }
            case TorchDType.BFloat16:
                return BitConverter.Int32BitsToSingle(Bits16(storage, element, bigEndian) << 16);
            case TorchDType.Float64:
            {
                long bits = BinaryPrimitives.ReadInt64LittleEndian(storage[(int)(element * 8)..]);
                return (float)BitConverter.Int64BitsToDouble(bigEndian ? BinaryPrimitives.ReverseEndianness(bits) : bits);
            }
            case TorchDType.Int64:
            {
                long v = BinaryPrimitives.ReadInt64LittleEndian(storage[(int)(element * 8)..]);
                return bigEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
            }
            case TorchDType.Int32:
            {
                int v = BinaryPrimitives.ReadInt32LittleEndian(storage[(int)(element * 4)..]);
                return bigEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
            }
            case TorchDType.Int16:
                return (short)Bits16(storage, element, bigEndian);
            case TorchDType.Int8:
                return (sbyte)storage[(int)element];
            case TorchDType.UInt8:
                return storage[(int)element];
            default:
                return storage[(int)element] != 0 ? 1f : 0f;
        }
    }

    private static ushort Bits16(ReadOnlySpan<byte> storage, long element, bool bigEndian)
    {
        ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(storage[(int)(element * 2)..]);
        return bigEndian ? BinaryPrimitives.ReverseEndianness(bits) : bits;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, long limit, string source)
    {
        // The declared size bounds the allocation; reading one byte past it catches an entry that inflates to more.
        if (entry.Length > limit)
        {
            throw new InvalidDataException($"{source}: archive entry '{entry.FullName}' declares {entry.Length} bytes, more than the limit of {limit}.");
        }
        // Deflate expands at most ~1032:1, so a larger declared ratio is a lie meant to make us allocate (a zip bomb).
        if (entry.Length > (1 << 20) && entry.Length > 1100L * Math.Max(1, entry.CompressedLength))
        {
            throw new InvalidDataException(
                $"{source}: archive entry '{entry.FullName}' declares {entry.Length} bytes from {entry.CompressedLength} compressed bytes; refusing a likely zip bomb.");
        }
        try
        {
            using var input = entry.Open();
            var bytes = new byte[entry.Length];
            int total = 0;
            while (total < bytes.Length)
            {
                int n = input.Read(bytes, total, bytes.Length - total);
                if (n == 0)
                {
                    throw new InvalidDataException($"{source} is truncated: archive entry '{entry.FullName}' ends after {total} of {bytes.Length} bytes.");
                }
                total += n;
            }
            if (input.ReadByte() != -1)
            {
                throw new InvalidDataException($"{source}: archive entry '{entry.FullName}' holds more than its declared {entry.Length} bytes.");
            }
            return bytes;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: archive entry '{entry.FullName}' is corrupt ({e.Message}).", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{source} is truncated: archive entry '{entry.FullName}' cannot be read ({e.Message}).", e);
        }
    }

    private static bool IsTar(Stream stream, long start)
    {
        stream.Position = start + 257;
        Span<byte> magic = stackalloc byte[5];
        int got = stream.Read(magic);
        stream.Position = start;
        return got == 5 && magic.SequenceEqual("ustar"u8);
    }
}
