namespace MLNet.Nets.Models;

/// <summary>
/// The random source shared by every layer called on nodes that descend from the same inputs, so that a functional
/// model's initial weights are reproducible from the seed given to <see cref="Input.Create(int[], int, string)"/>.
/// </summary>
internal sealed class GraphScope(int seed)
{
    public Random Random { get; } = new(seed);
}
