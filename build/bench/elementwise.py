"""PyTorch peer of build/bench/elementwise/Program.cs: the same cases (forward + backward through autograd), best of
N repetitions in milliseconds, printed as one JSON object. Usage: elementwise.py [repetitions=7] [threads=2]"""
import json, sys, time
import torch
import torch.nn.functional as F

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 7
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
torch.manual_seed(1)
rand = lambda *shape: torch.rand(*shape) * 8 - 4
x = rand(32, 32, 56, 56).requires_grad_()
dy = rand(32, 32, 56, 56)
w = torch.ones(32, requires_grad=True); b = torch.zeros(32, requires_grad=True)
rm = torch.zeros(32); rv = torch.ones(32)
logits = rand(4096, 1000).requires_grad_(); dlogits = rand(4096, 1000)
feature = rand(32, 64, 28, 28).requires_grad_(); gate = rand(32, 64, 1, 1).requires_grad_()

def act(f):
    def run():
        x.grad = None
        f(x).backward(dy)
    return run

def bn():
    x.grad = w.grad = b.grad = None
    F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5).backward(dy)

def softmax():
    logits.grad = None
    F.softmax(logits, dim=1).backward(dlogits)

def se():
    feature.grad = gate.grad = None
    g = feature * gate
    g.backward(g.detach())

cases = {"relu": act(F.relu), "sigmoid": act(torch.sigmoid), "tanh": act(torch.tanh), "elu": act(F.elu),
         "hardswish": act(F.hardswish), "swish": act(F.silu), "batchnorm_train": bn, "softmax": softmax, "se_gate_multiply": se}
best = {}
for name, run in cases.items():
    run(); run(); best[name] = float("inf")
for _ in range(reps):
    for name, run in cases.items():
        t = time.perf_counter(); run(); best[name] = min(best[name], (time.perf_counter() - t) * 1000)
print(json.dumps(best))
