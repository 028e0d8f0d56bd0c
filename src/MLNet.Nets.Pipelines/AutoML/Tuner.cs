using MLNet.Nets.Training;

namespace MLNet.Nets.AutoML;

/// <summary>Chooses points of the unit hypercube [0, 1]^d to try; lower scores are better.</summary>
internal abstract class Tuner(int dimensions, int seed)
{
    protected int Dimensions { get; } = dimensions;

    /// <summary>
    /// The tuner's draws. The seed is hashed first: .NET's seeded <see cref="System.Random"/> gives strongly correlated
    /// first draws for consecutive seeds (seeds 0, 2 and 4 all start with nearly the same point), so experiments with
    /// seeds 0, 1, 2, … would not be independent.
    /// </summary>
    protected Random Random { get; } = new(Seeds.Scramble(seed));

    public abstract double[] Propose();

    /// <summary>The score of a proposed point; <paramref name="repeated"/> when it was answered from an earlier trial of
    /// the same configuration (no new information about the objective, only about the point's neighbourhood).</summary>
    public abstract void Report(double[] point, double score, bool repeated = false);

    /// <param name="kind">Which tuner.</param>
    /// <param name="dimensions">The dimension d of the search space.</param>
    /// <param name="cheapStart">The cheap configuration the cost-frugal tuner starts from.</param>
    /// <param name="seed">Seed of the tuner's draws.</param>
    /// <param name="levels">Per coordinate, the number of equal-width choices it selects among (0: a continuous
    /// setting); null: all continuous.</param>
    /// <param name="cost">Optional: a relative cost estimate of a point; the cost-frugal tuner's global proposals then
    /// prefer cheap points (its first ones are the cheapest of three draws).</param>
    /// <param name="portfolio">Optional: points the cost-frugal tuner tries first, in order, instead of the cheap start;
    /// its local search then starts from the best of them.</param>
    public static Tuner Create(TunerKind kind, int dimensions, double[] cheapStart, int seed, int[]? levels = null, Func<double[], double>? cost = null,
        IReadOnlyList<double[]>? portfolio = null) => kind switch
    {
        TunerKind.Random => new RandomTuner(dimensions, seed),
        _ => new CostFrugalTuner(dimensions, portfolio is { Count: > 0 } ? portfolio : [cheapStart], seed, levels ?? new int[dimensions], cost),
    };

    protected double[] RandomPoint()
    {
        var x = new double[Dimensions];
        for (int i = 0; i < x.Length; i++) x[i] = Random.NextDouble();
        return x;
    }

