using System.Reflection;

namespace Autograd.Benchmarks;

/// <summary>
/// Sets the library's thread count, <c>Autograd.Parallelism.NumThreads</c> (PyTorch's <c>torch.set_num_threads</c>).
/// That property is being added on another branch; until it lands, it is looked up by reflection and setting the
/// count is a no-op that reports <see langword="false"/>, so results can say whether the count took effect.
/// Once it lands, replace the body of <see cref="TrySet"/> with the direct assignment.
/// </summary>
public static class Threads
{
    private static readonly PropertyInfo? s_numThreads =
        typeof(Tensor).Assembly.GetType("Autograd.Parallelism")?.GetProperty("NumThreads", BindingFlags.Public | BindingFlags.Static);

    /// <summary>Whether the library exposes <c>Parallelism.NumThreads</c>.</summary>
    public static bool Available => s_numThreads is { CanWrite: true };

    /// <summary>Sets the library's thread count if it can; returns whether it did.</summary>
    public static bool TrySet(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!Available)
        {
            return false;
        }

        s_numThreads!.SetValue(null, count);
        return true;
    }

    /// <summary>The library's thread count, or null when it has none to report.</summary>
    public static int? Current => s_numThreads?.GetValue(null) as int?;
}
