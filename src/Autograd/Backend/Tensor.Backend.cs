namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Where the storage lives (PyTorch's <c>tensor.device</c>): always <see cref="Device.Cpu"/> today.</summary>
#pragma warning disable CA1822 // an instance property, as PyTorch's tensor.device; a second device will vary it
    public Device Device => Device.Cpu;

    /// <summary>The compute of this tensor's device, which every op on it calls (<see cref="CpuBackend.Instance"/> for the CPU).</summary>
    internal IBackend Backend => CpuBackend.Instance;
#pragma warning restore CA1822

    /// <summary>
    /// This tensor on <paramref name="device"/> (PyTorch's <c>tensor.to(device)</c>): the tensor itself when it is
    /// already there, which is always so today, as the CPU is the only device.
    /// </summary>
    /// <exception cref="NotSupportedException">A device that has no backend.</exception>
    public Tensor To(Device device) =>
        device == Device ? this : throw new NotSupportedException($"Could not run on device '{device}': only the cpu backend exists");

    /// <summary>This tensor in CPU memory (PyTorch's <c>tensor.cpu()</c>): the tensor itself, which already is.</summary>
    public Tensor Cpu() => To(Device.Cpu);

    /// <summary>The backend of two operands, which must be on one device (PyTorch's check, with its message).</summary>
    internal static IBackend SameDeviceBackend(Tensor a, Tensor b)
    {
        if (a.Device != b.Device)
        {
            throw DifferentDevices(a.Device, b.Device);
        }

        return a.Backend;
    }

    /// <summary>The backend of three operands, which must be on one device.</summary>
    internal static IBackend SameDeviceBackend(Tensor a, Tensor b, Tensor c)
    {
        if (a.Device != b.Device || a.Device != c.Device)
        {
            throw DifferentDevices(a.Device, a.Device != b.Device ? b.Device : c.Device);
        }

        return a.Backend;
    }

    private static InvalidOperationException DifferentDevices(Device first, Device second) =>
        new($"Expected all tensors to be on the same device, but found at least two devices, {first} and {second}!");
}
