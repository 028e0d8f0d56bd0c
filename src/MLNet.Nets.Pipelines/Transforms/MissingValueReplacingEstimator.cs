using MLNet.Nets.Data;

namespace MLNet.Nets.Transforms;

/// <summary>Learns per-slot replacement values for NaN in Single columns (ML.NET's ReplaceMissingValues).</summary>
public sealed class MissingValueReplacingEstimator : IEstimator<MissingValueReplacingTransformer>
{
    /// <summary>What replaces a missing value.</summary>
    public enum ReplacementMode
    {
        /// <summary>0.</summary>
        DefaultValue,
        /// <summary>The slot's mean over the non-missing values.</summary>
        Mean,
        /// <summary>The slot's minimum.</summary>
        Minimum,
        /// <summary>The slot's maximum.</summary>
        Maximum,
    }

    internal MissingValueReplacingEstimator(string outputColumnName, string inputColumnName, ReplacementMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Mode = mode;
    }

    /// <summary>The column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The column read.</summary>
    public string InputColumnName { get; }
    /// <summary>The replacement.</summary>
    public ReplacementMode Mode { get; }

    /// <inheritdoc/>
    public MissingValueReplacingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(InputColumnName)
            ?? throw new ArgumentException($"The column '{InputColumnName}' is not in the data. Columns: {string.Join(", ", input.Schema.Select(c => c.Name))}.");
        if (column.Type.Kind != DataKind.Single) throw new ArgumentException($"The column '{InputColumnName}' holds {column.Type}; ReplaceMissingValues takes Single values.");
        int size = column.Type.Size;
        var sum = new double[size];
        var count = new long[size];
        var min = Enumerable.Repeat(float.PositiveInfinity, size).ToArray();
        var max = Enumerable.Repeat(float.NegativeInfinity, size).ToArray();
        foreach (var batch in input.GetBatches([column.Index]))
        {
            var values = batch.GetValues<float>(column.Index);
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                if (float.IsNaN(v)) continue;
                int s = i % size;
                sum[s] += v;
                count[s]++;
                min[s] = Math.Min(min[s], v);
                max[s] = Math.Max(max[s], v);
            }
        }
        var replacement = new float[size];
        for (int s = 0; s < size; s++)
        {
            replacement[s] = count[s] == 0 ? 0 : Mode switch
            {
                ReplacementMode.Mean => (float)(sum[s] / count[s]),
                ReplacementMode.Minimum => min[s],
                ReplacementMode.Maximum => max[s],
                _ => 0,
            };
        }
        return new MissingValueReplacingTransformer(OutputColumnName, InputColumnName, replacement);
    }
}
