namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// Thrown (instead of <see cref="InvalidDataException"/>, which is sealed) when a PyTorch weights file's pickle refers to something the restricted unpickler does not allow (a global
/// such as <c>os.system</c> or <c>builtins.eval</c>, or an opcode that builds arbitrary objects). Nothing in the file
/// is executed: the reader stops at the offending opcode.
/// </summary>
public sealed class UnsafePickleException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message, naming the file, the global or opcode and the byte offset.</param>
    /// <param name="global">The refused global as <c>module.name</c>, or null when an opcode was refused.</param>
    /// <param name="opcode">The name of the refused pickle opcode (for example <c>GLOBAL</c> or <c>STACK_GLOBAL</c>).</param>
    /// <param name="offset">The byte offset of the opcode inside the pickle.</param>
    public UnsafePickleException(string message, string? global, string opcode, long offset) : base(message)
    {
        Global = global;
        Opcode = opcode;
        Offset = offset;
    }

    /// <summary>The refused global as <c>module.name</c> (for example <c>os.system</c>); null when an opcode was refused.</summary>
    public string? Global { get; }

    /// <summary>The pickle opcode at which reading stopped.</summary>
    public string Opcode { get; }

    /// <summary>The byte offset of that opcode inside the pickle.</summary>
    public long Offset { get; }
}
