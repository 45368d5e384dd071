using System.Diagnostics;
using System.Runtime.Intrinsics;
using Autograd;

// y = s; 10,000 times y = y·1.0001; y.Backward() (Workloads.DeepStep of the benchmarks). Prints the
// median of `rounds` timed steps after `warmup` untimed ones, and the instruction sets in use.
int warmup = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 41;
const int Length = 10_000;

// (Which runtime runs it is not printed: a PublishAot build sets IsDynamicCodeSupported to false
// for its IL under the JIT too.)
Console.WriteLine($"Vector128 {Vector128.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, " +
    $"Vector512 {Vector512.IsHardwareAccelerated}");

var s = Tensor.Scalar(1f, requiresGrad: true);
for (int i = 0; i < warmup; i++)
{
    Step(s);
}

var times = new double[rounds];
for (int i = 0; i < rounds; i++)
{
    long start = Stopwatch.GetTimestamp();
    Step(s);
    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

Array.Sort(times);
// ∂y/∂s = 1.0001^10000 ≈ e^(10000·ln 1.0001) ≈ 2.71815 (float32 rounding of 10,000 products aside).
Console.WriteLine($"s.Grad = {s.Grad!.Item():F4}");
Console.WriteLine($"deep (10,000-op chain, forward + backward): median {times[rounds / 2]:F3} ms, " +
    $"min {times[0]:F3} ms over {rounds} rounds");

static void Step(Tensor s)
{
    s.Grad = null;
    Tensor y = s;
    for (int i = 0; i < Length; i++)
    {
        y = y * 1.0001f;   // not `y *= …`: C# 14 binds that to Tensor's in-place operator
    }

    y.Backward();
}
