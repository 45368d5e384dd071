namespace Autograd;

// The window geometries that op files hand to a backend's convolution and pooling primitives: plain data, the same for
// every device.

/// <summary>
/// The shape of a 2-d convolution window: groups, kernel size, stride, the padding before the first row and column
/// (the padding after them only changes the output size, which callers pass), and dilation.
/// </summary>
internal readonly record struct ConvGeometry(
    int Groups, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW)
{
    /// <summary>The output length of one axis: ⌊(size + padTotal − dilation·(kernel − 1) − 1) / stride⌋ + 1.</summary>
    internal static int OutputSize(int size, int padTotal, int kernel, int stride, int dilation) =>
        ((size + padTotal - (dilation * (kernel - 1)) - 1) / stride) + 1;
}

/// <summary>
/// The pooling windows of one spatial axis: output position k reads the input positions
/// <c>Start[k] + i·Dilation</c> for <c>i &lt; Count[k]</c> that fall inside <c>[0, Size)</c>.
/// </summary>
internal sealed record PoolAxis(int Size, int[] Start, int[] Count, int Dilation)
{
    /// <summary>Output positions.</summary>
    internal int Length => Start.Length;

    /// <summary>PyTorch's max/avg pooling windows: start k·stride − padding, <paramref name="kernel"/> taps.</summary>
    internal static PoolAxis Sliding(int size, int outSize, int kernel, int stride, int padding, int dilation)
    {
        var start = new int[outSize];
        var count = new int[outSize];
        for (int k = 0; k < outSize; k++)
        {
            start[k] = (k * stride) - padding;
            count[k] = kernel;
        }

        return new PoolAxis(size, start, count, dilation);
    }

    /// <summary>Adaptive windows: [⌊k·size/out⌋, ⌈(k+1)·size/out⌉).</summary>
    internal static PoolAxis Adaptive(int size, int outSize)
    {
        var start = new int[outSize];
        var count = new int[outSize];
        for (int k = 0; k < outSize; k++)
        {
            start[k] = (int)((long)k * size / outSize);
            int end = (int)((((long)(k + 1) * size) + outSize - 1) / outSize);
            count[k] = end - start[k];
        }

        return new PoolAxis(size, start, count, 1);
    }

    /// <summary>The first and one-past-last tap of window k inside the input: ⌈−start/d⌉ … taps clipped to [0, Size).</summary>
    internal (int First, int End) Taps(int k)
    {
        int s = Start[k], d = Dilation, first = 0, end = Count[k];
        while (first < end && s + (first * d) < 0)
        {
            first++;
        }

        while (end > first && s + ((end - 1) * d) >= Size)
        {
            end--;
        }

        return (first, end);
    }
}
