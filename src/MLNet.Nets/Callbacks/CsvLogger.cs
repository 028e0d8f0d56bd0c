using System.Globalization;
using System.Text;

namespace MLNet.Nets.Callbacks;

/// <summary>
/// Writes one CSV row per epoch: <c>epoch</c> (0-based, as Keras) then the logged values, with a header row. The file
/// is opened, appended and closed every epoch, so it is complete even when training is interrupted.
/// </summary>
public sealed class CsvLogger : Callback
{
    private string[]? _columns;

    /// <summary>Creates the logger.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="separator">Column separator; default ','.</param>
    /// <param name="append">Add to an existing file instead of replacing it; default false.</param>
    public CsvLogger(string path, char separator = ',', bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Separator = separator;
        Append = append;
    }

    /// <summary>The CSV file.</summary>
    public string Path { get; }
    /// <summary>Column separator.</summary>
    public char Separator { get; }
    /// <summary>Whether rows are added to an existing file.</summary>
    public bool Append { get; }

    /// <inheritdoc />
    public override void OnTrainBegin()
    {
        _columns = null;
        if (!Append && File.Exists(Path)) File.Delete(Path);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        var sb = new StringBuilder();
        if (_columns is null)
        {
            _columns = logs.Keys.ToArray();
            bool hasContent = File.Exists(Path) && new FileInfo(Path).Length > 0;
            if (!hasContent) sb.Append("epoch").Append(Separator).AppendJoin(Separator, _columns).Append('\n');
        }
        sb.Append(epoch.ToString(CultureInfo.InvariantCulture));
        foreach (var column in _columns)
        {
            sb.Append(Separator);
            if (logs.TryGetValue(column, out float v)) sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
        }
        sb.Append('\n');
        File.AppendAllText(Path, sb.ToString());
    }
}