    protected double Gaussian()
    {
        double u1 = 1 - Random.NextDouble(), u2 = Random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>Uniform random search.</summary>
internal sealed class RandomTuner(int dimensions, int seed) : Tuner(dimensions, seed)
{
    public override double[] Propose() => RandomPoint();

    public override void Report(double[] point, double score, bool repeated = false) { }
}

/// <summary>
/// Cost-frugal search in the spirit of FLAML's BlendSearch: local searches (CFO) — the first from the cheapest
/// configuration, growing it only while that pays — interleaved with a global, model-based search (a tree-structured
/// Parzen estimator, as BlendSearch uses Optuna's TPE).
/// </summary>
/// <remarks>
/// The search begins with the cheap start, or with a portfolio — configurations learned offline to be good on other data
/// sets (zero-shot AutoML, as in FLAML's and Auto-sklearn 2.0's portfolios) — and the first local search starts from the
/// best of them; the others wait as starts of later local searches. Local proposals are best ± step·u, u a random unit
/// direction over one to three coordinates (so that discrete settings such as depth, activation or algorithm actually
/// change), the opposite sign tried when the first does not improve; the step halves after <c>d</c> unsuccessful
/// directions. A local search whose step falls below its minimum has converged: the next one starts from the best global
/// proposal that has not started one yet. Two global proposals follow each local direction: uniform draws for the first
/// six trials, then the candidate (of 24 drawn around the best tenth of the trials, Optuna's γ) that maximizes l(x)/g(x)
/// — the density of the good trials over that of the others, per coordinate, with discrete settings as categories.
/// Where the search space estimates trial costs (images: seconds to hours), the uniform draws are the cheapest of three
/// and the candidates pay a small penalty for cost. A proposal that lands on the incumbent's configuration is not
/// counted as a failure. On a noisy objective the global share matters: the cheap
/// region a local search starts in often has a good median but a thin upper tail (docs/benchmarks.md, "AutoML tuner") —
/// which is what a portfolio avoids.
/// </remarks>
internal sealed class CostFrugalTuner : Tuner
{
    private const double InitialStep = 0.3, MinimumStep = 0.03, GoodFraction = 0.1;
    private const int StartupTrials = 6, Candidates = 24, GlobalPerLocal = 2;
    private readonly int[] _levels;
    private readonly Func<double[], double>? _cost;
    private readonly List<(double[] Point, double Score)> _history = [];
    private readonly List<(double[] Point, double Score)> _globalResults = [];
    private double[] _best;
    private double _bestScore = double.PositiveInfinity;
    private double _step = InitialStep;
    private double[]? _direction;
    private bool _triedNegative;
    private int _globalDue;
    private int _failures;
    private bool _started;
    private double[]? _pendingGlobal;
    private readonly Queue<double[]> _starts;

    public CostFrugalTuner(int dimensions, IReadOnlyList<double[]> starts, int seed, int[] levels, Func<double[], double>? cost) : base(dimensions, seed)
    {
        _starts = new(starts.Select(p => (double[])p.Clone()));
        _best = (double[])starts[0].Clone();
        _levels = levels;
        _cost = cost;
    }

    public override double[] Propose()
    {
        if (!_started) return (double[])_starts.Peek().Clone();
        // Global proposals between local directions (never between the + and - halves of one direction).
        if (_direction is null && _globalDue > 0)
        {
            _globalDue--;
            _pendingGlobal = _history.Count >= StartupTrials ? ParzenProposal() : _cost is null ? RandomPoint() : CheapestOfRandom(3, _cost);
            return (double[])_pendingGlobal.Clone();
        }
        if (_direction is null)
        {
            _globalDue = GlobalPerLocal;
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

    public override void Report(double[] point, double score, bool repeated = false)
    {
        if (!repeated) _history.Add(((double[])point.Clone(), score));
        bool global = _pendingGlobal is not null;
        _pendingGlobal = null;
        if (global && !repeated) _globalResults.Add(((double[])point.Clone(), score));
        if (!_started)
        {
            // A start point (the cheap start, or a portfolio member): the best becomes the local search's incumbent, the
            // others wait as starts of later local searches, like global proposals.
            var start = _starts.Dequeue();
            if (score < _bestScore || _bestScore == double.PositiveInfinity)
            {
                if (_bestScore < double.PositiveInfinity) _globalResults.Add((_best, _bestScore));
                _best = start;
                _bestScore = score;
            }
            else if (!repeated) _globalResults.Add((start, score));
            _started = _starts.Count == 0;
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
        if (global) return; // a global proposal that did not win
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
        if (_step >= MinimumStep) return;
        _step = InitialStep;
        // Converged: a new local search from the best global proposal not tried as a start yet (it has not beaten this
        // search's incumbent, or it would be the incumbent already).
        var next = _globalResults.Where(r => !double.IsInfinity(r.Score)).OrderBy(r => r.Score).FirstOrDefault();
        if (next.Point is null) return;
        _globalResults.Remove(next);
        _best = next.Point;
        _bestScore = next.Score;
    }

    private double[] CheapestOfRandom(int draws, Func<double[], double> cost)
    {
        double[] best = RandomPoint();
        for (int k = 1; k < draws; k++)
        {
            var x = RandomPoint();
            if (cost(x) < cost(best)) best = x;
        }
        return best;
    }

    private int Level(int d, double v) => Math.Min(_levels[d] - 1, (int)(v * _levels[d]));

    private bool IsCategory(int d) => _levels[d] > 0;

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
                if (pick == good.Count) x[d] = Random.NextDouble();
                else if (IsCategory(d)) x[d] = (Level(d, good[pick][d]) + Random.NextDouble()) / _levels[d];
                else x[d] = Math.Clamp(good[pick][d] + bandwidth * Gaussian(), 0, 1);
            }
            double ratio = 0;
            for (int d = 0; d < Dimensions; d++) ratio += Math.Log(Density(good, d, x[d], bandwidth)) - Math.Log(Density(bad, d, x[d], bandwidth));
            // With a cost estimate, prefer the cheaper of candidates that are about as promising.
            if (_cost is not null) ratio -= 0.1 * _cost(x);
            if (ratio > bestRatio)
            {
                bestRatio = ratio;
                best = x;
            }
        }
        return best!;
    }

    /// <summary>
    /// A density on [0, 1] of the points' coordinate <paramref name="d"/>, mixed with the uniform prior: Parzen (Gaussian
    /// kernels) for a continuous setting, category frequencies for a discrete one.
    /// </summary>
    private double Density(List<double[]> points, int d, double v, double bandwidth)
    {
        double sum = 1; // the uniform prior, weighted as one point
        if (IsCategory(d))
        {
            int level = Level(d, v);
            foreach (var p in points) if (Level(d, p[d]) == level) sum += _levels[d];
            return sum / (points.Count + 1);
        }
        foreach (var p in points)
        {
            double z = (v - p[d]) / bandwidth;
            sum += Math.Exp(-0.5 * z * z) / (bandwidth * Math.Sqrt(2 * Math.PI));
        }
        return sum / (points.Count + 1);
    }
}
