namespace MLNet.Nets.Catalogs;

/// <summary>Regression: trainers (<see cref="Trainers"/>), evaluation and cross-validation (extension methods).</summary>
public sealed class RegressionCatalog : CatalogBase
{
    internal RegressionCatalog(NetsContext context) : base(context) => Trainers = new RegressionTrainers(context);

    /// <summary>The trainers; each is an extension method (e.g. <c>BackPropagation</c>).</summary>
    public RegressionTrainers Trainers { get; }

    /// <summary>The Regression trainers.</summary>
    public sealed class RegressionTrainers : CatalogBase
    {
        internal RegressionTrainers(NetsContext context) : base(context) { }
    }
}
