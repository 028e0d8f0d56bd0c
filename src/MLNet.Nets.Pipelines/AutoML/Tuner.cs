namespace MLNet.Nets.AutoML;

/// <summary>Chooses points of the unit hypercube [0, 1]^d to try; lower scores are better.</summary>
internal abstract class Tuner(int dimensions, int seed)
{
    protected int Dimensions { get; } = dimensions;
    protected Random Random { get; } = new(seed);

    public abstract double[] Propose();

    public abstract void Report(double[] point, double score);

    public static Tuner Create(TunerKind kind, int dimensions, double[] cheapStart, int seed) => kind switch
    {
        TunerKind.Random => new RandomTuner(dimensions, seed),
        _ => new CostFrugalTuner(dimensions, cheapStart, seed),
    };

    protected double[] RandomPoint()
    {
        var x = new double[Dimensions];
        for (int i = 0; i < x.Length; i++) x[i] = Random.NextDouble();
        return x;
    }
}

/// <summary>Uniform random search.</summary>
internal sealed class RandomTuner(int dimensions, int seed) : Tuner(dimensions, seed)
{
    public override double[] Propose() => RandomPoint();

    public override void Report(double[] point, double score) { }
}

/// <summary>
/// Randomized direct search from a cheap start (FLAML's CFO idea): propose best ± step·u for a random unit direction u;
/// move on improvement; after 2·d unsuccessful directions halve the step; below a minimum step restart at a random
/// point with a fresh step. Cheap configurations come first because the start is cheap and only improvements move on.
/// </summary>
internal sealed class CostFrugalTuner : Tuner
{
    private const double InitialStep = 0.25, MinimumStep = 0.02;
    private double[] _best;
    private double _bestScore = double.PositiveInfinity;
    private double _step = InitialStep;
    private double[]? _direction;
    private bool _triedNegative;
    private int _failures;
    private bool _started;

    public CostFrugalTuner(int dimensions, double[] cheapStart, int seed) : base(dimensions, seed) => _best = (double[])cheapStart.Clone();

    public override double[] Propose()
    {
        if (!_started) return (double[])_best.Clone();
        if (_direction is null)
        {
            _direction = new double[Dimensions];
            double norm = 0;
            for (int i = 0; i < Dimensions; i++)
            {
                double g = Gaussian();
                _direction[i] = g;
                norm += g * g;
            }
            norm = Math.Sqrt(norm);
            for (int i = 0; i < Dimensions; i++) _direction[i] /= norm;
            _triedNegative = false;
        }
        double sign = _triedNegative ? -1 : 1;
        var x = new double[Dimensions];
        for (int i = 0; i < Dimensions; i++) x[i] = Math.Clamp(_best[i] + sign * _step * _direction[i], 0, 1);
        return x;
    }

    public override void Report(double[] point, double score)
    {
        if (!_started)
        {
            _started = true;
            if (score < _bestScore) _bestScore = score;
            return;
        }
        if (score < _bestScore)
        {
            _best = point;
            _bestScore = score;
            _direction = null;
            _failures = 0;
            return;
        }
        if (!_triedNegative)
        {
            _triedNegative = true;
            return;
        }
        _direction = null;
        if (++_failures < 2 * Dimensions) return;
        _failures = 0;
        _step /= 2;
        if (_step >= MinimumStep) return;
        // Converged here: restart somewhere new, keeping the best score to beat.
        _best = RandomPoint();
        _step = InitialStep;
        _started = false;
        _bestScore = double.PositiveInfinity;
    }

    private double Gaussian()
    {
        double u1 = 1 - Random.NextDouble(), u2 = Random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
