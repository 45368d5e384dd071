using Autograd.NN;

namespace Autograd;

/// <summary>The element-wise binary operators a backend computes, with broadcasting and PyTorch's dtype promotion.</summary>
/// <remarks>
/// An enum rather than a generic method per operator: a generic virtual (interface) method is resolved through a
/// run-time dictionary on every call, which a graph of a few tiny nodes would pay on each of them.
/// </remarks>
internal enum BinaryOp
{
    /// <summary><c>a + b</c>.</summary>
    Add,

    /// <summary><c>a − b</c>.</summary>
    Subtract,

    /// <summary><c>a · b</c>.</summary>
    Multiply,

    /// <summary><c>a / b</c> (true division).</summary>
    Divide,

    /// <summary><c>⌊a / b⌋</c> (PyTorch's floor_divide; integers stay integers).</summary>
    FloorDivide,
}

/// <summary>The element-wise unary functions a backend computes (the floating ones promote integers to float32).</summary>
internal enum UnaryOp
{
    /// <summary><c>−x</c> (bool refused by the op, integers kept).</summary>
    Negate,

    /// <summary><c>eˣ</c>.</summary>
    Exp,

    /// <summary><c>ln x</c>.</summary>
    Log,

    /// <summary><c>sin x</c>.</summary>
    Sin,

    /// <summary><c>cos x</c>.</summary>
    Cos,

    /// <summary><c>tanh x</c>.</summary>
    Tanh,

    /// <summary><c>σ(x) = 1 / (1 + e⁻ˣ)</c>.</summary>
    Sigmoid,

    /// <summary><c>max(x, 0)</c> (integers kept, bool refused).</summary>
    Relu,

    /// <summary>The constant mask <c>[x &gt; 0]</c> in x's dtype, NaN giving 1 (relu's threshold_backward mask).</summary>
    ReluStep,
}

/// <summary>The element-wise activation functions a backend computes in floating point, with up to three constant parameters.</summary>
internal enum ActivationOp
{
    /// <summary><c>scale·(x &gt; 0 ? x : α(e^(inputScale·x) − 1))</c>: parameters α, scale, inputScale (ELU, SELU, CELU).</summary>
    Elu,

    /// <summary><c>x·Φ(x)</c>, the exact GELU.</summary>
    Gelu,

    /// <summary>The tanh approximation of GELU.</summary>
    GeluTanh,

    /// <summary><c>Φ(x) + x·φ(x)</c>, the exact GELU's derivative.</summary>
    GeluDerivative,

    /// <summary><c>clamp(x/6 + 1/2, 0, 1)</c>.</summary>
    Hardsigmoid,

    /// <summary><c>x·hardsigmoid(x)</c>.</summary>
    Hardswish,

    /// <summary><c>x &gt; 0 ? x : slope·x</c>: parameter slope.</summary>
    LeakyRelu,

    /// <summary><c>log σ(x)</c>.</summary>
    LogSigmoid,

    /// <summary><c>x·tanh(softplus(x))</c>.</summary>
    Mish,

    /// <summary><c>x·σ(x)</c>.</summary>
    Silu,

    /// <summary><c>βx &gt; τ ? x : log(1 + e^(βx))/β</c>: parameters β, τ.</summary>
    Softplus,

    /// <summary><c>x − λ·sign(x)</c> outside [−λ, λ], else 0: parameter λ.</summary>
    Softshrink,

    /// <summary><c>x</c> outside [−λ, λ], else 0: parameter λ.</summary>
    Hardshrink,
}

/// <summary>
/// The compute primitives the op files call, for the device that holds the tensors (see <see cref="Tensor.Backend"/>).
/// Ops check arguments, decide shapes and record the graph; a backend computes values into new storage of its own
/// device, choosing its kernels and pooling its buffers. Every method takes and returns tensors (never raw storage),
/// so a second device implements this interface without editing an op file. <see cref="CpuBackend"/> is the only
/// implementation today.
/// </summary>
internal interface IBackend
{
    /// <summary>The device whose tensors this backend computes on.</summary>
    Device Device { get; }

