# Writes the PyTorch files the TorchStateDict tests read, and the reference values as raw float32.
# Usage: python3 make_torch_files.py OUT_DIR [--no-mobilenet]
import collections, io, json, os, pickle, sys, zipfile
import torch, torch.nn as nn

torch.set_num_threads(2)
out = sys.argv[1]
meta = {}


def reference(name, sd):
    entries = []
    with open(os.path.join(out, name + ".f32"), "wb") as f:
        for k, v in sd.items():
            entries.append({"name": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")})
            f.write(v.detach().float().contiguous().numpy().astype("<f4").tobytes())
    meta[name] = entries


torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 4 * 4, 5))
net.train()
net(torch.randn(4, 3, 6, 6))  # running stats and num_batches_tracked become non-trivial
sd = net.state_dict()
big = torch.randn(10, 6)
sd["extra.half"] = torch.randn(7).half()
sd["extra.bf16"] = torch.randn(2, 3).bfloat16()
sd["extra.double"] = torch.randn(3).double()
sd["extra.int32"] = torch.tensor([-5, 0, 9], dtype=torch.int32)
sd["extra.transposed"] = big.t()            # non-contiguous view
sd["extra.slice"] = big[3:7, 1:4]           # storage offset + strides
sd["extra.row"] = big[5]                    # shares big's storage
sd["extra.scalar"] = torch.tensor(3.25)
sd["extra.empty"] = torch.zeros(0, 4)
torch.save(sd, os.path.join(out, "small.pth"))
torch.save(sd, os.path.join(out, "small_legacy.pth"), _use_new_zipfile_serialization=False)
reference("small", sd)

opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
net(torch.randn(2, 3, 6, 6)).sum().backward()
opt.step()
torch.save({"epoch": 3, "best": 0.875, "name": "run-1", "state_dict": net.state_dict(), "optimizer": opt.state_dict()},
           os.path.join(out, "checkpoint.pt"))
reference("checkpoint", net.state_dict())
torch.save(net.state_dict(keep_vars=True), os.path.join(out, "keep_vars.pth"))  # nn.Parameter objects: _rebuild_parameter

if "--no-mobilenet" not in sys.argv:
    import torchvision
    torch.manual_seed(0)
    m = torchvision.models.mobilenet_v2()
    m.eval()
    torch.save(m.state_dict(), os.path.join(out, "mobilenet_v2.pth"))
    reference("mobilenet_v2", m.state_dict())

# A malicious file in torch's own layout: unpickling it runs os.system.
marker = os.path.join(out, "marker")


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > " + marker,))


torch.save({"w": torch.zeros(2), "x": Evil()}, os.path.join(out, "evil.pth"))
with zipfile.ZipFile(os.path.join(out, "evil.pth")) as z:
    pkl = [n for n in z.namelist() if n.endswith("data.pkl")][0]
    # Prove the file is really malicious: python's pickle runs the command (then remove the marker again).
    class P(pickle.Unpickler):
        def persistent_load(self, pid):
            return torch.zeros(int(pid[4])).storage()
    P(io.BytesIO(z.read(pkl))).load()
assert os.path.exists(marker)
os.remove(marker)


class Marker:
    pass


# A tensor whose size needs more elements than its storage holds.
class Lying:
    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, (STORAGE, 2, (3, 4), (4, 1), False, collections.OrderedDict()))


STORAGE = Marker()


class Saver(pickle.Pickler):
    def persistent_id(self, obj):
        if obj is STORAGE:
            return ("storage", torch.FloatStorage, "0", "cpu", 10)
        return None


buf = io.BytesIO()
Saver(buf, protocol=2).dump(collections.OrderedDict([("fc.weight", Lying())]))
with zipfile.ZipFile(os.path.join(out, "oversize.pth"), "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", buf.getvalue())
    z.writestr("archive/data/0", bytes(40))
    z.writestr("archive/version", "3\n")

torch.jit.save(torch.jit.script(nn.Linear(2, 2)), os.path.join(out, "scripted.pt"))
torch.save(nn.Linear(2, 2), os.path.join(out, "whole_model.pth"))

json.dump(meta, open(os.path.join(out, "meta.json"), "w"))
print("ok")
