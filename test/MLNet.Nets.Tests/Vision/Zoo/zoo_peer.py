# Peer for ZooTorchvisionTests: builds a torchvision model with random weights (seed 0), gives every batch norm random
# affine parameters and running statistics (so BN inference is really checked), and writes the state dict, a fixed
# input batch and the eval-mode logits as raw little-endian float32 files.
# usage: zoo_peer.py OUT_DIR ARCH SIZE      or      zoo_peer.py OUT_DIR counts
import json, os, sys
import torch, torchvision

torch.set_num_threads(2)
out = sys.argv[1]


def build(arch, **kw):
    torch.manual_seed(0)
    if arch == "inception_v3":
        kw = dict(dict(aux_logits=False, init_weights=True, transform_input=False), **kw)
    return getattr(torchvision.models, arch)(**kw)


if sys.argv[2] == "counts":
    counts = {}
    for arch in ["mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "resnet18", "resnet50", "inception_v3"]:
        counts[arch] = sum(p.numel() for p in build(arch).parameters())
    counts["inception_v3_aux"] = sum(p.numel() for p in build("inception_v3", aux_logits=True).parameters())
    counts["mobilenet_v2_0.5"] = sum(p.numel() for p in build("mobilenet_v2", width_mult=0.5).parameters())
    counts["mobilenet_v2_0.5_10"] = sum(p.numel() for p in build("mobilenet_v2", width_mult=0.5, num_classes=10).parameters())
    with open(os.path.join(out, "counts.json"), "w") as f:
        json.dump(counts, f)
    sys.exit(0)

arch, size = sys.argv[2], int(sys.argv[3])
model = build(arch, aux_logits=True) if arch == "inception_v3" else build(arch)
g = torch.Generator().manual_seed(1)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            c = m.num_features
            m.weight.copy_(torch.rand(c, generator=g) * 0.5 + 0.75)
            m.bias.copy_(torch.randn(c, generator=g) * 0.1)
            m.running_mean.copy_(torch.randn(c, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(c, generator=g) * 0.5 + 0.75)
model.eval()
x = torch.randn(2, 3, size, size, generator=g)
with torch.no_grad():
    y = model(x)
torch.save(model.state_dict(), os.path.join(out, "model.pth"))
open(os.path.join(out, "x.f32"), "wb").write(x.numpy().astype("<f4").tobytes())
open(os.path.join(out, "y.f32"), "wb").write(y.numpy().astype("<f4").tobytes())
