using MLNet.Nets.Data;

namespace MLNet.Nets.Cli;

/// <summary>
/// CSV/TSV files for the tool: a header row; the label is one named column, every other column is a numeric feature
/// (collected into the vector column <c>Features</c>, whose slot names remember the feature names for later files).
/// </summary>
internal static class TabularData
{
    public const string FeaturesColumn = "Features";

    /// <summary>A loader for training: label plus all other columns as features.</summary>
    public static (TextLoader Loader, string[] FeatureNames) ForTraining(string path, string label, char? separator, bool labelIsText)
    {
        var inferred = TextLoader.Infer(path, new TextLoader.Options { Separator = separator });
        var header = inferred.Schema.Select(c => c.Name).ToArray();
        int labelIndex = Array.IndexOf(header, label);
        if (labelIndex < 0)
        {
            throw new InvalidDataException($"{path}: there is no label column '{label}'; the columns are {string.Join(", ", header)}.");
        }
        var features = Enumerable.Range(0, header.Length).Where(i => i != labelIndex).ToArray();
        if (features.Length == 0) throw new InvalidDataException($"{path}: there are no feature columns besides the label '{label}'.");
        var loader = Build(path, inferred.Separator, features, labelIndex, label, labelIsText);
        return (loader, features.Select(i => header[i]).ToArray());
    }

    /// <summary>A loader for a model's data: the features the model was trained on (by header name), and the label when present.</summary>
    public static TextLoader ForModel(string path, IReadOnlyList<string> featureNames, string label, bool labelIsText, char? separator, bool labelRequired)
    {
        var inferred = TextLoader.Infer(path, new TextLoader.Options { Separator = separator });
        var header = inferred.Schema.Select(c => c.Name).ToArray();
        var features = featureNames.Select(name =>
        {
            int i = Array.IndexOf(header, name);
            return i >= 0 ? i : throw new InvalidDataException($"{path}: there is no column '{name}', which the model needs; the columns are {string.Join(", ", header)}.");
        }).ToArray();
        int labelIndex = Array.IndexOf(header, label);
        if (labelIndex < 0 && labelRequired)
        {
            throw new InvalidDataException($"{path}: there is no label column '{label}' to evaluate against; the columns are {string.Join(", ", header)}.");
        }
        return Build(path, inferred.Separator, features, labelIndex, label, labelIsText);
    }

    private static TextLoader Build(string path, char separator, int[] features, int labelIndex, string label, bool labelIsText)
    {
        var columns = new List<TextLoader.Column> { new(FeaturesColumn, DataKind.Single, features) };
        if (labelIndex >= 0) columns.Add(new TextLoader.Column(label, labelIsText ? DataKind.String : DataKind.Single, labelIndex));
        if (label == FeaturesColumn) throw new InvalidDataException($"{path}: the label may not be called '{FeaturesColumn}'.");
        return new TextLoader(path, columns, new TextLoader.Options { Separator = separator });
    }

    /// <summary>Reads every row once so that a bad field fails now, with its file, line and column, before any training.</summary>
    public static InMemoryDataView Validate(IDataView data) => data.Cache();
}
