using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>
/// A transformer that acts differently on the data the later steps of a chain are fitted on — data augmentation:
/// <see cref="EstimatorChain{TLastTransformer}.Fit"/> passes <see cref="TransformForTraining"/>'s view to the steps after
/// it, while <see cref="ITransformer.Transform"/> (scoring, evaluation, a loaded model) does the inference mapping.
/// </summary>
public interface ITrainingTimeTransformer : ITransformer
{
    /// <summary>The view the following steps train on.</summary>
    IDataView TransformForTraining(IDataView input);
}
