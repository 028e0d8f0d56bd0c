using MLNet.Nets.Serialization;

namespace MLNet.Nets.Models;

public partial class Model
{
    /// <summary>
    /// Saves the architecture and weights to a <c>.zip</c> file (a JSON manifest plus <c>weights.safetensors</c>),
    /// atomically. The optimizer state is not saved.
    /// </summary>
    /// <param name="path">The destination; its folder is created when missing.</param>
    public void Save(string path) => ModelArchive.Save(this, path);

    /// <summary>Loads a model saved by <see cref="Save"/>, checking every weight's name and shape.</summary>
    /// <returns>A <see cref="Sequential"/> or a functional <see cref="Model"/>, not compiled.</returns>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, from a newer format version, or its weights
    /// do not fit the architecture (all problems are listed).</exception>
    public static Model Load(string path) => ModelArchive.Load(path);
}
