namespace Autograd.Benchmarks;

/// <summary>Sets the library's intra-op thread count (<see cref="Parallelism.NumThreads"/>) for a workload run.</summary>
public static class Threads
{
    /// <summary>Always true: the setting exists. Kept so run reports can say whether the count was applied.</summary>
    public static bool Available => true;

    /// <summary>Sets <see cref="Parallelism.NumThreads"/>; returns true.</summary>
    public static bool TrySet(int count)
    {
        Parallelism.NumThreads = count;
        return true;
    }

    /// <summary>The thread count in force.</summary>
    public static int? Current => Parallelism.NumThreads;
}
