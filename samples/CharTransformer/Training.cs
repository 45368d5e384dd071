using System.Diagnostics;
using System.Globalization;
using System.Text;
using Autograd;
using Autograd.NN;
using Autograd.Optim;

namespace CharTransformer;

/// <summary>Training settings.</summary>
/// <param name="Steps">AdamW steps.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="LearningRate">Peak learning rate, reached after <paramref name="WarmupSteps"/> linear warm-up steps, then cosine decay to a tenth of it.</param>
/// <param name="WarmupSteps">Steps of linear warm-up.</param>
/// <param name="SampleEvery">Steps between printed samples and validation losses.</param>
/// <param name="SampleLength">Characters per printed sample.</param>
/// <param name="Seed">Seed of the initial weights, the batches and the sampling.</param>
public sealed record TrainingOptions(int Steps = 2000, int BatchSize = 16, double LearningRate = 2e-3, int WarmupSteps = 100,
    int SampleEvery = 250, int SampleLength = 200, int Seed = 0);

/// <summary>Validation loss at each report, and the samples printed.</summary>
public sealed record TrainingResult(IReadOnlyList<(int Step, double TrainLoss, double ValidationLoss)> Reports, IReadOnlyList<string> Samples, double Seconds);

/// <summary>Trains <see cref="Gpt"/> on a text, character by character (90% of it for training, the rest held out).</summary>
public static class Training
{
    /// <summary>The shipped text: Genesis (KJV), one verse per line.</summary>
    public static string LoadText() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "genesis.txt"));

    /// <summary>Runs the training, writing progress and samples to <paramref name="log"/>.</summary>
    public static TrainingResult Run(string text, GptConfig? config, TrainingOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        char[] vocabulary = [.. text.Distinct().Order()];
        var index = vocabulary.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
        long[] encoded = [.. text.Select(c => index[c])];
        int split = encoded.Length * 9 / 10;
        config = (config ?? new GptConfig(vocabulary.Length)) with { VocabSize = vocabulary.Length };
        var generator = new Generator(options.Seed);
        var model = new Gpt(config, generator);
        log.WriteLine($"{text.Length:N0} characters, {vocabulary.Length} distinct; {model.Parameters().Sum(p => (long)p.Count):N0} parameters; " +
            $"{config.Layers} blocks of {config.Heads} heads, width {config.Embedding}, context {config.BlockSize}");

        // AdamW with weight decay on the matrices only (nanoGPT's grouping), linear warm-up then cosine decay.
        Tensor[] decayed = [.. model.NamedParameters().Where(p => p.Parameter.Rank >= 2).Select(p => p.Parameter)];
        Tensor[] other = [.. model.NamedParameters().Where(p => p.Parameter.Rank < 2).Select(p => p.Parameter)];
        var optimizer = new AdamW(
            [new ParamGroup(decayed) { WeightDecay = 0.1 }, new ParamGroup(other) { WeightDecay = 0 }],
            lr: options.LearningRate, betas: (0.9, 0.95));
        var schedule = new SequentialLR(optimizer,
            [new LinearLR(optimizer, startFactor: 1.0 / options.WarmupSteps, endFactor: 1, totalIters: options.WarmupSteps),
             new CosineAnnealingLR(optimizer, tMax: Math.Max(1, options.Steps - options.WarmupSteps), etaMin: options.LearningRate / 10)],
            [options.WarmupSteps]);

        var reports = new List<(int, double, double)>();
        var samples = new List<string>();
        var random = new Random(options.Seed);
        double runningLoss = double.NaN;
        for (int step = 1; step <= options.Steps; step++)
        {
            (Tensor x, Tensor y) = Batch(encoded, 0, split, config.BlockSize, options.BatchSize, random);
            model.Train();
            optimizer.ZeroGrad(setToNone: true);
            Tensor logits = model.Forward(x);
            Tensor loss = Functional.CrossEntropy(logits.View(-1, config.VocabSize), y.View(-1));
            loss.Backward();
            Utils.ClipGradNorm_(model.Parameters(), 1.0);
            optimizer.Step();
            schedule.Step();
            runningLoss = double.IsNaN(runningLoss) ? loss.Item() : (0.95 * runningLoss) + (0.05 * loss.Item());

            if (step % options.SampleEvery == 0 || step == options.Steps)
            {
                double validation = Evaluate(model, encoded, split, encoded.Length, config, random);
                reports.Add((step, runningLoss, validation));
                string sample = Sample(model, vocabulary, index, "And God said", options.SampleLength, generator);
                samples.Add(sample);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"step {step,5}/{options.Steps}  train loss {runningLoss:F3}  validation loss {validation:F3}  lr {optimizer.ParamGroups[0].LearningRate:E2}  {clock.Elapsed.TotalSeconds,6:F1} s"));
                log.WriteLine("  | " + sample.Replace("\n", "\n  | ", StringComparison.Ordinal));
            }
        }

        return new TrainingResult(reports, samples, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Random windows of <paramref name="blockSize"/> + 1 characters from [start, end): inputs and next characters.</summary>
    private static (Tensor X, Tensor Y) Batch(long[] data, int start, int end, int blockSize, int batchSize, Random random)
    {
        var x = new long[batchSize * blockSize];
        var y = new long[batchSize * blockSize];
        for (int b = 0; b < batchSize; b++)
        {
            int offset = random.Next(start, end - blockSize - 1);
            Array.Copy(data, offset, x, b * blockSize, blockSize);
            Array.Copy(data, offset + 1, y, b * blockSize, blockSize);
        }

        return (Tensor.From(x).View(batchSize, blockSize), Tensor.From(y).View(batchSize, blockSize));
    }

    /// <summary>Mean cross-entropy over 8 random held-out batches, in eval mode without recording.</summary>
    private static double Evaluate(Gpt model, long[] data, int start, int end, GptConfig config, Random random)
    {
        model.Eval();
        using var noGrad = GradMode.NoGrad();
        double sum = 0;
        for (int i = 0; i < 8; i++)
        {
            (Tensor x, Tensor y) = Batch(data, start, end, config.BlockSize, 16, random);
            sum += Functional.CrossEntropy(model.Forward(x).View(-1, config.VocabSize), y.View(-1)).Item();
        }

        return sum / 8;
    }

    /// <summary>Continues <paramref name="prompt"/> by sampling one character at a time at temperature 0.8.</summary>
    public static string Sample(Gpt model, char[] vocabulary, IReadOnlyDictionary<char, long> index, string prompt, int length, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(prompt);
        model.Eval();
        using var noGrad = GradMode.NoGrad();
        var context = prompt.Select(c => index[c]).ToList();
        var text = new StringBuilder(prompt);
        for (int i = 0; i < length; i++)
        {
            long[] window = [.. context.Skip(Math.Max(0, context.Count - model.Config.BlockSize))];
            Tensor logits = model.Forward(Tensor.From(window).View(1, -1)).Select(1, window.Length - 1).Select(0, 0);
            Tensor probabilities = (logits / 0.8f).Softmax(0);
            long next = probabilities.Multinomial(1, generator: generator).Item<long>();
            context.Add(next);
            text.Append(vocabulary[next]);
        }

        return text.ToString();
    }
}
