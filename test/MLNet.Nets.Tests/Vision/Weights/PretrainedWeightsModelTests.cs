using System.Runtime.InteropServices;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Vision.Weights;

namespace MLNet.Nets.Tests.Vision.Weights;

[TestClass]
public sealed class PretrainedWeightsModelTests
{
    [TestMethod]
    public void LoadInto_Model_ReproducesTorchOutputs()
    {
        string dir = Directory.CreateTempSubdirectory("pw-model-").FullName;
        try
        {
            string script = Path.Combine(dir, "make.py");
            File.WriteAllText(script, """
import sys, os, numpy as np, torch, torch.nn as nn
torch.set_num_threads(2)
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).eval()
torch.save(net.state_dict(), os.path.join(sys.argv[1], "mlp.pth"))
x = torch.randn(5, 3)
open(os.path.join(sys.argv[1], "x.f32"), "wb").write(x.numpy().astype("<f4").tobytes())
open(os.path.join(sys.argv[1], "y.f32"), "wb").write(net(x).detach().numpy().astype("<f4").tobytes())
""");
            WeightsPython.RunScript(script, dir);
            var model = new Sequential([3], 0, new Dense(4, Activation.ReLU, name: "0"), new Dense(2, name: "2"));
            var result = PretrainedWeights.FromFile(Path.Combine(dir, "mlp.pth")).LoadInto(model);
            Assert.AreEqual(4, result.Loaded.Count);

            var x = new Tensor(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(dir, "x.f32"))).ToArray(), 5, 3);
            var expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(dir, "y.f32"))).ToArray();
            Numerics.AssertClose(expected, model.Predict(x).Span, 1e-5f, 1e-6f, "logits");

            var wrong = new Sequential([3], 0, new Dense(5, Activation.ReLU, name: "0"), new Dense(2, name: "2"));
            var e = Assert.ThrowsException<InvalidDataException>(() => PretrainedWeights.FromFile(Path.Combine(dir, "mlp.pth")).LoadInto(wrong));
            StringAssert.Contains(e.Message, "'0.weight': the weights have shape [4, 3] but the model expects [5, 3]");
            StringAssert.Contains(e.Message, "mlp.pth");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
