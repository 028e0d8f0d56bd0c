using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>
/// Maps a key column back to its values through the column's <c>KeyValues</c> annotation (for example a trainer's
/// <c>PredictedLabel</c> back to the original labels); key 0 gives a missing value (NaN, empty text, false).
/// </summary>
[TransformerLoader("MapKeyToValue")]
public sealed class KeyToValueMappingTransformer : RowToRowTransformer
{
    /// <summary>A transformer mapping <paramref name="inputColumnName"/> (keys) to <paramref name="outputColumnName"/> (values).</summary>
    public KeyToValueMappingTransformer(string outputColumnName, string inputColumnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>The value column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The key column read.</summary>
    public string InputColumnName { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var column = RequireColumn(input, InputColumnName, "key");
        if (column.Type.ItemType is not KeyDataViewType) throw new ArgumentException($"The column '{InputColumnName}' holds {column.Type}, not keys.");
        var values = column.Annotations.KeyValues
            ?? throw new ArgumentException($"The key column '{InputColumnName}' has no KeyValues annotation to map back to.");
        var item = DataViewType.Scalar(KindOf(values));
        DataViewType type = column.Type is VectorDataViewType v ? new VectorDataViewType(item, v.Dimensions.ToArray()) : item;
        return [new ColumnBinding(OutputColumnName, type, [column.Index], batch =>
        {
            var keys = batch.GetValues<uint>(column.Index);
            var result = item.CreateArray(keys.Length);
            object? missing = item.Kind switch { DataKind.Single => float.NaN, DataKind.Double => double.NaN, _ => null };
            for (int i = 0; i < keys.Length; i++)
            {
                if (keys[i] >= 1 && keys[i] <= values.Length) result.SetValue(values.GetValue(keys[i] - 1), i);
                else if (missing is not null) result.SetValue(missing, i);
            }
            return result;
        })];
    }

    private static DataKind KindOf(Array values) => SchemaJson.KindOf(values) is { } kind and not DataKind.Key
        ? kind
        : throw new ArgumentException($"Key values of type {values.GetType().Name} cannot be mapped back.");

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["output"] = OutputColumnName;
        context.Config["input"] = InputColumnName;
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static KeyToValueMappingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new KeyToValueMappingTransformer(context.Get<string>("output"), context.Get<string>("input"));
    }
}