    // ---- Storage ----

    /// <summary>A new float32 tensor of <paramref name="shape"/> on this device whose values are unspecified (the caller writes every element).</summary>
    Tensor Empty(int[] shape);

    /// <summary>A new float32 tensor of <paramref name="shape"/> on this device, all zeros.</summary>
    Tensor Zeros(int[] shape);

    // ---- Element-wise ----

    /// <summary><c>op(a, b)</c> with NumPy broadcasting and PyTorch's dtype promotion, into a new contiguous tensor.</summary>
    Tensor Binary(BinaryOp op, Tensor a, Tensor b);

    /// <summary><c>op(x, scalar)</c> (or <c>op(scalar, x)</c>) with a float scalar: a float32 tensor stays float32.</summary>
    Tensor BinaryScalar(BinaryOp op, Tensor x, float scalar, bool scalarFirst);

    /// <summary><c>op(x, scalar)</c> with a wrapped number: PyTorch's promotion of a floating or integer scalar against x's dtype.</summary>
    Tensor BinaryScalar(BinaryOp op, Tensor x, double scalar, bool scalarIsFloatingPoint, bool scalarFirst);

    /// <summary><c>op(x)</c> element-wise, into a new contiguous tensor, with PyTorch's dtype rules for the op.</summary>
    Tensor Unary(UnaryOp op, Tensor x);

    /// <summary>
    /// The gradient of a unary op in one fused pass, <c>g ⊙ op′</c> from the saved tensor (the output for exp-like ops
    /// σ, tanh and relu; the input for sin and cos), or null when the fused kernel does not apply (a graph is being
    /// recorded, a dtype or shape it does not take): the node then composes its formula from tensor ops.
    /// </summary>
    Tensor? FusedUnaryBackward(UnaryOp op, Tensor grad, Tensor saved);

    /// <summary><c>xᵖ</c> with a constant floating exponent (float32 computes in float, float64 in double; others as PyTorch promotes them).</summary>
    Tensor Pow(Tensor x, double exponent);

    // ---- Activations ----

    /// <summary><c>op(x)</c> element-wise with the op's constant parameters (see <see cref="ActivationOp"/>), in x's floating dtype.</summary>
    Tensor Activation(ActivationOp op, Tensor x, double p0 = 0, double p1 = 0, double p2 = 0);

    /// <summary>
    /// <c>g ⊙ op′(x)</c> in one pass from the saved input, or null when no fused kernel applies (a graph is recorded,
    /// a dtype or shape it does not take, an op without one): the node then composes its formula from tensor ops.
    /// </summary>
    Tensor? FusedActivationBackward(ActivationOp op, Tensor grad, Tensor x, double p0 = 0, double p1 = 0);

    /// <summary><c>clamp(x, low, high)</c> element-wise (hardtanh).</summary>
    Tensor Clamp(Tensor x, double low, double high);

    /// <summary>softmax (or log softmax) of x along <paramref name="dim"/> (already normalised), in x's floating dtype.</summary>
    Tensor Softmax(Tensor x, int dim, bool log);

    /// <summary>
    /// The (log) softmax's input gradient from its saved output in one pass, or null when the fused kernel does not
    /// apply (a graph is recorded, not the last dimension, a dtype or shape it does not take).
    /// </summary>
    Tensor? FusedSoftmaxBackward(Tensor grad, Tensor output, int dim, bool log);

    // ---- Convolution and pooling ----

    /// <summary>The 2-d convolution of [N, C, H, W] by [O, C/groups, kH, kW] (and an optional bias [O]) into [N, O, outH, outW].</summary>
    Tensor Convolution2d(Tensor input, Tensor weight, Tensor? bias, in ConvGeometry geometry, int outH, int outW);

    /// <summary>The 2-d transposed convolution of [N, Cin, Hin, Win] by [Cin, O/groups, kH, kW] (and an optional bias [O]) into [N, O, outH, outW].</summary>
    Tensor ConvolutionTranspose2d(Tensor input, Tensor weight, Tensor? bias, in ConvGeometry geometry, int outH, int outW);

