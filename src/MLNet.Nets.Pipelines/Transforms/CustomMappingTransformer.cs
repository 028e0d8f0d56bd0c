using System.Runtime.CompilerServices;
using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>
/// Runs a user action row by row: each row's columns fill a <typeparamref name="TSrc"/> (members by name), the action fills
/// a <typeparamref name="TDst"/>, whose members become columns. Saved by its contract name; to load such a model, register
/// the same action first with <see cref="CustomMappingRegistry.Register{TSrc, TDst}"/> (a model file never carries code).
/// </summary>
[TransformerLoader("CustomMapping")]
public sealed class CustomMappingTransformer<TSrc, TDst> : RowToRowTransformer where TSrc : class, new() where TDst : class, new()
{
    internal CustomMappingTransformer(Action<TSrc, TDst> mapping, string? contractName)
    {
        Mapping = mapping ?? throw new ArgumentNullException(nameof(mapping));
        ContractName = contractName;
    }

    /// <summary>The action.</summary>
    public Action<TSrc, TDst> Mapping { get; }

    /// <summary>The name the mapping is saved under; null makes the model unsavable.</summary>
    public string? ContractName { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<ColumnBinding> Bind(DataViewSchema input)
    {
        var reader = new RowReader<TSrc>(input, ignoreMissingColumns: false);
        var outputs = RowMember.Of(typeof(TDst));
        var results = new ConditionalWeakTable<DataBatch, TDst[]>();
        TDst[] Rows(DataBatch batch) => results.GetValue(batch, b =>
        {
            var rows = new TDst[b.RowCount];
            var source = new TSrc();
            for (int r = 0; r < b.RowCount; r++)
            {
                reader.Fill(b, r, source);
                rows[r] = new TDst();
                Mapping(source, rows[r]);
            }
            return rows;
        });
        return outputs.Select(m =>
        {
            var type = m.DeclaredType() ?? throw new ArgumentException($"{typeof(TDst).Name}.{m.Name} is an array: mark it [VectorType(length)].");
            return new ColumnBinding(m.Name, type, reader.Columns, batch =>
            {
                var rows = Rows(batch);
                var values = type.CreateArray(rows.Length * type.Size);
                for (int r = 0; r < rows.Length; r++)
                {
                    object? value = m.Get(rows[r]);
                    if (type.IsVector)
                    {
                        if (value is not Array a || a.Length != type.Size) throw new InvalidDataException($"The custom mapping gave '{m.Name}' {(value as Array)?.Length ?? 0} values at row {batch.RowOffset + r}, not {type.Size}.");
                        Array.Copy(a, 0, values, (long)r * type.Size, type.Size);
                    }
                    else if (value is not null)
                    {
                        values.SetValue(value, r);
                    }
                }
                return values;
            });
        }).ToArray();
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ContractName is null) throw new InvalidOperationException("This custom mapping has no contract name, so it cannot be saved; give CustomMapping a contractName.");
        context.Config["contract"] = ContractName;
    }

}
