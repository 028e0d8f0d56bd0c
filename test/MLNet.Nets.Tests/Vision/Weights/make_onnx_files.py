# Writes ONNX models whose initializers the OnnxInitializers tests read, and the expected values as JSON.
# Usage: python3 make_onnx_files.py OUT_DIR
import json, os, sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import torch, torch.nn as nn

torch.set_num_threads(2)
out = sys.argv[1]
rng = np.random.default_rng(0)
expected = {}


def add(name, array, onnx_type, how):
    flat = array.reshape(-1)
    if how == "raw":
        t = helper.make_tensor(name, onnx_type, array.shape, array.tobytes(), raw=True)
    else:  # typed fields; onnx stores FLOAT16 as its bit patterns in int32_data
        t = helper.make_tensor(name, onnx_type, array.shape, flat.tolist())
        assert len(t.raw_data) == 0
    expected[name] = {"shape": list(array.shape), "values": flat.astype(np.float64).tolist()}
    return t


inits = [
    add("w.raw", rng.standard_normal((3, 4)).astype("<f4"), TensorProto.FLOAT, "raw"),
    add("w.typed", rng.standard_normal((2, 2, 3)).astype(np.float32), TensorProto.FLOAT, "typed"),
    add("w.half", rng.standard_normal(5).astype(np.float16), TensorProto.FLOAT16, "typed"),
    add("w.half_raw", rng.standard_normal(5).astype("<f2"), TensorProto.FLOAT16, "raw"),
    add("w.double", rng.standard_normal(4), TensorProto.DOUBLE, "typed"),
    add("shape", np.array([1, -1, 7], dtype=np.int64), TensorProto.INT64, "typed"),
    add("idx", np.array([-3, 0, 9], dtype=np.int32), TensorProto.INT32, "typed"),
    add("bytes", np.array([0, 200, 255], dtype=np.uint8), TensorProto.UINT8, "raw"),
    add("scalar", np.array(2.5, dtype=np.float32), TensorProto.FLOAT, "typed"),
]
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4])
graph = helper.make_graph([helper.make_node("Add", ["x", "w.raw"], ["y"])], "g", [x], [y], initializer=inits)
model = helper.make_model(graph)
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "types.onnx"))

ext_dir = os.path.join(out, "ext")
os.makedirs(ext_dir, exist_ok=True)
onnx.save_model(model, os.path.join(ext_dir, "external.onnx"), save_as_external_data=True,
                all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
json.dump(expected, open(os.path.join(out, "types.json"), "w"))

torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3)).eval()
torch.onnx.export(net, torch.randn(1, 3, 6, 6), os.path.join(out, "net.onnx"), do_constant_folding=False,
                  input_names=["x"], output_names=["y"])
json.dump({k: {"shape": list(v.shape), "values": v.reshape(-1).double().tolist()} for k, v in net.state_dict().items()},
          open(os.path.join(out, "net.json"), "w"))
print("ok")
