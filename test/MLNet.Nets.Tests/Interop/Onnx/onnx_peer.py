# The python peer of the ONNX tests.
#   check FILE...            onnx.checker.check_model(full_check=True) on each file; prints "ok FILE" per file.
#   torch_mobilenet_v2 OUT   torch.onnx.export of torchvision mobilenet_v2 (seeded random weights and batch-norm
#                            statistics, eval mode, opset 17, dynamic batch) to OUT/mobilenet_v2.onnx, with a seeded
#                            input OUT/x.npy [2, 3, 224, 224] and PyTorch's logits OUT/y.npy.
import os, sys
import numpy as np


def check(paths):
    import onnx
    for p in paths:
        onnx.checker.check_model(onnx.load(p), full_check=True)
        print("ok", p)


def torch_mobilenet_v2(out):
    import torch, torchvision
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = torchvision.models.mobilenet_v2(num_classes=1000)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    model.eval()
    x = torch.rand(2, 3, 224, 224, generator=torch.Generator().manual_seed(1)) * 2 - 1
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, os.path.join(out, "mobilenet_v2.onnx"), opset_version=17, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    np.save(os.path.join(out, "x.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(out, "y.npy"), y.numpy().astype(np.float32))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "check":
        check(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[2] == "torch_mobilenet_v2":
        # Called by WeightsPython.GeneratedFilesOf as: script OUT_DIR torch_mobilenet_v2
        torch_mobilenet_v2(sys.argv[1])
    else:
        raise SystemExit(f"unknown command {sys.argv[1:]}")
