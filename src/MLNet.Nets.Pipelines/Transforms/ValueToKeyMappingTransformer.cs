using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Maps values to the keys learned by <see cref="ValueToKeyMappingEstimator"/>; values not seen in training map to 0 (missing).</summary>
[TransformerLoader("MapValueToKey")]
public sealed class ValueToKeyMappingTransformer : RowToRowTransformer
{
    private readonly Dictionary<object, uint> _keys;

    internal ValueToKeyMappingTransformer(string outputColumnName, string inputColumnName, Array keyValues, bool keyValuesAsText)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        KeyValues = keyValues;
        KeyValuesAsText = keyValuesAsText;
        _keys = new Dictionary<object, uint>();
        for (int i = 0; i < keyValues.Length; i++) _keys[keyValues.GetValue(i)!] = (uint)i + 1;
    }

    /// <summary>The key column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The value column read.</summary>
    public string InputColumnName { get; }
    /// <summary>The categories: key k is <c>KeyValues[k - 1]</c>.</summary>
    public Array KeyValues { get; }
    /// <summary>Whether the KeyValues annotation is written as text.</summary>
    public bool KeyValuesAsText { get; }

    /// <summary>The key of <paramref name="value"/>, 0 when missing or unseen.</summary>
    public uint KeyOf(object? value) => IsMissing(value) ? 0 : _keys.GetValueOrDefault(value!);

    internal static bool IsMissing(object? value) => value switch
    {
        null => true,
        float f => float.IsNaN(f),
        double d => double.IsNaN(d),
        string s => s.Length == 0,
        _ => false,
    };

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input) => [BindKeys(input)];

    internal ColumnBinding BindKeys(DataViewSchema input)
    {
        var column = RequireColumn(input, InputColumnName, "value");
        if (column.Type.ItemType.RawType != KeyValues.GetType().GetElementType())
        {
            throw new ArgumentException($"The column '{InputColumnName}' holds {column.Type} but the key mapping was learned on {KeyValues.GetType().GetElementType()!.Name} values.");
        }
        var item = new KeyDataViewType(KeyValues.Length);
        DataViewType type = column.Type is VectorDataViewType v ? new VectorDataViewType(item, v.Dimensions.ToArray()) : item;
        Array annotation = KeyValuesAsText ? KeyValues.Cast<object>().Select(DataViewExtensions.FormatItem).ToArray() : KeyValues;
        return new ColumnBinding(OutputColumnName, type, [column.Index], batch =>
        {
            var values = batch.GetArray(column.Index);
            var keys = new uint[values.Length];
            for (int i = 0; i < keys.Length; i++) keys[i] = KeyOf(values.GetValue(i));
            return keys;
        }, DataViewSchema.Annotations.ForKeyValues(annotation));
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.Config["input"] = InputColumnName;
        context.Config["asText"] = KeyValuesAsText;
        context.Config["keyValues"] = SchemaJson.WriteValues(KeyValues);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static ValueToKeyMappingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Config["keyValues"] as System.Text.Json.Nodes.JsonObject ?? throw new InvalidDataException($"Model file '{context.Source}': a key mapping has no values.");
        return new ValueToKeyMappingTransformer(context.Get<string>("output"), context.Get<string>("input"), SchemaJson.ReadValues(values, context.Source), context.Get<bool>("asText"));
    }
}
