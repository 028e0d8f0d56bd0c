using MLNet.Nets.Layers;

namespace MLNet.Nets.Trainers;

/// <summary>
/// Options of the back-propagation (multilayer perceptron) trainers — MATLAB's <c>newff</c>/<c>feedforwardnet</c> and
/// <c>trainParam</c>, the ML.NET way. Every default is stated.
/// </summary>
public sealed class BackPropagationOptions
{
    /// <summary>The label column. Regression: Single. Binary: Boolean (or a number 0/1). Multiclass: a key (use
    /// <c>MapValueToKey</c>). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The features: a Single scalar or vector column. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Units of each hidden layer, input side first. Default [10] (MATLAB's default).</summary>
    public int[] HiddenLayers { get; set; } = [10];

    /// <summary>Transfer function of the hidden layers. Default tansig (<see cref="Activation.Tanh"/>).</summary>
    public Activation HiddenActivation { get; set; } = Activation.Tanh;

    /// <summary>The algorithm; null picks Levenberg–Marquardt for regression and Adam for classification. Default null.</summary>
    public TrainingAlgorithm? Algorithm { get; set; }

    /// <summary>Maximum epochs (MATLAB <c>epochs</c>). Default 1000.</summary>
    public int MaxEpochs { get; set; } = 1000;

    /// <summary>Stop when the training loss reaches this value (MATLAB <c>goal</c>). Default 0.</summary>
    public double Goal { get; set; }

    /// <summary>Stop after this many epochs without a better validation loss; the best weights are kept (MATLAB <c>max_fail</c>). Default 6.</summary>
    public int MaxValidationFailures { get; set; } = 6;

    /// <summary>Fraction of the training rows held out (at random, seeded) for early stopping; 0 trains on all rows without
    /// early stopping. Default 0.15 (MATLAB's dividerand validation share).</summary>
    public double ValidationFraction { get; set; } = 0.15;

    /// <summary>Learning rate of Adam and SGD (traingdx starts from 0.01 and adapts). Default null: 0.001 for Adam, 0.01 for SGD.</summary>
    public float? LearningRate { get; set; }

    /// <summary>Momentum of SGD. Default 0.9.</summary>
    public float Momentum { get; set; } = 0.9f;

    /// <summary>
    /// Weight decay: Adam/SGD add L2·Σw² to the loss of every weight matrix; Levenberg–Marquardt uses it as MATLAB's
    /// regularization ratio (performance = (1 − r)·MSE + r·mean(w²), r = min(L2, 0.99)). Default 0.
    /// </summary>
    public float L2 { get; set; }

    /// <summary>
    /// Adam and SGD: the probability that a hidden unit's output is dropped in a training step (inverted dropout after every
    /// hidden layer: the kept outputs are scaled by 1/(1 − rate), so the trained network is used as it is — prediction and
    /// validation never drop). Must be in [0, 1); Levenberg–Marquardt and traingdx compute exact whole-batch steps and reject
    /// a rate above 0 (regularize them with <see cref="L2"/>). Default 0.
    /// </summary>
    public float Dropout { get; set; }

    /// <summary>
    /// How many networks to train and average — a committee, which predicts better than a single network whose result
    /// depends on its initial weights (MATLAB's advice: train several times). The first network is the one a single fit
    /// with <see cref="Seed"/> trains; each other one draws its initial weights, validation rows and shuffles from a seed
    /// derived from it. The model holds their average as one network: the hidden layers side by side (deeper hidden layers
    /// block-diagonal) and the output layer's weights divided by the count, so it predicts the mean of the networks'
    /// outputs before the output transfer function (regression: the mean prediction; classification: the mean logit) and
    /// saves, loads and exports like any BP model. Costs this many trainings and a network this many times as wide.
    /// Must be in [1, 100]. Default 1.
    /// </summary>
    public int EnsembleSize { get; set; } = 1;

    /// <summary>Rows per step for Adam and SGD. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Map each feature to [-1, 1] inside the network (MATLAB's default <c>mapminmax</c> on inputs). Default true.</summary>
    public bool NormalizeFeatures { get; set; } = true;

    /// <summary>Regression only: map the label to [-1, 1] for training and map predictions back (MATLAB's default). Default true.</summary>
    public bool NormalizeLabel { get; set; } = true;

    /// <summary>Seed of the initial weights, the validation rows and the shuffling; null draws one from the context. Default null.</summary>
    public int? Seed { get; set; }

    /// <summary>Receives one record per epoch. Default none.</summary>
    public IProgress<BackPropagationProgress>? Progress { get; set; }

    /// <summary>Cancels training between epochs (or batches). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
