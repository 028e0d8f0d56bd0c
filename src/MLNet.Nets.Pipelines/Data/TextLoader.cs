using System.Globalization;
using System.Text;

namespace MLNet.Nets.Data;

/// <summary>
/// A delimited text file (CSV, TSV, …) as a data view, read lazily line by line each time a cursor runs, so files larger
/// than memory stream. Fields may be quoted ("a, b" with "" for a quote). Missing numbers (an empty field,
/// <c>?</c>, <c>NA</c>, <c>NaN</c>) load as NaN. A malformed line, or a field that does not parse, stops the read with an
/// <see cref="InvalidDataException"/> naming the file, the line and the column.
/// </summary>
public sealed class TextLoader : IDataView
{
    private readonly Column[] _columns;
    private readonly HashSet<string> _missing;
    private long? _rowCount;

    /// <summary>A column of a text file: its name, item kind, and the field(s) it is read from (0-based).</summary>
    /// <param name="Name">The column's name.</param>
    /// <param name="Kind">The item kind (not <see cref="DataKind.Key"/> or <see cref="DataKind.Image"/>).</param>
    /// <param name="Sources">The fields; more than one makes a vector column.</param>
    public sealed record Column(string Name, DataKind Kind, int[] Sources)
    {
        /// <summary>A scalar column read from field <paramref name="index"/>.</summary>
        public Column(string name, DataKind kind, int index) : this(name, kind, [index]) { }

        /// <summary>A vector column read from fields <paramref name="minIndex"/>…<paramref name="maxIndex"/>.</summary>
        public Column(string name, DataKind kind, int minIndex, int maxIndex)
            : this(name, kind, Enumerable.Range(minIndex, Math.Max(0, maxIndex - minIndex + 1)).ToArray()) { }
    }

    /// <summary>How the file is read.</summary>
    public sealed class Options
    {
        /// <summary>The field separator; null detects it from the first line (tab, comma, semicolon, bar, else whitespace). Default null.</summary>
        public char? Separator { get; set; }

        /// <summary>Whether the first line names the columns (and is skipped). Default true.</summary>
        public bool HasHeader { get; set; } = true;

        /// <summary>Whether fields may be enclosed in double quotes. Default true.</summary>
        public bool AllowQuoting { get; set; } = true;

        /// <summary>Tokens read as a missing value (NaN for numbers). Default "", "?", "NA", "NaN" (case-insensitive).</summary>
        public IReadOnlyList<string> MissingValueTokens { get; set; } = ["", "?", "NA", "NaN"];
    }

    /// <summary>A view of <paramref name="path"/> with the given columns.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">A column is invalid (bad kind, no fields, duplicate name).</exception>
    public TextLoader(string path, IReadOnlyList<Column> columns, Options? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(columns);
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        Path = path;
        LoaderOptions = options ?? new Options();
        _columns = columns.ToArray();
        _missing = new HashSet<string>(LoaderOptions.MissingValueTokens, StringComparer.OrdinalIgnoreCase);
        if (_columns.Length == 0) throw new ArgumentException("A text loader needs at least one column.", nameof(columns));
        foreach (var c in _columns)
        {
            if (c.Kind is DataKind.Key or DataKind.Image) throw new ArgumentException($"Column '{c.Name}': a text file cannot hold {c.Kind} values; load text and map it.");
            if (c.Sources.Length == 0 || c.Sources.Any(s => s < 0)) throw new ArgumentException($"Column '{c.Name}' has no valid field index.");
        }
        Separator = LoaderOptions.Separator ?? DetectSeparator(FirstLine(path));
        FieldCount = CountFields(FirstLine(path));
        int maxSource = _columns.Max(c => c.Sources.Max());
        if (maxSource >= FieldCount)
        {
            var c = _columns.First(c => c.Sources.Max() == maxSource);
            throw new InvalidDataException($"{path}: column '{c.Name}' reads field {maxSource + 1}, but line 1 has only {FieldCount} fields (separator {Describe(Separator)}).");
        }
        Schema = new DataViewSchema(_columns.Select(c =>
        {
            var item = DataViewType.Scalar(c.Kind);
            return (c.Name, c.Sources.Length == 1 ? item : new VectorDataViewType(item, c.Sources.Length), (DataViewSchema.Annotations?)SlotNames(c));
        }));
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The options.</summary>
    public Options LoaderOptions { get; }

    /// <summary>The separator in use (given or detected).</summary>
    public char Separator { get; }

    /// <summary>The number of fields on each line.</summary>
    public int FieldCount { get; }

    /// <summary>The header's field names (empty without a header).</summary>
    public IReadOnlyList<string> HeaderNames => LoaderOptions.HasHeader ? SplitLine(FirstLine(Path), Path, 1) : [];

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _rowCount;

    /// <summary>
    /// A loader whose columns are inferred from the file: names from the header (or Column1, Column2, …), each column
    /// Single when every value in the first <paramref name="sampleLines"/> lines is a number or missing, Boolean when each
    /// is true/false, else String.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is empty or has no data lines.</exception>
    public static TextLoader Infer(string path, Options? options = null, int sampleLines = 1000)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        options ??= new Options();
        string first = FirstLine(path);
        char separator = options.Separator ?? DetectSeparator(first);
        var probe = new Options { Separator = separator, HasHeader = options.HasHeader, AllowQuoting = options.AllowQuoting, MissingValueTokens = options.MissingValueTokens };
        var probeLoader = new TextLoader(path, [new Column("_", DataKind.String, 0)], probe);
        int fields = probeLoader.FieldCount;
        string[] names = options.HasHeader
            ? probeLoader.HeaderNames.Select((n, i) => string.IsNullOrWhiteSpace(n) ? $"Column{i + 1}" : n.Trim()).ToArray()
            : Enumerable.Range(1, fields).Select(i => $"Column{i}").ToArray();
        var dup = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InvalidDataException($"{path}: the header names the column '{dup.Key}' twice.");
        var numeric = Enumerable.Repeat(true, fields).ToArray();
        var boolean = Enumerable.Repeat(true, fields).ToArray();
        var seen = new bool[fields];
        int lines = 0;
        foreach (var (_, _, values) in probeLoader.ReadLines(CancellationToken.None))
        {
            for (int f = 0; f < fields; f++)
            {
                string v = values[f];
                if (probe.MissingValueTokens.Any(t => string.Equals(t, v.Trim(), StringComparison.OrdinalIgnoreCase))) continue;
                seen[f] = true;
                if (numeric[f] && !TryParseDouble(v, out _)) numeric[f] = false;
                if (boolean[f] && !TryParseBool(v, out _)) boolean[f] = false;
            }
            if (++lines >= sampleLines) break;
        }
        if (lines == 0) throw new InvalidDataException($"{path}: the file has no data lines.");
        var columns = new Column[fields];
        for (int f = 0; f < fields; f++)
        {
            var kind = !seen[f] || numeric[f] ? DataKind.Single : boolean[f] ? DataKind.Boolean : DataKind.String;
            columns[f] = new Column(names[f], kind, f);
        }
        return new TextLoader(path, columns, probe);
    }

