namespace MLNet.Nets.Catalogs;

/// <summary>BinaryClassification: trainers (<see cref="Trainers"/>), evaluation and cross-validation (extension methods).</summary>
public sealed class BinaryClassificationCatalog : CatalogBase
{
    internal BinaryClassificationCatalog(NetsContext context) : base(context) => Trainers = new BinaryClassificationTrainers(context);

    /// <summary>The trainers; each is an extension method (e.g. <c>BackPropagation</c>).</summary>
    public BinaryClassificationTrainers Trainers { get; }

    /// <summary>The BinaryClassification trainers.</summary>
    public sealed class BinaryClassificationTrainers : CatalogBase
    {
        internal BinaryClassificationTrainers(NetsContext context) : base(context) { }
    }
}
