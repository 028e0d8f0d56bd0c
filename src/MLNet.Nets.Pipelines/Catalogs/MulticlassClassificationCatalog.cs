namespace MLNet.Nets.Catalogs;

/// <summary>MulticlassClassification: trainers (<see cref="Trainers"/>), evaluation and cross-validation (extension methods).</summary>
public sealed class MulticlassClassificationCatalog : CatalogBase
{
    internal MulticlassClassificationCatalog(NetsContext context) : base(context) => Trainers = new MulticlassClassificationTrainers(context);

    /// <summary>The trainers; each is an extension method (e.g. <c>BackPropagation</c>).</summary>
    public MulticlassClassificationTrainers Trainers { get; }

    /// <summary>The MulticlassClassification trainers.</summary>
    public sealed class MulticlassClassificationTrainers : CatalogBase
    {
        internal MulticlassClassificationTrainers(NetsContext context) : base(context) { }
    }
}