    /// <inheritdoc/>
    public IEnumerable<DataBatch> GetBatches(IReadOnlyCollection<int>? columnsNeeded = null, int batchSize = DataBatch.DefaultSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var needed = DataViewExtensions.NeededMask(Schema, columnsNeeded);
        return Read(needed, batchSize, cancellationToken);
    }

    private IEnumerable<DataBatch> Read(bool[] needed, int batchSize, CancellationToken cancellationToken)
    {
        var arrays = Allocate(needed, batchSize);
        int rows = 0;
        long offset = 0;
        foreach (var (lineNumber, dataRow, fields) in ReadLines(cancellationToken))
        {
            for (int c = 0; c < _columns.Length; c++)
            {
                if (!needed[c]) continue;
                var column = _columns[c];
                for (int s = 0; s < column.Sources.Length; s++)
                {
                    Store(arrays[c]!, rows * column.Sources.Length + s, fields[column.Sources[s]], column, s, lineNumber, dataRow);
                }
            }
            if (++rows == batchSize)
            {
                yield return new DataBatch(Schema, rows, offset, arrays);
                offset += rows;
                rows = 0;
                arrays = Allocate(needed, batchSize);
            }
        }
        if (rows > 0) yield return new DataBatch(Schema, rows, offset, Trim(arrays, rows));
        _rowCount = offset + rows;
    }

    private Array?[] Allocate(bool[] needed, int rows)
    {
        var arrays = new Array?[_columns.Length];
        for (int c = 0; c < arrays.Length; c++)
        {
            if (needed[c]) arrays[c] = Schema[c].Type.CreateArray(rows * Schema[c].Type.Size);
        }
        return arrays;
    }

    private Array?[] Trim(Array?[] arrays, int rows)
    {
        var trimmed = new Array?[arrays.Length];
        for (int c = 0; c < arrays.Length; c++)
        {
            if (arrays[c] is null) continue;
            int length = rows * Schema[c].Type.Size;
            trimmed[c] = Schema[c].Type.CreateArray(length);
            Array.Copy(arrays[c]!, trimmed[c]!, length);
        }
        return trimmed;
    }

