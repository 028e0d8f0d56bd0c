namespace MLNet.Nets.Benchmarks.Peer;

/// <summary>
/// A set of related <see cref="IPeerCase"/>s (e.g. one operation at several sizes). Any non-abstract class
/// implementing it with a public parameterless constructor contributes its cases, in order.
/// </summary>
public interface IPeerCaseFamily
{
    /// <summary>The family's cases; <see cref="IPeerCase.Setup"/> is called later, only for cases that are run.</summary>
    IEnumerable<IPeerCase> Cases { get; }
}
