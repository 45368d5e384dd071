using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Autograd;
using Autograd.Data;
using Autograd.NN;
using Autograd.Optim;
using Autograd.Serialization;

namespace Digits;

/// <summary>What to train and where to write the checkpoint and the plot.</summary>
/// <param name="Epochs">Passes over the training set, for each model.</param>
/// <param name="Seed">Seed of the split, the initial weights and the shuffling.</param>
/// <param name="OutputDirectory">Where <c>mlp.safetensors</c>, <c>cnn.safetensors</c> and <c>digits.png</c> go.</param>
/// <param name="BatchSize">Samples per optimizer step.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
public sealed record DigitsOptions(int Epochs = 40, int Seed = 0, string OutputDirectory = "digits-output", int BatchSize = 32, double LearningRate = 3e-3);

/// <summary>Per-epoch figures of one model.</summary>
public sealed record EpochStats(int Epoch, double TrainLoss, double TestAccuracy, double Seconds);

/// <summary>The outcome of <see cref="DigitsTraining.Run"/>.</summary>
public sealed record DigitsResult(
    IReadOnlyList<EpochStats> Mlp,
    IReadOnlyList<EpochStats> Cnn,
    double MlpReloadedAccuracy,
    double CnnReloadedAccuracy,
    string PlotPath,
    double Seconds);

