using Autograd.Kernels;

namespace Autograd;

/// <summary>Convolution (im2col and the GEMM) and pooling on the CPU.</summary>
internal sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public Tensor Convolution2d(Tensor input, Tensor weight, Tensor? bias, in ConvGeometry geometry, int outH, int outW) =>
        Convolutions.Forward(input, weight, bias, geometry, outH, outW);

    /// <inheritdoc/>
    public Tensor ConvolutionTranspose2d(Tensor input, Tensor weight, Tensor? bias, in ConvGeometry geometry, int outH, int outW) =>
        Convolutions.Transposed(input, weight, bias, geometry, outH, outW);

    /// <inheritdoc/>
    public Tensor ConvolutionWeight(Tensor image, Tensor other, in ConvGeometry geometry) => Convolutions.WeightGrad(image, other, geometry);

    /// <inheritdoc/>
    public (Tensor Values, Tensor Indices) MaxPool2d(Tensor input, PoolAxis rows, PoolAxis cols) => Poolings.Max(input, rows, cols);

    /// <inheritdoc/>
    public Tensor MaxPool2dBackward(Tensor grad, Tensor indices, ReadOnlySpan<int> inputShape) => Poolings.MaxBackward(grad, indices, inputShape);

    /// <inheritdoc/>
    public Tensor AvgPool2d(Tensor input, PoolAxis rows, PoolAxis cols, int[] divisor) => Poolings.Average(input, rows, cols, divisor);

    /// <inheritdoc/>
    public Tensor AvgPool2dAdjoint(Tensor grad, PoolAxis rows, PoolAxis cols, int[] divisor) => Poolings.AverageAdjoint(grad, rows, cols, divisor);
}
