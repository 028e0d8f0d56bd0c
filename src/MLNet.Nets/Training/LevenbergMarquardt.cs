using System.Runtime.CompilerServices;
using System.Diagnostics;

namespace MLNet.Nets.Training;

/// <summary>
/// Levenberg–Marquardt back-propagation (MATLAB <c>trainlm</c>): a damped Gauss–Newton method for small networks,
/// usually the fastest way to fit a feed-forward regression network of up to a few hundred weights.
/// </summary>
/// <remarks>
/// <para>Each epoch computes the Jacobian J of the network outputs with respect to all weights and biases (one row per
/// sample and output, by back-propagating each output), then JᵀJ and Jᵀe (e = targets − outputs). The step δ solves
/// (JᵀJ + μI)δ = Jᵀe by Cholesky. If the new weights lower the training MSE, they are kept and μ is multiplied by
/// <c>MuDec</c>; otherwise μ is multiplied by <c>MuInc</c> and only the small system is solved again.</para>
/// <para>Everything runs in double precision, as in MATLAB: near a minimum JᵀJ is badly conditioned, and single
/// precision makes the steps noisy enough to stall. With validation rows, training stops after <c>MaxFail</c>
/// epochs without a new best validation error, and the best validation weights are restored.</para>
/// <para>After allocating its work buffers once, an epoch allocates nothing but its history record.</para>
/// </remarks>
public sealed class LevenbergMarquardt : FeedForwardTrainer
{
    /// <summary>Creates the trainer with the given parameters (MATLAB's defaults when null).</summary>
    public LevenbergMarquardt(LevenbergMarquardtOptions? options = null)
    {
        Options = options ?? new LevenbergMarquardtOptions();
    }

