using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using MLNet.Nets.Tests.Vision.Weights;

namespace MLNet.Nets.Tests.Vision.Zoo;

/// <summary>Runs zoo_peer.py once per script content and arguments, caching its output folder under the temp folder
/// (torchvision models take seconds to build and run).</summary>
internal static class ZooPython
{
    private static readonly object Gate = new();

    public static string Generate(string[] args, [CallerFilePath] string here = "")
    {
        string script = Path.Combine(Path.GetDirectoryName(here)!, "zoo_peer.py");
        string key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(script) + "|" + string.Join("|", args))))[..16];
        string root = Path.Combine(Path.GetTempPath(), "mlnet-nets-test-data");
        string final = Path.Combine(root, $"zoo-{string.Join("-", args)}-{key}");
        lock (Gate)
        {
            if (File.Exists(Path.Combine(final, ".complete"))) return final;
            Directory.CreateDirectory(root);
            string scratch = Path.Combine(root, $".{Guid.NewGuid():N}");
            Directory.CreateDirectory(scratch);
            try
            {
                WeightsPython.RunScript(script, [scratch, .. args]);
                File.WriteAllText(Path.Combine(scratch, ".complete"), key);
                if (Directory.Exists(final)) Directory.Delete(final, true);
                Directory.Move(scratch, final);
            }
            catch (IOException) when (File.Exists(Path.Combine(final, ".complete")))
            {
                // Another test process made it at the same time.
            }
            finally
            {
                if (Directory.Exists(scratch)) Directory.Delete(scratch, true);
            }
            return final;
        }
    }
}
