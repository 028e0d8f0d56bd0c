namespace MLNet.Nets.Datasets;

/// <summary>The contents of an IDX file of unsigned bytes: its dimensions and its data in row-major order.</summary>
/// <param name="Shape">The dimensions, outermost first (e.g. [60000, 28, 28]).</param>
/// <param name="Data">The values, row-major.</param>
public sealed record IdxFile(int[] Shape, byte[] Data);
