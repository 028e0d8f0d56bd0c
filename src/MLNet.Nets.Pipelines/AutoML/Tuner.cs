namespace MLNet.Nets.AutoML;

/// <summary>Chooses points of the unit hypercube [0, 1]^d to try; lower scores are better.</summary>
internal abstract class Tuner(int dimensions, int seed)
{
    protected int Dimensions { get; } = dimensions;
    protected Random Random { get; } = new(seed);

    public abstract double[] Propose();

    public abstract void Report(double[] point, double score);

    /// <param name="kind">Which tuner.</param>
    /// <param name="dimensions">The dimension d of the search space.</param>
    /// <param name="cheapStart">The cheap configuration the cost-frugal tuner starts from.</param>
    /// <param name="seed">Seed of the tuner's draws.</param>
    /// <param name="cost">A relative cost estimate of a point (the cost-frugal tuner's global draws prefer cheap
    /// points); null estimates it by the sum of the coordinates.</param>
    public static Tuner Create(TunerKind kind, int dimensions, double[] cheapStart, int seed, Func<double[], double>? cost = null) => kind switch
    {
        TunerKind.Random => new RandomTuner(dimensions, seed),
        _ => new CostFrugalTuner(dimensions, cheapStart, seed, cost ?? (x => x.Sum())),
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
/// Cost-frugal search in the spirit of FLAML's BlendSearch: a local search (CFO) that starts at a cheap configuration,
/// interleaved with a global, model-based search (a tree-structured Parzen estimator, as BlendSearch uses Optuna's TPE).
/// </summary>
/// <remarks>
/// Local proposals are best ± step·u, u a random unit direction over one to three coordinates (so that discrete settings
/// such as depth, activation or algorithm actually change), the opposite sign tried when the first does not improve; the
/// step halves after <c>d</c> unsuccessful directions and resets below a minimum. Every other direction is replaced by a
/// global proposal: once a few trials are known, the candidate (of 24 drawn around the best quarter of the trials) that
/// maximizes l(x)/g(x) — the density of the good trials over that of the others, per coordinate — and among near-equal
/// candidates the cheaper by the search space's cost estimate; before that, the cheapest of three random draws. Local
/// search continues from whichever point is best. A proposal whose score equals the incumbent's exactly landed on the
/// same configuration and is not counted as a failure.
/// </remarks>
internal sealed class CostFrugalTuner : Tuner
{
    private const double InitialStep = 0.3, MinimumStep = 0.03, GoodFraction = 0.25;
    private const int StartupTrials = 6, Candidates = 24;
    private readonly Func<double[], double> _cost;
    private readonly List<(double[] Point, double Score)> _history = [];
    private double[] _best;
    private double _bestScore = double.PositiveInfinity;
    private double _step = InitialStep;
    private double[]? _direction;
    private bool _triedNegative;
    private bool _globalNext;
    private int _failures;
    private bool _started;

    public CostFrugalTuner(int dimensions, double[] cheapStart, int seed, Func<double[], double> cost) : base(dimensions, seed)
    {
        _best = (double[])cheapStart.Clone();
        _cost = cost;
    }

    public override double[] Propose()
    {
        if (!_started) return (double[])_best.Clone();
        // A global proposal between local directions (never between the + and - halves of one direction).
        if (_direction is null && _globalNext)
        {
            _globalNext = false;
            return _history.Count < StartupTrials ? CheapestOfRandom(3) : ParzenProposal();
        }
        if (_direction is null)
        {
            _globalNext = true;
            _direction = new double[Dimensions];
            int moved = 1 + Random.Next(Math.Min(3, Dimensions));
            var order = Enumerable.Range(0, Dimensions).OrderBy(_ => Random.Next()).Take(moved).ToArray();
            double norm = 0;
            foreach (int i in order)
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
        _history.Add(((double[])point.Clone(), score));
        if (!_started)
        {
            _started = true;
            _bestScore = score;
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
        if (_direction is null) return; // a global proposal that did not win
        // Same configuration as the incumbent: the step did not reach another setting; try another direction.
        bool same = score == _bestScore;
        if (!_triedNegative && !same)
        {
            _triedNegative = true;
            return;
        }
        _direction = null;
        if (same || ++_failures < Dimensions) return;
        _failures = 0;
        _step /= 2;
        if (_step < MinimumStep) _step = InitialStep;
    }

    private double[] CheapestOfRandom(int draws)
    {
        double[] best = RandomPoint();
        for (int k = 1; k < draws; k++)
        {
            var x = RandomPoint();
            if (_cost(x) < _cost(best)) best = x;
        }
        return best;
    }

    /// <summary>TPE: draws candidates around the good trials and keeps the one most likely under them relative to the rest.</summary>
    private double[] ParzenProposal()
    {
        var sorted = _history.OrderBy(h => double.IsNaN(h.Score) ? double.PositiveInfinity : h.Score).ToList();
        int goodCount = Math.Max(1, (int)Math.Ceiling(GoodFraction * sorted.Count));
        var good = sorted.Take(goodCount).Select(h => h.Point).ToList();
        var bad = sorted.Skip(goodCount).Select(h => h.Point).ToList();
        double bandwidth = Math.Max(0.05, 0.5 * Math.Pow(sorted.Count, -0.2));
        double[]? best = null;
        double bestRatio = double.NegativeInfinity;
        for (int c = 0; c < Candidates; c++)
        {
            var x = new double[Dimensions];
            for (int d = 0; d < Dimensions; d++)
            {
                // Each coordinate from a random good trial's kernel, or (one time in good+1) from the uniform prior.
                int pick = Random.Next(good.Count + 1);
                x[d] = pick == good.Count ? Random.NextDouble() : Math.Clamp(good[pick][d] + bandwidth * Gaussian(), 0, 1);
            }
            double ratio = 0;
            for (int d = 0; d < Dimensions; d++) ratio += Math.Log(Density(good, d, x[d], bandwidth)) - Math.Log(Density(bad, d, x[d], bandwidth));
            // Prefer the cheaper of candidates that are about as promising.
            ratio -= 0.1 * _cost(x);
            if (ratio > bestRatio)
            {
                bestRatio = ratio;
                best = x;
            }
        }
        return best!;
    }

    /// <summary>A Parzen density on [0, 1] from the points' coordinate <paramref name="d"/>, mixed with the uniform prior.</summary>
    private static double Density(List<double[]> points, int d, double v, double bandwidth)
    {
        double sum = 1; // the uniform prior, weighted as one point
        foreach (var p in points)
        {
            double z = (v - p[d]) / bandwidth;
            sum += Math.Exp(-0.5 * z * z) / (bandwidth * Math.Sqrt(2 * Math.PI));
        }
        return sum / (points.Count + 1);
    }

    private double Gaussian()
    {
        double u1 = 1 - Random.NextDouble(), u2 = Random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