/// <summary>
/// Trains a 64-128-10 MLP and a two-convolution CNN on the UCI handwritten digits (8×8 images), 80/20 split, with
/// Adam and cross-entropy; saves each model as safetensors, reloads it into a fresh model and evaluates it again, and
/// plots the loss and accuracy curves.
/// </summary>
public static class DigitsTraining
{
    /// <summary>Reads <c>data/digits.csv.gz</c> next to the program: images [1797, 1, 8, 8] scaled to 0–1, labels int64.</summary>
    public static (Tensor Images, Tensor Labels) LoadDigits()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Tensor table = Csv.ReadTensor(reader);                       // [1797, 65]: 64 pixels, then the label
        Tensor images = (table.Narrow(1, 0, 64) / 16f).Reshape(-1, 1, 8, 8);
        Tensor labels = table.Select(1, 64).Long();
        return (images, labels);
    }

    /// <summary>The MLP: flatten, 64→128, ReLU, 128→10.</summary>
    public static Sequential NewMlp(Generator generator) => new(
        new Flatten(), new Linear(64, 128, generator: generator), new ReLU(), new Linear(128, 10, generator: generator));

    /// <summary>The CNN: conv 1→16 (3×3, same) ReLU max-pool 2, conv 16→32 ReLU max-pool 2, flatten, 128→10.</summary>
    public static Sequential NewCnn(Generator generator) => new(
        new Conv2d(1, 16, 3, padding: 1, generator: generator), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 3, padding: 1, generator: generator), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(32 * 2 * 2, 10, generator: generator));

    /// <summary>Runs the whole sample, writing progress to <paramref name="log"/>.</summary>
    public static DigitsResult Run(DigitsOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputDirectory);
        (Tensor images, Tensor labels) = LoadDigits();
        var split = Dataset.RandomSplit(new TensorDataset(images, labels), [0.8, 0.2], new Generator(options.Seed));
        Tensor[] test = Collate.StackFields([.. Enumerable.Range(0, split[1].Count).Select(i => split[1][i])]);
        log.WriteLine($"digits: {images.Shape[0]} images, {split[0].Count} for training, {split[1].Count} for testing");

        var results = new List<(string Name, List<EpochStats> Stats, double Reloaded)>();
        foreach ((string name, Func<Generator, Sequential> make) in new (string, Func<Generator, Sequential>)[] { ("mlp", NewMlp), ("cnn", NewCnn) })
        {
            var generator = new Generator(options.Seed + 1);
            Sequential model = make(generator);
            log.WriteLine($"{name}: {model.Parameters().Sum(p => p.Count):N0} parameters");
            List<EpochStats> stats = Train(name, model, split[0], test, options, generator, log);

            string checkpoint = Path.Combine(options.OutputDirectory, $"{name}.safetensors");
            SafeTensors.Save(checkpoint, model.StateDict());
            Sequential reloaded = make(new Generator(options.Seed + 99));   // different initial weights, then loaded
            reloaded.LoadStateDict(SafeTensors.Load(checkpoint));
            double accuracy = Accuracy(reloaded, test[0], test[1]);
            log.WriteLine($"{name}: saved {checkpoint} ({new FileInfo(checkpoint).Length:N0} bytes); reloaded, test accuracy {accuracy:P2}");
            results.Add((name, stats, accuracy));
        }

        string plot = Path.Combine(options.OutputDirectory, "digits.png");
        Plot(results[0].Stats, results[1].Stats, plot);
        log.WriteLine($"plot: {plot}; {total.Elapsed.TotalSeconds:F1} s in all");
        return new DigitsResult(results[0].Stats, results[1].Stats, results[0].Reloaded, results[1].Reloaded, plot, total.Elapsed.TotalSeconds);
    }

    private static List<EpochStats> Train(string name, Sequential model, Subset<Tensor[]> train, Tensor[] test, DigitsOptions options, Generator generator, TextWriter log)
    {
        var optimizer = new Adam(model.Parameters(), lr: options.LearningRate);
        using var loader = DataLoader.Create(train, options.BatchSize, shuffle: true, generator: generator);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var stats = new List<EpochStats>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.Train();
            double lossSum = 0;
            int seen = 0, batch = 0;
            foreach (Tensor[] b in loader)
            {
                optimizer.ZeroGrad(setToNone: true);
                Tensor loss = Functional.CrossEntropy(model.Forward(b[0]), b[1]);
                loss.Backward();
                optimizer.Step();
                lossSum += loss.Item() * b[0].Shape[0];
                seen += b[0].Shape[0];
                if (!Console.IsOutputRedirected && ReferenceEquals(log, Console.Out))
                {
                    log.Write($"\r{Bar(name, epoch, options.Epochs, ++batch, batches)} loss {lossSum / seen:F4}");
                }
            }

            double accuracy = Accuracy(model, test[0], test[1]);
            stats.Add(new EpochStats(epoch, lossSum / seen, accuracy, clock.Elapsed.TotalSeconds));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\r{Bar(name, epoch, options.Epochs, batches, batches)} loss {lossSum / seen:F4}  test accuracy {accuracy,7:P2}  {clock.Elapsed.TotalMilliseconds,6:F0} ms"));
        }

        return stats;
    }

    /// <summary><c>mlp epoch  3/40 [##########----------]</c>: the batches done in this epoch.</summary>
    private static string Bar(string name, int epoch, int epochs, int done, int total)
    {
        const int width = 20;
        int filled = done * width / total;
        return $"{name} epoch {epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs} [{new string('#', filled)}{new string('-', width - filled)}]";
    }

    /// <summary>The fraction of <paramref name="images"/> whose arg-max logit is the label, in eval mode without recording.</summary>
    public static double Accuracy(Sequential model, Tensor images, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        model.Eval();
        using (GradMode.NoGrad())
        {
            Tensor predicted = model.Forward(images).ArgMax(1);
            return predicted.Eq(labels).Double().Mean().Item<double>();
        }
    }

    private static void Plot(IReadOnlyList<EpochStats> mlp, IReadOnlyList<EpochStats> cnn, string path)
    {
        var plot = new ScottPlot.Plot();
        double[] epochs = [.. mlp.Select(s => (double)s.Epoch)];
        var mlpLoss = plot.Add.Scatter(epochs, mlp.Select(s => s.TrainLoss).ToArray());
        mlpLoss.LegendText = "MLP training loss";
        var cnnLoss = plot.Add.Scatter(epochs, cnn.Select(s => s.TrainLoss).ToArray());
        cnnLoss.LegendText = "CNN training loss";
        var right = plot.Axes.Right;
        var mlpAccuracy = plot.Add.Scatter(epochs, mlp.Select(s => s.TestAccuracy * 100).ToArray());
        mlpAccuracy.LegendText = "MLP test accuracy (%)";
        mlpAccuracy.Axes.YAxis = right;
        mlpAccuracy.LinePattern = ScottPlot.LinePattern.Dashed;
        var cnnAccuracy = plot.Add.Scatter(epochs, cnn.Select(s => s.TestAccuracy * 100).ToArray());
        cnnAccuracy.LegendText = "CNN test accuracy (%)";
        cnnAccuracy.Axes.YAxis = right;
        cnnAccuracy.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title("UCI digits: MLP and CNN trained with Autograd");
        plot.XLabel("epoch");
        plot.YLabel("mean cross-entropy (training)");
        right.Label.Text = "test accuracy (%)";
        plot.ShowLegend(ScottPlot.Alignment.MiddleRight);
        plot.SavePng(path, 900, 540);
    }
}
