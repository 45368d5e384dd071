using System.Globalization;
using Physics;

// dotnet run -c Release --project samples/Physics [-- --steps N --out DIR]
var options = new PinnOptions();
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options = args[i] switch
    {
        "--steps" => options with { Steps = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
        "--out" => options with { OutputDirectory = args[i + 1] },
        _ => throw new ArgumentException($"unknown option {args[i]}; options: --steps N, --out DIR"),
    };
}

PinnResult result = PoissonPinn.Run(options, Console.Out);
return result.RelativeL2Error < 1e-2 ? 0 : 1;
