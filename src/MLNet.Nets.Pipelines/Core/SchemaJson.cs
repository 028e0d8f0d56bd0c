using System.Globalization;
using System.Text.Json.Nodes;
using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>Schemas to and from JSON (for model files): names, types and the KeyValues/SlotNames annotations.</summary>
internal static class SchemaJson
{
    public static JsonArray Write(DataViewSchema schema)
    {
        var array = new JsonArray();
        foreach (var c in schema)
        {
            var obj = new JsonObject { ["name"] = c.Name, ["type"] = WriteType(c.Type) };
            if (c.Annotations.KeyValues is Array keys) obj["keyValues"] = WriteValues(keys);
            if (c.Annotations.SlotNames is { } slots) obj["slotNames"] = new JsonArray(slots.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            if (c.Annotations.IsNormalized) obj["isNormalized"] = true;
            array.Add(obj);
        }
        return array;
    }

    public static DataViewSchema Read(JsonArray array, string source)
    {
        var columns = new List<(string, DataViewType, DataViewSchema.Annotations?)>();
        foreach (var item in array)
        {
            var obj = item as JsonObject ?? throw new InvalidDataException($"Model file '{source}': a schema column is not an object.");
            string name = (string?)obj["name"] ?? throw new InvalidDataException($"Model file '{source}': a schema column has no name.");
            var type = ReadType(obj["type"] as JsonObject ?? throw new InvalidDataException($"Model file '{source}': column '{name}' has no type."), source);
            var annotations = DataViewSchema.Annotations.Empty;
            if (obj["keyValues"] is JsonObject keys) annotations = annotations.With(DataViewSchema.Annotations.KeyValuesName, ReadValues(keys, source));
            if (obj["slotNames"] is JsonArray slots) annotations = annotations.With(DataViewSchema.Annotations.SlotNamesName, slots.Select(s => (string?)s ?? "").ToArray());
            if ((bool?)obj["isNormalized"] == true) annotations = annotations.With(DataViewSchema.Annotations.IsNormalizedName, true);
            columns.Add((name, type, annotations));
        }
        return new DataViewSchema(columns);
    }

    public static JsonObject WriteType(DataViewType type)
    {
        var obj = new JsonObject { ["kind"] = type.Kind.ToString() };
        if (type is VectorDataViewType v) obj["dims"] = new JsonArray(v.Dimensions.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
        if (type.ItemType is KeyDataViewType k) obj["keyCount"] = k.Count;
        if (type is ImageDataViewType i) { obj["height"] = i.Height; obj["width"] = i.Width; }
        return obj;
    }

    public static DataViewType ReadType(JsonObject obj, string source)
    {
        if (!Enum.TryParse<DataKind>((string?)obj["kind"], out var kind)) throw new InvalidDataException($"Model file '{source}': unknown column kind '{obj["kind"]}'.");
        DataViewType item = kind switch
        {
            DataKind.Key => new KeyDataViewType(Bounded((int?)obj["keyCount"] ?? 0, 1, int.MaxValue, "key count", source)),
            DataKind.Image => new ImageDataViewType(Bounded((int?)obj["height"] ?? 0, 0, 1 << 16, "height", source), Bounded((int?)obj["width"] ?? 0, 0, 1 << 16, "width", source)),
            _ => DataViewType.Scalar(kind),
        };
        if (obj["dims"] is JsonArray dims)
        {
            var d = dims.Select(x => Bounded((int?)x ?? 0, 1, int.MaxValue, "dimension", source)).ToArray();
            return new VectorDataViewType(item, d);
        }
        return item;
    }

    /// <summary>The item kind of a typed value array, or null. uint[] is tested first: the runtime lets a uint[] match int[].</summary>
    public static DataKind? KindOf(Array values) => values switch
    {
        uint[] => DataKind.Key,
        string[] => DataKind.String,
        float[] => DataKind.Single,
        double[] => DataKind.Double,
        int[] => DataKind.Int32,
        long[] => DataKind.Int64,
        bool[] => DataKind.Boolean,
        _ => null,
    };

    public static JsonObject WriteValues(Array values)
    {
        var kind = KindOf(values) ?? throw new InvalidOperationException($"Key values of type {values.GetType().Name} cannot be saved.");
        // Numbers as round-trip strings: exact, and NaN survives JSON.
        var items = values.Cast<object>().Select(v => (JsonNode?)JsonValue.Create(DataViewExtensions.FormatItem(v))).ToArray();
        return new JsonObject { ["kind"] = kind.ToString(), ["values"] = new JsonArray(items) };
    }

    public static Array ReadValues(JsonObject obj, string source)
    {
        if (!Enum.TryParse<DataKind>((string?)obj["kind"], out var kind)) throw new InvalidDataException($"Model file '{source}': unknown value kind '{obj["kind"]}'.");
        var items = (obj["values"] as JsonArray ?? throw new InvalidDataException($"Model file '{source}': values are missing.")).Select(v => (string?)v ?? "").ToArray();
        var ci = CultureInfo.InvariantCulture;
        try
        {
            return kind switch
            {
                DataKind.String => items,
                DataKind.Single => items.Select(s => float.Parse(s, ci)).ToArray(),
                DataKind.Double => items.Select(s => double.Parse(s, ci)).ToArray(),
                DataKind.Int32 => items.Select(s => int.Parse(s, ci)).ToArray(),
                DataKind.Int64 => items.Select(s => long.Parse(s, ci)).ToArray(),
                DataKind.Boolean => items.Select(bool.Parse).ToArray(),
                DataKind.Key => items.Select(s => uint.Parse(s, ci)).ToArray(),
                _ => throw new InvalidDataException($"Model file '{source}': values of kind {kind} are not supported."),
            };
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"Model file '{source}': a stored value is not a valid {kind}.", e);
        }
    }

    private static int Bounded(int value, int min, int max, string what, string source) =>
        value >= min && value <= max ? value : throw new InvalidDataException($"Model file '{source}': {what} {value} is out of range.");
}
