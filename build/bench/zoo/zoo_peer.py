# The PyTorch side of build/bench/zoo.sh: forward images/s at batch 1 and 16 and one SGD training step at batch 16 for
# one torchvision architecture (random weights), median of REPEATS runs (10 x REPEATS at batch 1) after a warm-up of
# at least two runs and one second, 2 threads; the first batch-1 call is timed on its own.
# usage: zoo_peer.py ARCH [THREADS] [REPEATS]
import json, resource, sys, time
import torch, torchvision

arch = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
torch.set_num_threads(threads)
torch.manual_seed(0)
kw = dict(aux_logits=False, init_weights=True) if arch == "inception_v3" else {}
model = getattr(torchvision.models, arch)(**kw)
size = 299 if arch == "inception_v3" else 224
x1 = torch.randn(1, 3, size, size)
x16 = torch.randn(16, 3, size, size)


def median(fn, count):
    warm = time.perf_counter()
    w = 0
    while w < 2 or time.perf_counter() - warm < 1:
        fn()
        w += 1
    times = []
    for _ in range(count):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


model.eval()
with torch.no_grad():
    t = time.perf_counter()
    model(x1)
    first = time.perf_counter() - t
    f1 = median(lambda: model(x1), 10 * repeats)
    f16 = median(lambda: model(x16), repeats)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
labels = torch.tensor([i * 37 % 1000 for i in range(16)])
loss_fn = torch.nn.CrossEntropyLoss()


def step():
    opt.zero_grad()
    loss_fn(model(x16), labels).backward()
    opt.step()


s = median(step, repeats)
print(json.dumps({
    "peer": "pytorch",
    "arch": arch,
    "params": sum(p.numel() for p in model.parameters()),
    "first_call_ms": 1000 * first,
    "batch1_images_per_second": 1 / f1,
    "batch16_images_per_second": 16 / f16,
    "train_step_seconds": s,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
}))
