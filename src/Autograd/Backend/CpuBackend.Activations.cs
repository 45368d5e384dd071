using Autograd.Kernels;

namespace Autograd;

/// <summary>Activations on the CPU: the widened vector kernels where they exist, else the scalar double functions.</summary>
internal sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public Tensor Activation(ActivationOp op, Tensor x, double p0 = 0, double p1 = 0, double p2 = 0) => op switch
    {
        ActivationOp.Elu => ActivationMap.Floating(x, new EluFunction(p0, p1, p2), "elu_cpu"),
        ActivationOp.Gelu => x._dtype == DType.Float32 ? Elementwise.Map(x, VectorMath.Gelu) : ActivationMap.Floating(x, default(GeluFunction), "GeluKernelImpl"),
        ActivationOp.GeluTanh => ActivationMap.Floating(x, default(GeluTanhFunction), "GeluKernelImpl"),
        ActivationOp.GeluDerivative => x._dtype == DType.Float32
            ? Elementwise.Map(x, VectorMath.GeluDerivative)
            : ActivationMap.Floating(x, default(GeluDerivativeFunction), "GeluBackward"),
        ActivationOp.Hardsigmoid => ActivationMap.Floating(x, default(HardsigmoidFunction), "hardsigmoid_cpu"),
        ActivationOp.Hardswish => ActivationMap.Floating(x, default(HardswishFunction), default(HardswishKernel), "hardswish_cpu"),
        ActivationOp.LeakyRelu => ActivationMap.Floating(x, new LeakyReluFunction(p0), new LeakyReluKernel(p0), "leaky_relu_cpu"),
        ActivationOp.LogSigmoid => ActivationMap.Floating(x, default(LogSigmoidFunction), default(LogSigmoidKernel), "log_sigmoid_cpu"),
        ActivationOp.Mish => ActivationMap.Floating(x, default(MishFunction), default(MishKernel), "mish_cpu"),
        ActivationOp.Silu => ActivationMap.Floating(x, default(SiluFunction), default(SiluKernel), "silu_cpu"),

        // The vector kernel needs β > 0 and τ ≤ 700 (where the scalar double formula's e^(βx) cannot overflow).
        ActivationOp.Softplus => p0 > 0 && p1 <= 700
            ? ActivationMap.Floating(x, new SoftplusFunction(p0, p1), new SoftplusKernel(p0, p1), "softplus_cpu")
            : ActivationMap.Floating(x, new SoftplusFunction(p0, p1), "softplus_cpu"),
        ActivationOp.Softshrink => ActivationMap.Floating(x, new SoftshrinkFunction(p0), "softshrink_cpu"),
        ActivationOp.Hardshrink => ActivationMap.Floating(x, new HardshrinkFunction(p0), "hardshrink_cpu"),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <inheritdoc/>
    public Tensor? FusedActivationBackward(ActivationOp op, Tensor grad, Tensor x, double p0 = 0, double p1 = 0)
    {
        if (!Elementwise.CanFuse(grad, x))
        {
            return null;
        }

        return op switch
        {
            ActivationOp.Hardswish => ActivationMap.Fused(grad, x, default(HardswishBackwardKernel)),
            ActivationOp.LeakyRelu => ActivationMap.Fused(grad, x, new LeakyReluBackwardKernel(p0)),
            ActivationOp.LogSigmoid => ActivationMap.Fused(grad, x, default(LogSigmoidBackwardKernel)),
            ActivationOp.Mish => ActivationMap.Fused(grad, x, default(MishBackwardKernel)),
            ActivationOp.Silu => ActivationMap.Fused(grad, x, default(SiluBackwardKernel)),
            ActivationOp.Softplus => ActivationMap.Fused(grad, x, new SoftplusBackwardKernel(p0, p1)),
            _ => null,
        };
    }

    /// <inheritdoc/>
    public Tensor Clamp(Tensor x, double low, double high) => ActivationMap.Clamp(x, low, high);

    /// <inheritdoc/>
    public Tensor Softmax(Tensor x, int dim, bool log) => SoftmaxMap.Apply(x, dim, log);

    /// <inheritdoc/>
    public Tensor? FusedSoftmaxBackward(Tensor grad, Tensor output, int dim, bool log) =>
        !SoftmaxMap.CanFuseLastDim(grad, output, dim) ? null
        : log ? SoftmaxMap.LogSoftmaxBackwardLastDim(grad, output)
        : SoftmaxMap.SoftmaxBackwardLastDim(grad, output);
}