    /// <summary>Σₙ other_n · im2col(image_n)ᵀ per group: the weight gradient of both convolutions, [Co, Ci/groups, kH, kW].</summary>
    Tensor ConvolutionWeight(Tensor image, Tensor other, in ConvGeometry geometry);

    /// <summary>Max pooling of [N, C, H, W] over the windows of two axes: the maxima and their int64 indices h·W + w within each plane.</summary>
    (Tensor Values, Tensor Indices) MaxPool2d(Tensor input, PoolAxis rows, PoolAxis cols);

    /// <summary>Max pooling's input gradient: each gradient element scattered (added) to the input element its index names.</summary>
    Tensor MaxPool2dBackward(Tensor grad, Tensor indices, ReadOnlySpan<int> inputShape);

    /// <summary>Average pooling of [N, C, H, W]: each window's sum over divisor[r·K + k].</summary>
    Tensor AvgPool2d(Tensor input, PoolAxis rows, PoolAxis cols, int[] divisor);

    /// <summary>The adjoint of <see cref="AvgPool2d"/>: each g[r, k] / divisor[r·K + k] spread over its window.</summary>
    Tensor AvgPool2dAdjoint(Tensor grad, PoolAxis rows, PoolAxis cols, int[] divisor);

    // ---- Reductions ----

    /// <summary>Sums <paramref name="x"/> down to <paramref name="shape"/>, which broadcasts to x's shape (the reverse of expand).</summary>
    Tensor SumTo(Tensor x, int[] shape);

    // ---- Matrix products ----

    /// <summary>
    /// PyTorch's matmul of operands already checked by the op: m×k by k×n matrices (a vector as a row on the left, a
    /// column on the right) over the broadcast <paramref name="batch"/> dimensions, as a tensor of <paramref name="shape"/>.
    /// </summary>
    Tensor MatMul(Tensor a, Tensor b, int[] batch, int[] shape, int m, int k, int n);

    /// <summary><c>target += a·b</c> for 2-d operands, or false, doing nothing, when the backend has no accumulating product for them.</summary>
    bool MatMulAccumulate(Tensor a, Tensor b, Tensor target);

    /// <summary>The outer product u ⊗ v of two float32 vectors.</summary>
    Tensor Outer(Tensor u, Tensor v);

    /// <summary>The inner product of two 1-d tensors of one length, as a 0-d tensor (PyTorch's dtype rules for dot).</summary>
    Tensor Dot(Tensor a, Tensor b);

    /// <summary><c>x·Wᵀ + b</c> for float32 x [N, in], a contiguous W [out, in] and b [out] in one pass (PyTorch's addmm).</summary>
    Tensor Addmm(Tensor input, Tensor weight, Tensor bias);

    // ---- Losses ----

    /// <summary>log softmax over the last dimension of a float32 [N, C] tensor, row by row.</summary>
    Tensor LogSoftmaxRows(Tensor input);

    /// <summary>
    /// Cross-entropy's input gradient from saved log-probabilities [N, C]: row i is (softmax − onehot(tᵢ)) scaled by the
    /// incoming gradient as <paramref name="reduction"/> reduced the N losses.
    /// </summary>
    Tensor CrossEntropyBackward(Tensor grad, Tensor logProbabilities, int[] targets, Reduction reduction);

    /// <summary>(σ(x) − y)·<paramref name="scale"/>, then ⊙ <paramref name="grad"/> element-wise when it is not null (no reduction).</summary>
    Tensor BinaryCrossEntropyWithLogitsInputGrad(Tensor x, Tensor target, float scale, Tensor? grad);

    /// <summary>−x·<paramref name="scale"/>, or −x ⊙ <paramref name="grad"/> when it is not null (no reduction).</summary>
    Tensor BinaryCrossEntropyWithLogitsTargetGrad(Tensor x, float scale, Tensor? grad);
}
