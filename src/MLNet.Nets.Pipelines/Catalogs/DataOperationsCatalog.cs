using MLNet.Nets.Data;
using MLNet.Nets.Datasets;

namespace MLNet.Nets.Catalogs;

/// <summary>Loading data into views, splitting them, and reading them back as objects.</summary>
public sealed class DataOperationsCatalog : CatalogBase
{
    internal DataOperationsCatalog(NetsContext context) : base(context) { }

    /// <summary>
    /// A view of a delimited text file whose columns come from the <see cref="LoadColumnAttribute"/>s of
    /// <typeparamref name="TRow"/>'s public fields and properties (names from <see cref="ColumnNameAttribute"/> or the member).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="separatorChar">The field separator; null detects it. Default tab, as ML.NET.</param>
    /// <param name="hasHeader">Whether the first line is a header. Default false, as ML.NET.</param>
    /// <param name="allowQuoting">Whether fields may be quoted. Default true.</param>
    public IDataView LoadFromTextFile<TRow>(string path, char? separatorChar = '\t', bool hasHeader = false, bool allowQuoting = true)
    {
        var members = RowMember.Of(typeof(TRow)).Where(m => m.Sources is not null).ToArray();
        if (members.Length == 0) throw new ArgumentException($"{typeof(TRow).Name} has no member with [LoadColumn].");
        var columns = members.Select(m =>
        {
            if (!m.IsArray && m.Sources!.Length != 1) throw new ArgumentException($"{typeof(TRow).Name}.{m.Name} reads {m.Sources.Length} fields but is not an array.");
            return new TextLoader.Column(m.Name, m.Kind, m.Sources!);
        }).ToArray();
        return new TextLoader(path, columns, new TextLoader.Options { Separator = separatorChar, HasHeader = hasHeader, AllowQuoting = allowQuoting });
    }

    /// <summary>A view of a delimited text file with the given columns.</summary>
    public IDataView LoadFromTextFile(string path, TextLoader.Column[] columns, char? separatorChar = null, bool hasHeader = true, bool allowQuoting = true) =>
        new TextLoader(path, columns, new TextLoader.Options { Separator = separatorChar, HasHeader = hasHeader, AllowQuoting = allowQuoting });

    /// <summary>
    /// A view of a delimited text file whose schema is inferred (see <see cref="TextLoader.Infer"/>): names from the header,
    /// numeric columns as Single, others as Boolean or String; the separator is detected when not given.
    /// </summary>
    public TextLoader LoadFromTextFile(string path, char? separatorChar = null, bool hasHeader = true, bool allowQuoting = true) =>
        TextLoader.Infer(path, new TextLoader.Options { Separator = separatorChar, HasHeader = hasHeader, AllowQuoting = allowQuoting });

