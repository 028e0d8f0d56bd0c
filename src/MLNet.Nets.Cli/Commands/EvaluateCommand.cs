using System.CommandLine;

namespace MLNet.Nets.Cli.Commands;

/// <summary><c>nets evaluate</c> and <c>nets predict</c>.</summary>
internal static class EvaluateCommand
{
    public static Command CreateEvaluate()
    {
        var model = CommonOptions.Model(output: false);
        var data = CommonOptions.Data("Labelled data: CSV/TSV with a header naming the model's features and label.");
        var separator = CommonOptions.Separator();
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Score labelled data with a saved model and print the metrics.") { model, data, separator, json };
        command.SetAction(r => TabularTask.Evaluate(r.GetValue(model)!, r.GetValue(data)!, CommonOptions.ParseSeparator(r.GetValue(separator)), r.GetValue(json)));
        return command;
    }

    public static Command CreatePredict()
    {
        var model = CommonOptions.Model(output: false);
        var data = CommonOptions.Data("Data: CSV/TSV with a header naming the model's features (a label column is ignored).");
        var output = new Option<string>("--out") { Description = "Where to write the predictions (CSV).", Required = true };
        var separator = CommonOptions.Separator();
        var command = new Command("predict", "Write a saved model's predictions for every row of a data file.") { model, data, output, separator };
        command.SetAction(r => TabularTask.Predict(r.GetValue(model)!, r.GetValue(data)!, r.GetValue(output)!, CommonOptions.ParseSeparator(r.GetValue(separator))));
        return command;
    }
}
