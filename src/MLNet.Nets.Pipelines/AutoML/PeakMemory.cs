using System.Diagnostics;

namespace MLNet.Nets.AutoML;

/// <summary>
/// The peak resident memory of one trial. On Linux the kernel's high-water mark (VmHWM) is reset before the trial
/// (<c>/proc/self/clear_refs</c>) and read after it; elsewhere, or if that is not allowed, the process's peak working set
/// so far stands in.
/// </summary>
internal static class PeakMemory
{
    public static void Reset()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not allowed here: Read falls back to the process peak.
        }
    }

    public static long Read()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                    var parts = line.Split(' ', '\t').Where(p => p.Length > 0).ToArray();
                    if (parts.Length >= 2 && long.TryParse(parts[1], out long kilobytes)) return kilobytes * 1024;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Fall through to the process peak.
            }
        }
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
