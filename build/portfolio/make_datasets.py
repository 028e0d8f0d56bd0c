"""The meta-learning data sets of the BP search space's portfolio (build/portfolio/portfolio.sh): scikit-learn's
diabetes data and Friedman's three synthetic regression problems, written as tab-separated text with a header and the
label first. Boston housing, the AutoML benchmark's data set, is deliberately not among them."""
import sys

from sklearn.datasets import load_diabetes, make_friedman1, make_friedman2, make_friedman3


def write(folder, name, X, y):
    with open(f"{folder}/{name}.txt", "w") as f:
        f.write("\t".join(["Label"] + [f"F{i}" for i in range(X.shape[1])]) + "\n")
        for xi, yi in zip(X, y):
            f.write("\t".join(repr(float(v)) for v in [yi, *xi]) + "\n")


folder = sys.argv[1]
diabetes = load_diabetes()
write(folder, "diabetes", diabetes.data, diabetes.target)
write(folder, "friedman1", *make_friedman1(500, 10, noise=1.0, random_state=1))
write(folder, "friedman2", *make_friedman2(500, noise=100.0, random_state=2))
write(folder, "friedman3", *make_friedman3(500, noise=0.1, random_state=3))
