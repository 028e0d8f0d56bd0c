using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Encodes values by the learned categories: indicator or bag vectors with the categories as slot names, or keys.</summary>
[TransformerLoader("OneHotEncoding")]
public sealed class OneHotEncodingTransformer : RowToRowTransformer
{
    internal OneHotEncodingTransformer(ValueToKeyMappingTransformer keys, OneHotEncodingEstimator.OutputKind kind)
    {
        Keys = keys;
        Kind = kind;
    }

    /// <summary>The learned value → key mapping.</summary>
    public ValueToKeyMappingTransformer Keys { get; }

    /// <summary>The encoding.</summary>
    public OneHotEncodingEstimator.OutputKind Kind { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var keyBinding = Keys.BindKeys(input);
        if (Kind == OneHotEncodingEstimator.OutputKind.Key) return [keyBinding];
        var column = input[Keys.InputColumnName];
        int k = Keys.KeyValues.Length, items = column.Type.Size;
        bool bag = Kind == OneHotEncodingEstimator.OutputKind.Bag || items == 1;
        int size = bag ? k : k * items;
        var names = Keys.KeyValues.Cast<object>().Select(DataViewExtensions.FormatItem).ToArray();
        var slots = bag ? names : Enumerable.Range(0, items).SelectMany(i => names.Select(n => $"[{i}].{n}")).ToArray();
        return [new ColumnBinding(Keys.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, size), [column.Index], batch =>
        {
            var keys = (uint[])keyBinding.Compute(batch);
            var result = new float[batch.RowCount * size];
            for (int r = 0; r < batch.RowCount; r++)
            {
                for (int i = 0; i < items; i++)
                {
                    uint key = keys[r * items + i];
                    if (key == 0) continue;
                    result[r * size + (bag ? 0 : i * k) + (int)key - 1] += 1;
                }
            }
            return result;
        }, DataViewSchema.Annotations.ForSlotNames(slots))];
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["kind"] = Kind.ToString();
        context.WriteTransformer("keys", Keys);
    }

    /// <summary>Reads a transformer written by <see cref="Save"/>.</summary>
    public static OneHotEncodingTransformer Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keys = context.ReadTransformer("keys") as ValueToKeyMappingTransformer
            ?? throw new InvalidDataException($"Model file '{context.Source}': a one-hot encoding holds no key mapping.");
        return new OneHotEncodingTransformer(keys, Enum.Parse<OneHotEncodingEstimator.OutputKind>(context.Get<string>("kind")));
    }
}
