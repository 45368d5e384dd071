namespace Autograd;

/// <summary>Process-wide settings of how the library reuses tensor storage.</summary>
public static class Memory
{
    /// <summary>The <see cref="AppContext"/> switch that, set to true, starts a process with recycling off.</summary>
    public const string DisableRecyclingSwitch = "Autograd.Memory.DisableUnreachableStorageRecycling";

    private static volatile bool s_recycleUnreachableStorage =
        !(AppContext.TryGetSwitch(DisableRecyclingSwitch, out bool disabled) && disabled);

    /// <summary>
    /// Gets or sets whether the storage of tensors that become unreachable is reused (default true, unless the
    /// <see cref="DisableRecyclingSwitch"/> switch is set, for example in <c>runtimeconfig.json</c>).
    /// </summary>
    /// <remarks>
    /// When on, a tensor owning 8 KB of storage or more carries a lease that returns its array to a pool once no
    /// tensor of that storage can be reached, and the library requests a gen-1 collection after every 8 MB of such
    /// storage handed out (or as much as survived the previous collection), so that dead tensors are found. A training
    /// loop then allocates little and runs no gen-2 collections; the requested collections show up in the process's
    /// GC counters. When off, no new lease is made and no collection is requested: arrays of dead tensors are left to
    /// the garbage collector, as for any .NET array. Gradients the engine itself creates and consumes are reused
    /// either way, since nothing else can reach them.
    /// </remarks>
    public static bool RecycleUnreachableStorage
    {
        get => s_recycleUnreachableStorage;
        set => s_recycleUnreachableStorage = value;
    }
}
