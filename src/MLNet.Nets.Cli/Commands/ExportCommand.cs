using System.CommandLine;
using MLNet.Nets.Interop;

namespace MLNet.Nets.Cli.Commands;

/// <summary><c>nets export onnx --model M.zip --out M.onnx</c>.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model(output: false);
        var output = new Option<string>("--out") { Description = "Where to write the ONNX model.", Required = true };
        var onnx = new Command("onnx", "Export a saved pipeline (normalizers, network, Score/Probability/PredictedLabel outputs) to ONNX, opset 17, dynamic batch.") { model, output };
        onnx.SetAction(r =>
        {
            var nets = new NetsContext(0);
            var loaded = nets.Model.Load(r.GetValue(model)!, out var schema);
            PipelineOnnxExporter.Export(loaded, schema, r.GetValue(output)!);
            Console.Error.WriteLine($"nets: wrote {r.GetValue(output)}");
            return 0;
        });
        return new Command("export", "Export a model to another format.") { onnx };
    }
}
