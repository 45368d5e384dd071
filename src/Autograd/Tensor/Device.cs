namespace Autograd;

/// <summary>Where a tensor's storage lives (PyTorch's <c>torch.device</c>). Only the CPU exists today.</summary>
public readonly record struct Device
{
    private Device(string type) => Type = type;

    /// <summary>The CPU, in the process's managed memory.</summary>
    public static Device Cpu { get; } = new("cpu");

    /// <summary>The device type, as PyTorch names it (<c>cpu</c>).</summary>
    public string Type { get; }

    /// <summary>PyTorch's spelling, e.g. <c>cpu</c>.</summary>
    public override string ToString() => Type;
}
