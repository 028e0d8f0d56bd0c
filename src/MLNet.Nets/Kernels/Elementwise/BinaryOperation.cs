namespace MLNet.Nets.Kernels;

/// <summary>An element-wise arithmetic operation of two tensors, for <see cref="Broadcast"/>.</summary>
public enum BinaryOperation
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a − b.</summary>
    Subtract,
    /// <summary>a · b.</summary>
    Multiply,
    /// <summary>a / b.</summary>
    Divide,
}
