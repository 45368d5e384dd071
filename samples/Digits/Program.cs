using System.Globalization;
using Digits;

// dotnet run -c Release --project samples/Digits [-- --epochs N --seed S --out DIR]
var options = new DigitsOptions();
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options = args[i] switch
    {
        "--epochs" => options with { Epochs = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
        "--seed" => options with { Seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
        "--out" => options with { OutputDirectory = args[i + 1] },
        _ => throw new ArgumentException($"unknown option {args[i]}; options: --epochs N, --seed S, --out DIR"),
    };
}

DigitsResult result = DigitsTraining.Run(options, Console.Out);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"final test accuracy: MLP {result.Mlp[^1].TestAccuracy:P2}, CNN {result.Cnn[^1].TestAccuracy:P2}"));
return result.Mlp[^1].TestAccuracy >= 0.97 || result.Cnn[^1].TestAccuracy >= 0.97 ? 0 : 1;
