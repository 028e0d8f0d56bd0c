"""PyTorch peer for build/bench/conv.sh: prints "case seconds" for one forward + backward (input, weight and bias
gradients) of each convolution case, the median of several timed repetitions after warm-up, on 2 threads."""
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
CASES = [  # name, (batch, C, H, W, K, kernel, stride, pad, groups) -- same order as build/bench/conv/Program.cs
    ("lenet_conv1_1x6_5x5_p2_28", (32, 1, 28, 28, 6, 5, 1, 2, 1)),
    ("lenet_conv2_6x16_5x5_14", (32, 6, 14, 14, 16, 5, 1, 0, 1)),
    ("mbv2_dw3x3_144_56_s1", (32, 144, 56, 56, 144, 3, 1, 1, 144)),
    ("mbv2_dw3x3_96_112_s2", (32, 96, 112, 112, 96, 3, 2, 1, 96)),
    ("mbv2_pw_24x144_56", (32, 24, 56, 56, 144, 1, 1, 0, 1)),
    ("mbv2_pw_144x24_56", (32, 144, 56, 56, 24, 1, 1, 0, 1)),
    ("incv3_3x3_64x96_35", (32, 64, 35, 35, 96, 3, 1, 1, 1)),
]
repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
only = set(sys.argv[2:])
for name, (n, c, h, w, k, ks, s, p, g) in CASES:
    if only and name not in only:
        continue
    x = torch.rand(n, c, h, w) - 0.5
    x.requires_grad_()
    wt = (torch.rand(k, c // g, ks, ks) - 0.5).requires_grad_()
    b = (torch.rand(k) - 0.5).requires_grad_()
    dy = torch.rand(F.conv2d(x, wt, b, s, p, 1, g).shape) - 0.5

    def step():
        y = F.conv2d(x, wt, b, s, p, 1, g)
        y.backward(dy)

    for _ in range(3):
        step()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"{name} {times[len(times) // 2]:.6g}", flush=True)