    /// <summary>A view over objects (streamed each time the view is read); the schema comes from <typeparamref name="TRow"/>.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="schema">The schema to use instead of the one <typeparamref name="TRow"/> declares (for example with key types).</param>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data, DataViewSchema? schema = null) where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<TRow>(data, schema);
    }

    /// <summary>The rows of <paramref name="data"/> as <typeparamref name="TRow"/> objects, matched to columns by name.</summary>
    /// <param name="data">The view.</param>
    /// <param name="reuseRowObject">Reuse one object for all rows (faster; do not keep references).</param>
    /// <param name="ignoreMissingColumns">Leave members without a column at their defaults instead of failing.</param>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject = false, bool ignoreMissingColumns = false) where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        var reader = new RowReader<TRow>(data.Schema, ignoreMissingColumns);
        return reader.Read(data, reuseRowObject);
    }

    /// <summary>The file extensions <see cref="LoadImagesFromDirectory"/> lists by default.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".ppm", ".pgm", ".pnm"];

    /// <summary>
    /// The image files under <paramref name="path"/> (sub-folders included, sorted by path) as a view with <c>ImagePath</c>
    /// (text) and, with <paramref name="useFolderNameAsLabel"/>, <c>Label</c> (text: the name of the file's folder).
    /// Decode them with <c>nets.Transforms.LoadImages</c>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It holds no image files.</exception>
    public IDataView LoadImagesFromDirectory(string path, bool useFolderNameAsLabel = true, IReadOnlyCollection<string>? extensions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"Image folder '{path}' does not exist.");
        var allowed = new HashSet<string>(extensions ?? ImageExtensions, StringComparer.OrdinalIgnoreCase);
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => allowed.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0) throw new InvalidDataException($"Image folder '{path}' holds no image files ({string.Join(", ", allowed)}).");
        var columns = new List<(string, DataViewType, DataViewSchema.Annotations?)> { ("ImagePath", TextDataViewType.Instance, null) };
        var arrays = new List<Array> { files };
        if (useFolderNameAsLabel)
        {
            columns.Add(("Label", TextDataViewType.Instance, null));
            arrays.Add(files.Select(f => Path.GetFileName(Path.GetDirectoryName(f)) ?? "").ToArray());
        }
        return new InMemoryDataView(new DataViewSchema(columns), arrays.ToArray(), files.Length);
    }

    /// <summary>
    /// MNIST-layout IDX files (images [N, rows, cols] unsigned bytes, labels [N]) as a view with <c>Label</c> (Single, the
    /// digit) and <c>Features</c> (Single vector [1, rows, cols], pixel values times <paramref name="scale"/>).
    /// </summary>
    /// <param name="imagesPath">The images file (<c>.gz</c> or plain).</param>
    /// <param name="labelsPath">The labels file.</param>
    /// <param name="scale">Multiplies each byte; default 1/255 (pixels in [0, 1]).</param>
    public IDataView LoadFromIdx(string imagesPath, string labelsPath, float scale = 1f / 255)
    {
        var images = IdxReader.Read(imagesPath, expectedRank: 3);
        var labels = Mnist.LoadLabels(labelsPath);
        int n = images.Shape[0];
        if (labels.Dim(0) != n) throw new InvalidDataException($"{imagesPath} holds {n} images but {labelsPath} holds {labels.Dim(0)} labels.");
        var dims = new[] { 1, images.Shape[1], images.Shape[2] };
        var features = new float[images.Data.Length];
        for (int i = 0; i < features.Length; i++) features[i] = images.Data[i] * scale;
        var schema = new DataViewSchema([
            ("Label", NumberDataViewType.Single, null),
            ("Features", new VectorDataViewType(NumberDataViewType.Single, dims), null),
        ]);
        return new InMemoryDataView(schema, [labels.Span.ToArray(), features], n);
    }

    /// <summary>
    /// Splits the rows at random (seeded by <paramref name="seed"/>, else by the context) into a training set and a
    /// test set of about <paramref name="testFraction"/> of the rows. With <paramref name="stratificationColumnName"/>,
    /// each value of that column is split in the same proportion.
    /// </summary>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, string? stratificationColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var test = RowAssignment.TestRows(data, testFraction, seed ?? Context.NextSeed(), stratificationColumnName);
        int testCount = test.Count(t => t);
        return new TrainTestData(
            new FilteredDataView(data, row => !test[row], test.Length - testCount),
            new FilteredDataView(data, row => test[row], testCount));
    }

    /// <summary>
    /// <paramref name="numberOfFolds"/> train/test pairs for cross-validation: fold k's test set is the k-th part of a
    /// seeded partition of the rows (stratified by a column when given), its training set the rest.
    /// </summary>
    public IReadOnlyList<TrainTestData> CrossValidationSplit(IDataView data, int numberOfFolds = 5, string? stratificationColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var fold = RowAssignment.Folds(data, numberOfFolds, seed ?? Context.NextSeed(), stratificationColumnName);
        var result = new TrainTestData[numberOfFolds];
        for (int k = 0; k < numberOfFolds; k++)
        {
            byte f = (byte)k;
            int testCount = fold.Count(v => v == f);
            result[k] = new TrainTestData(
                new FilteredDataView(data, row => fold[row] != f, fold.Length - testCount),
                new FilteredDataView(data, row => fold[row] == f, testCount));
        }
        return result;
    }

    /// <summary>The rows in a seeded random order (read into memory once).</summary>
    public IDataView ShuffleRows(IDataView data, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var cached = data.Cache();
        var order = Enumerable.Range(0, cached.RowCount).ToArray();
        new Random(seed ?? Context.NextSeed()).Shuffle(order);
        var columns = new Array[cached.Schema.Count];
        for (int c = 0; c < columns.Length; c++)
        {
            int size = cached.Schema[c].Type.Size;
            var source = cached.GetColumnArray(c);
            var target = cached.Schema[c].Type.CreateArray(source.Length);
            for (int i = 0; i < order.Length; i++) Array.Copy(source, (long)order[i] * size, target, (long)i * size, size);
            columns[c] = target;
        }
        return new InMemoryDataView(cached.Schema, columns, cached.RowCount);
    }
}