    /// <summary>The training parameters (read when training starts).</summary>
    public LevenbergMarquardtOptions Options { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override FeedForwardTrainingResult TrainCore(DenseStack stack, double[] weights, RowSet train, RowSet? validation,
        IProgress<FeedForwardTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var o = Options;
        o.Validate();
        var clock = Stopwatch.StartNew();
        int p = stack.ParameterCount;
        int q = train.Rows * stack.OutputCount;
        int stride = SmallDenseAlgebra.Pad4(q);
        int pp = SmallDenseAlgebra.Pad4(p);

        // Work buffers, allocated once per training run; the epochs below only reuse them.
        var jt = new double[(long)pp * stride];
        var h = new double[pp * pp];
        var factor = new double[pp * pp];
        var je = new double[p];
        var step = new double[p];
        var w = (double[])weights.Clone();
        var trial = new double[p];
        var best = (double[])weights.Clone();
        var errors = new double[stride];
        var trialErrors = new double[stride];
        var state = new DenseStack.State(stack, train.Rows);
        var trialState = new DenseStack.State(stack, train.Rows);
        var validationState = validation is null ? null : new DenseStack.State(stack, validation.Rows);
        var history = new List<FeedForwardTrainingProgress>(Math.Min(o.Epochs + 1, 4096));

        // The objective is F = Ed + λ·Ew (Ed = Σe², Ew = Σw²). Fixed regularization r gives (1 − r)·mse + r·msw scaled
        // by Q/(1 − r); Bayesian regularization (trainbr) minimises β·Ed + α·Ew with α, β re-estimated after every
        // accepted step, i.e. λ = α/β and the damping μ/β.
        bool bayesian = o.BayesianRegularization;
        double lambda = o.Regularization * q / ((1 - o.Regularization) * p);
        double perfScale = bayesian ? 1.0 / q : (1 - o.Regularization) / q;
        stack.Forward(w, train.X, state);
        double ed = stack.Errors(state, train.Y, errors);
        double ew = SumOfSquares(w);
        if (!double.IsFinite(ed))
        {
            throw new TrainingDivergedException(0, $"The initial weights give a non-finite training error ({ed}); check the data scale and the initial weights.");
        }
        double alpha = 0, beta = 1, effectiveParameters = p;
        if (bayesian)
        {
            beta = ed > 0 ? Math.Max((q - effectiveParameters) / (2 * ed), 0) : 1;
            if (beta <= 0) beta = 1;
            alpha = ew > 0 ? effectiveParameters / (2 * ew) : 1;
            lambda = alpha / beta;
        }
        double sse = ed + lambda * ew;
        double vperf = double.NaN, bestVperf = double.PositiveInfinity;
        if (validation is not null)
        {
            vperf = ValidationPerformance(stack, w, validation, validationState!);
            bestVperf = vperf;
        }
        double mu = o.Mu;
        int validationFailures = 0, bestEpoch = 0, epoch = 0;
        FeedForwardStopReason stop;
        bool limitOnly;
        try
        {
            for (; ; epoch++)
            {
                stack.JacobianTransposed(w, train.X, state, jt, stride);
                SmallDenseAlgebra.Gram(jt, p, stride, h, pp);
                double gg = 0;
                for (int a = 0; a < p; a++)
                {
                    double v = SmallDenseAlgebra.Dot(new ReadOnlySpan<double>(jt, a * stride, q), new ReadOnlySpan<double>(errors, 0, q)) - lambda * w[a];
                    je[a] = v;
                    gg += v * v;
                }
                double gradient = 2 * Math.Sqrt(gg) * perfScale;
                if (!double.IsFinite(gradient))
                {
                    throw new TrainingDivergedException(epoch, $"Levenberg–Marquardt: the Jacobian became non-finite at epoch {epoch}; the last good weights are kept.");
                }
                double perf = bayesian ? ed * perfScale : sse * perfScale;
                var record = new FeedForwardTrainingProgress(epoch, perf, vperf, mu, double.NaN, gradient, validationFailures, clock.Elapsed);
                history.Add(record);
                progress?.Report(record);
                var reason = CheckStop(epoch, o.Epochs, perf, o.Goal, gradient, o.MinGrad, mu > o.MuMax, clock.Elapsed, o.TimeLimit,
                    validationFailures, o.MaxFail);
                if (reason is { } r)
                {
                    stop = r;
                    limitOnly = OnlyTheLimit(r, epoch, perf, o.Goal, gradient, o.MinGrad, mu > o.MuMax, clock.Elapsed, o.TimeLimit, validationFailures, o.MaxFail);
                    break;
                }
                cancellationToken.ThrowIfCancellationRequested();

                while (mu <= o.MuMax)
                {
                    if (SmallDenseAlgebra.Cholesky(h, p, pp, lambda + mu / beta, factor))
                    {
                        SmallDenseAlgebra.CholeskySolve(factor, p, pp, je, step);
                        for (int i = 0; i < p; i++) trial[i] = w[i] + step[i];
                        stack.Forward(trial, train.X, trialState);
                        double trialEd = stack.Errors(trialState, train.Y, trialErrors);
                        double trialEw = SumOfSquares(trial);
                        double trialSse = trialEd + lambda * trialEw;
                        if (trialSse < sse)
                        {
                            (w, trial) = (trial, w);
                            (state, trialState) = (trialState, state);
                            (errors, trialErrors) = (trialErrors, errors);
                            ed = trialEd;
                            ew = trialEw;
                            sse = trialSse;
                            mu = Math.Max(mu * o.MuDec, 1e-20);
                            if (bayesian && SmallDenseAlgebra.Cholesky(h, p, pp, lambda, factor))
                            {
                                // γ = P − α·tr((βJᵀJ + αI)⁻¹) = P − λ·tr((JᵀJ + λI)⁻¹), the effective number of parameters.
                                effectiveParameters = p - lambda * SmallDenseAlgebra.InverseTrace(factor, p, pp, step);
                                alpha = ew > 0 ? effectiveParameters / (2 * ew) : 1;
                                beta = ed > 0 ? (q - effectiveParameters) / (2 * ed) : 1;
                                if (!(beta > 0)) beta = 1;
                                lambda = alpha / beta;
                                sse = ed + lambda * ew;
                            }
                            break;
                        }
                    }
                    mu *= o.MuInc;
                }

                if (validation is not null)
                {
                    vperf = ValidationPerformance(stack, w, validation, validationState!);
                    if (vperf < bestVperf)
                    {
                        bestVperf = vperf;
                        Array.Copy(w, best, p);
                        bestEpoch = epoch + 1;
                        validationFailures = 0;
                    }
                    else if (!(vperf <= bestVperf))
                    {
                        validationFailures++;
                    }
                }
                else
                {
                    bestEpoch = epoch + 1;
                }
            }
        }
        finally
        {
            // On an exception (divergence, cancellation) the current weights are the last that gave a finite error.
            Array.Copy(w, weights, p);
        }

        if (validation is not null && bestEpoch != epoch)
        {
            Array.Copy(best, weights, p);
            stack.Forward(weights, train.X, state);
            ed = stack.SumSquaredError(state, train.Y);
            sse = ed + lambda * SumOfSquares(weights);
            vperf = bestVperf;
        }
        else if (validation is null)
        {
            bestEpoch = epoch;
        }
        return new FeedForwardTrainingResult
        {
            StopReason = stop,
            StoppedByEpochLimitOnly = limitOnly,
            Epochs = epoch,
            BestEpoch = bestEpoch,
            Performance = bayesian ? ed * perfScale : sse * perfScale,
            ValidationPerformance = vperf,
            History = history,
            Elapsed = clock.Elapsed,
        };
    }

    private static double SumOfSquares(double[] w) => SmallDenseAlgebra.Dot(w, w);

    private static double ValidationPerformance(DenseStack stack, double[] w, RowSet validation, DenseStack.State state)
    {
        stack.Forward(w, validation.X, state);
        return stack.SumSquaredError(state, validation.Y) / (validation.Rows * stack.OutputCount);
    }
}
