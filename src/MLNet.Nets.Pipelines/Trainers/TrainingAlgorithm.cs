namespace MLNet.Nets.Trainers;

/// <summary>How a back-propagation network is trained.</summary>
public enum TrainingAlgorithm
{
    /// <summary>Levenberg–Marquardt (MATLAB <c>trainlm</c>): full-batch, double precision, fastest for small networks.</summary>
    LevenbergMarquardt,
    /// <summary>Gradient descent with momentum and adaptive learning rate (MATLAB <c>traingdx</c>), full batch.</summary>
    GradientDescentAdaptive,
    /// <summary>Adam on mini-batches.</summary>
    Adam,
    /// <summary>Stochastic gradient descent with momentum on mini-batches.</summary>
    Sgd,
}
