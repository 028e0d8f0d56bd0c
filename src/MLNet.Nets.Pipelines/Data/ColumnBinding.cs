namespace MLNet.Nets.Data;

/// <summary>
/// One column a row-to-row transform adds to a view: its name, type and annotations, the source columns it reads, and
/// the function that computes its values for a batch of source rows. A binding whose name equals a source column
/// replaces that column.
/// </summary>
/// <param name="Name">The output column's name.</param>
/// <param name="Type">The output column's type.</param>
/// <param name="Inputs">Indices of the source columns <paramref name="Compute"/> reads.</param>
/// <param name="Compute">Computes the column for a source batch: an array of RowCount × Type.Size items of the type's raw type.
/// It must not modify the batch's arrays.</param>
/// <param name="Annotations">Annotations of the output column; null for none.</param>
public sealed record ColumnBinding(string Name, DataViewType Type, int[] Inputs, Func<DataBatch, Array> Compute,
    DataViewSchema.Annotations? Annotations = null);
