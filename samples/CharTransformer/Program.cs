using System.Globalization;
using CharTransformer;

// dotnet run -c Release --project samples/CharTransformer [-- --steps N --seed S]
var options = new TrainingOptions();
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options = args[i] switch
    {
        "--steps" => options with { Steps = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
        "--seed" => options with { Seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
        _ => throw new ArgumentException($"unknown option {args[i]}; options: --steps N, --seed S"),
    };
}

TrainingResult result = Training.Run(Training.LoadText(), null, options, Console.Out);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"validation loss {result.Reports[0].ValidationLoss:F3} after {result.Reports[0].Step} steps, {result.Reports[^1].ValidationLoss:F3} after {result.Reports[^1].Step}; {result.Seconds:F0} s"));
