"""scikit-learn peer of build/bench/bp.sh: MLPRegressor(hidden_layer_sizes=(10,), solver="lbfgs") on the exact
80/20 housing split written by the C# benchmark (line 1: training row indices, line 2: test row indices).
Features are min-max scaled to [-1, 1] from the training part only, as ours; targets are left in their units."""
import sys, time, statistics
import numpy as np
from sklearn.neural_network import MLPRegressor

data_path, split_path = sys.argv[1], sys.argv[2]
seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
data = np.loadtxt(data_path, delimiter="\t", skiprows=1)
y, x = data[:, 0], data[:, 1:]
with open(split_path) as f:
    train = np.array([int(v) for v in f.readline().split()])
    test = np.array([int(v) for v in f.readline().split()])
assert len(set(train)) == len(train) and not set(train) & set(test), "split overlaps"
assert sorted(set(train) | set(test)) == list(range(len(y))), "split does not cover every row"
print(f"sklearn split train={len(train)} test={len(test)} test_index_sum={int(test.sum())}")
lo, hi = x[train].min(axis=0), x[train].max(axis=0)
span = np.where(hi > lo, hi - lo, 1.0)
xs = 2 * (x - lo) / span - 1
rmses, times = [], []
import warnings
warnings.filterwarnings("ignore")
for seed in range(seeds):
    model = MLPRegressor(hidden_layer_sizes=(10,), solver="lbfgs", random_state=seed)
    t0 = time.perf_counter()
    model.fit(xs[train], y[train])
    dt = time.perf_counter() - t0
    rmse = float(np.sqrt(np.mean((model.predict(xs[test]) - y[test]) ** 2)))
    rmses.append(rmse)
    times.append(dt)
    print(f"sklearn seed={seed} test_rmse={rmse:.4f} fit_seconds={dt:.5f} iterations={model.n_iter_}")
print(f"sklearn median_test_rmse={statistics.median(rmses):.4f} median_fit_seconds={statistics.median(times):.5f}")