    private void Store(Array array, int at, string text, Column column, int slot, long line, long row)
    {
        string t = text.Trim();
        bool missing = column.Kind is DataKind.Single or DataKind.Double && _missing.Contains(t);
        switch (column.Kind)
        {
            case DataKind.Single:
                ((float[])array)[at] = missing ? float.NaN : TryParseDouble(t, out double f) ? (float)f : throw Bad(column, slot, line, row, text, "a number");
                break;
            case DataKind.Double:
                ((double[])array)[at] = missing ? double.NaN : TryParseDouble(t, out double d) ? d : throw Bad(column, slot, line, row, text, "a number");
                break;
            case DataKind.Int32:
                ((int[])array)[at] = int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : throw Bad(column, slot, line, row, text, "an integer");
                break;
            case DataKind.Int64:
                ((long[])array)[at] = long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l : throw Bad(column, slot, line, row, text, "an integer");
                break;
            case DataKind.Boolean:
                ((bool[])array)[at] = TryParseBool(t, out bool b) ? b : throw Bad(column, slot, line, row, text, "true/false or 1/0");
                break;
            case DataKind.String:
                ((string[])array)[at] = text;
                break;
            default:
                throw new InvalidOperationException($"Column '{column.Name}' has kind {column.Kind}, which a text file cannot hold.");
        }
    }

    private InvalidDataException Bad(Column column, int slot, long line, long row, string text, string what)
    {
        int field = column.Sources[slot];
        string shown = text.Length > 40 ? text[..40] + "…" : text;
        return new InvalidDataException($"{Path}: line {line} (data row {row + 1}), column {field + 1} ('{FieldName(column, slot)}'): '{shown}' is not {what}.");
    }

    private string FieldName(Column column, int slot)
    {
        var header = HeaderNames;
        int field = column.Sources[slot];
        return field < header.Count ? header[field] : column.Sources.Length == 1 ? column.Name : $"{column.Name}[{slot}]";
    }

    private DataViewSchema.Annotations? SlotNames(Column column)
    {
        if (column.Sources.Length == 1 || !LoaderOptions.HasHeader) return null;
        var header = SplitLine(FirstLine(Path), Path, 1);
        return DataViewSchema.Annotations.ForSlotNames(column.Sources.Select(s => s < header.Length ? header[s] : $"{column.Name}[{s}]").ToArray());
    }

    /// <summary>The data lines as fields (line numbers are 1-based, counting the header), skipping blank lines.</summary>
    internal IEnumerable<(long Line, long Row, string[] Fields)> ReadLines(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long lineNumber = 0, row = -1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (lineNumber == 1 && LoaderOptions.HasHeader) continue;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) continue;
            if ((lineNumber & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
            var fields = SplitLine(line, Path, lineNumber);
            row++;
            if (fields.Length != FieldCount)
            {
                throw new InvalidDataException($"{Path}: line {lineNumber} (data row {row + 1}) has {fields.Length} fields but line 1 has {FieldCount} (separator {Describe(Separator)}).");
            }
            yield return (lineNumber, row, fields);
        }
    }

    private int CountFields(string line) => SplitLine(line, Path, 1).Length;

    private string[] SplitLine(string line, string path, long lineNumber)
    {
        var fields = new List<string>();
        if (Separator == ' ')
        {
            // Whitespace-separated files: runs of blanks and tabs separate fields.
            return line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        }
        var current = new StringBuilder();
        int i = 0;
        while (true)
        {
            current.Clear();
            if (LoaderOptions.AllowQuoting && i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new InvalidDataException($"{path}: line {lineNumber}, column {fields.Count + 1}: a quoted field is not closed.");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    current.Append(line[i++]);
                }
                if (i < line.Length && line[i] != Separator)
                {
                    throw new InvalidDataException($"{path}: line {lineNumber}, column {fields.Count + 1}: text after a closing quote.");
                }
            }
            else
            {
                int end = line.IndexOf(Separator, i);
                if (end < 0) end = line.Length;
                current.Append(line, i, end - i);
                i = end;
            }
            fields.Add(current.ToString());
            if (i >= line.Length) break;
            i++; // the separator
            if (i == line.Length) { fields.Add(string.Empty); break; }
        }
        return fields.ToArray();
    }

    private static string FirstLine(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (!string.IsNullOrWhiteSpace(line)) return line;
        }
        throw new InvalidDataException($"{path}: the file is empty.");
    }

    /// <summary>The separator of a line: tab, comma, semicolon or bar (the most frequent outside quotes), else whitespace.</summary>
    public static char DetectSeparator(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        char best = ' ';
        int bestCount = 0;
        foreach (char candidate in "\t,;|")
        {
            int count = 0;
            bool quoted = false;
            foreach (char ch in line)
            {
                if (ch == '"') quoted = !quoted;
                else if (ch == candidate && !quoted) count++;
            }
            if (count > bestCount) { best = candidate; bestCount = count; }
        }
        return best;
    }

    private static string Describe(char separator) => separator switch { '\t' => "tab", ' ' => "whitespace", _ => $"'{separator}'" };

    internal static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    internal static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "t" or "y": value = true; return true;
            case "false" or "0" or "no" or "f" or "n": value = false; return true;
            default: value = false; return false;
        }
    }
}
