namespace MLNet.Nets.Models;

/// <summary>Creates the input nodes of a functional model.</summary>
/// <example>
/// <code>
/// var x = Input.Create(1, 28, 28);
/// var h = new Conv2D(8, kernelSize: 3).Call(x);
/// var y = new Dense(10).Call(new Flatten().Call(h));
/// var model = new Model(x, y);
/// </code>
/// </example>
public static class Input
{
    /// <summary>A model input with the given per-sample shape (no batch axis); layers called on it are initialised
    /// from seed 0.</summary>
    public static Node Create(params int[] shape) => Create(shape, seed: 0, name: null);

    /// <summary>
    /// A model input with the given per-sample shape. Layers called on nodes derived from this input draw their initial
    /// weights from one generator seeded with <paramref name="seed"/>, in the order they are called.
    /// </summary>
    /// <param name="shape">Per-sample shape, e.g. [1, 28, 28] for MNIST images.</param>
    /// <param name="seed">Seed of the initial weights of layers called downstream; default 0.</param>
    /// <param name="name">Name shown in summaries and model files; default <c>input</c>, <c>input_1</c>, …</param>
    /// <exception cref="ArgumentException">A dimension is not positive.</exception>
    public static Node Create(int[] shape, int seed = 0, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"An input shape needs positive dimensions (per sample, no batch axis); got [{string.Join(", ", shape)}].", nameof(shape));
        }
        return new Node(null, [], (int[])shape.Clone(), name, new GraphScope(seed));
    }
}
