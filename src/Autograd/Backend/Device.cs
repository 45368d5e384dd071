namespace Autograd;

/// <summary>The kinds of device a tensor's storage can live on (PyTorch's device types). Only the CPU exists today.</summary>
public enum DeviceType
{
    /// <summary>The CPU, in the process's managed memory.</summary>
    Cpu,
}

/// <summary>Where a tensor's storage lives (PyTorch's <c>torch.device</c>): a device type and, for types with several devices, an index.</summary>
public readonly record struct Device
{
    private Device(DeviceType type, int? index)
    {
        Type = type;
        Index = index;
    }

    /// <summary>The CPU, in the process's managed memory (PyTorch's <c>torch.device("cpu")</c>, whose index is None).</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, null);

    /// <summary>The device type.</summary>
    public DeviceType Type { get; }

    /// <summary>The device's index among those of its type, or null when none was given (as PyTorch's <c>device.index</c>).</summary>
    public int? Index { get; }

    /// <summary>PyTorch's spelling: the type in lower case, then <c>:index</c> when there is one (<c>cpu</c>).</summary>
    public override string ToString()
    {
        string type = Type switch
        {
            DeviceType.Cpu => "cpu",
            _ => Type.ToString().ToLowerInvariant(),
        };
        return Index is { } index ? $"{type}:{index}" : type;
    }
}
