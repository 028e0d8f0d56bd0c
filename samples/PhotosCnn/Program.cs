// Photos: an image classifier from class folders (../shared/data/photos: daisy, dandelion, roses, sunflowers, tulips).
//
//   dotnet run --project samples/PhotosCnn -c Release [-- path/to/photos]
//
// LoadImagesFromDirectory (folder name = label) → LoadImages → ResizeImages 64×64 (centre crop) → ExtractPixels
// → a small VGG trained from scratch. With 160 training photos, expect well above chance (20 %), not ImageNet quality;
// transfer learning from a pretrained MobileNet is the tool for few images.
using MLNet.Nets;
using MLNet.Nets.Datasets;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;
using MLNet.Nets.Vision.Imaging;
using MLNet.Nets.Vision.Zoo;

string directory = args.Length > 0 ? args[0] : DataDirectory.Find("photos");
var nets = new NetsContext(seed: 1);
var images = nets.Data.LoadImagesFromDirectory(directory, useFolderNameAsLabel: true);
var split = nets.Data.TrainTestSplit(images, testFraction: 0.2, stratificationColumnName: "Label");

var pipeline = nets.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: KeyOrdinality.ByValue)
    .Append(nets.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath", skipBadImages: true))
    .Append(nets.Transforms.ResizeImages("Image", 64, 64, resizing: ResizeMode.CropToAspect))
    .Append(nets.Transforms.ExtractPixels("Features", "Image", new PixelExtractionOptions { Scale = 1f / 255, Mean = [0.5f, 0.5f, 0.5f], Std = [0.5f, 0.5f, 0.5f] }))
    .AppendCacheCheckpoint()
    .Append(nets.MulticlassClassification.Trainers.Cnn(new CnnOptions
    {
        Network = ModelZoo.Create(Architecture.SmallVgg, numClasses: 5, new ZooOptions { InputSize = 64, Seed = 1 }),
        Epochs = 10, BatchSize = 16, ValidationFraction = 0,
        MetricsCallback = m => Console.WriteLine($"  {m}"),
    }))
    .Append(nets.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

var model = pipeline.Fit(split.TrainSet);
var metrics = nets.MulticlassClassification.Evaluate(model.Transform(split.TestSet), "Label");
Console.WriteLine($"Test: accuracy {metrics.MicroAccuracy:P1} on {metrics.ConfusionMatrix.Counts.Sum(r => r.Sum())} photos");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
nets.Model.Save(model, images.Schema, "photos.zip");
Console.WriteLine("Saved photos.zip");
