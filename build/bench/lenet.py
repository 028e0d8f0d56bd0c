"""PyTorch peer of build/bench/lenet.sh: LeNet-5 on MNIST, one epoch, Adam 1e-3, batch 64, 2 threads.

Prints one JSON line: {"peer": "pytorch", "seconds_per_epoch": ..., "test_accuracy": ...}.
The data are read from the same IDX .gz files with numpy (pixels / 255, no normalisation), like the C# side.
"""
import gzip, json, sys, time
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(2)
data = sys.argv[1]
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x = torch.from_numpy(idx(f"{data}/train-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
y = torch.from_numpy(idx(f"{data}/train-labels-idx1-ubyte.gz").astype(np.int64))
tx = torch.from_numpy(idx(f"{data}/t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
ty = torch.from_numpy(idx(f"{data}/t10k-labels-idx1-ubyte.gz").astype(np.int64))

torch.manual_seed(seed)
model = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
times = []
for epoch in range(epochs):
    model.train()
    start = time.perf_counter()
    perm = torch.randperm(x.shape[0])
    for i in range(0, x.shape[0], 64):
        idxs = perm[i:i + 64]
        opt.zero_grad()
        loss = loss_fn(model(x[idxs]), y[idxs])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - start)
model.eval()
with torch.no_grad():
    correct = sum((model(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item() for i in range(0, tx.shape[0], 1000))
print(json.dumps({"peer": "pytorch", "seconds_per_epoch": sum(times) / len(times), "epoch_seconds": times,
                  "test_accuracy": correct / tx.shape[0], "params": sum(p.numel() for p in model.parameters())}))
