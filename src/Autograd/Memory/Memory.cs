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
    /// When on, a tensor owning storage of 85,000 bytes or more (the large-object heap) carries a lease that returns its
    /// array to a pool once the garbage collector finds the array itself unreachable: no tensor, view, span or other
    /// reference left. The library never requests a collection; such arrays come back after the full collections the
    /// runtime runs on its own, which large allocations are what trigger. When off, no new lease is made and the arrays
    /// of dead tensors are left to the garbage collector, as for any .NET array. Gradients the engine itself creates and
    /// consumes are reused either way, since nothing else can reach them. Either way no storage is reused while
    /// anything can still read it. See docs/memory.md.
    /// </remarks>
    public static bool RecycleUnreachableStorage
    {
        get => s_recycleUnreachableStorage;
        set => s_recycleUnreachableStorage = value;
    }
}
