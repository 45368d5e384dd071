namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The 2-d convolution of a batched input [N, C, H, W] with a weight [O, C/groups, kH, kW] and an optional bias
    /// [O], into [N, O, <paramref name="outH"/>, <paramref name="outW"/>] (arguments already checked by
    /// <see cref="NN.Functional.Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/>).
    /// </summary>
    internal static Tensor Convolution2d(Tensor input, Tensor weight, Tensor? bias, in ConvGeometry geometry, int outH, int outW)
    {
        Tensor output = input.Backend.Convolution2d(input, weight, bias, geometry, outH, outW);
        bool record = GradMode.ShouldRecord(input, weight) || (bias is not null && GradMode.ShouldRecord(bias));
        return record ? output.WithGradFn(new ConvolutionBackward(input, weight, bias, geometry)) : output;
    }

    /// <summary>
    /// The 2-d transposed convolution of [N, Cin, Hin, Win] with a weight [Cin, O/groups, kH, kW] and an optional bias
    /// [O], into [N, O, <paramref name="outH"/>, <paramref name="outW"/>]: the adjoint of <see cref="Convolution2d"/>
    /// in its input, for an image of outH × outW.
    /// </summary>
    internal static Tensor ConvolutionTranspose2d(Tensor input, Tensor weight, Tensor? bias, in ConvGeometry geometry, int outH, int outW)
    {
        Tensor output = input.Backend.ConvolutionTranspose2d(input, weight, bias, geometry, outH, outW);
        bool record = GradMode.ShouldRecord(input, weight) || (bias is not null && GradMode.ShouldRecord(bias));
        return record ? output.WithGradFn(new ConvolutionTransposeBackward(input, weight, bias, geometry)) : output;
    }

    /// <summary>
    /// Σₙ other_n · im2col(image_n)ᵀ per group, as [Co, Ci/groups, kH, kW] for image [N, Ci, Hi, Wi] and other
    /// [N, Co, Ho, Wo]: the weight gradient of both convolutions, recorded so that it can be differentiated again.
    /// </summary>
    internal static Tensor ConvolutionWeight(Tensor image, Tensor other, in ConvGeometry geometry)
    {
        Tensor output = image.Backend.ConvolutionWeight(image, other, geometry);
        return GradMode.ShouldRecord(image, other) ? output.WithGradFn(new ConvolutionWeightBackward(image, other, geometry)) : output;
    }

    /// <summary>Σ over batch and positions of [N, O, H, W]: a convolution's bias gradient, [O].</summary>
    internal static Tensor SumPerChannel(Tensor grad) => grad.Sum(3).Sum(2).Sum(0);
}

/// <summary>
/// <c>out = conv2d(x, W) + b</c>, linear in x and in W: ∂L/∂x = conv_transpose2d(g, W) onto x's H × W (col2im of
/// Wᵀ·g), ∂L/∂W = Σₙ gₙ·im2col(xₙ)ᵀ (<see cref="Tensor.ConvolutionWeight"/>), ∂L/∂b = Σ_{n,h,w} g. All three are
/// recorded ops, so second order follows.
/// </summary>
internal sealed class ConvolutionBackward(Tensor x, Tensor w, Tensor? b, ConvGeometry geometry)
    : Node(b is null ? [x, w] : [x, w, b])
{
    private SavedTensor _x = w.RequiresGrad ? x : null;
    private SavedTensor _w = x.RequiresGrad ? w : null;
    private readonly bool _hasBias = b is not null;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        ReadOnlySpan<int> shape = InputShape(0);
        Tensor? gx = NeedsInputGrad(0) ? Tensor.ConvolutionTranspose2d(grad, Saved(_w), null, geometry, shape[2], shape[3]) : null;
        Tensor? gw = NeedsInputGrad(1) ? Tensor.ConvolutionWeight(Saved(_x), grad, geometry) : null;
        return _hasBias ? [gx, gw, NeedsInputGrad(2) ? Tensor.SumPerChannel(grad) : null] : [gx, gw];
    }

    protected override void ReleaseSaved() => (_x, _w) = (null, null);
}

/// <summary>
/// <c>out = conv_transpose2d(x, W) + b</c>, the adjoint of a convolution: ∂L/∂x = conv2d(g, W) (onto x's Hin × Win),
/// ∂L/∂W = Σₙ xₙ·im2col(gₙ)ᵀ (<see cref="Tensor.ConvolutionWeight"/> with the roles swapped), ∂L/∂b = Σ_{n,h,w} g.
/// </summary>
internal sealed class ConvolutionTransposeBackward(Tensor x, Tensor w, Tensor? b, ConvGeometry geometry)
    : Node(b is null ? [x, w] : [x, w, b])
{
    private SavedTensor _x = w.RequiresGrad ? x : null;
    private SavedTensor _w = x.RequiresGrad ? w : null;
    private readonly bool _hasBias = b is not null;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        ReadOnlySpan<int> shape = InputShape(0);
        Tensor? gx = NeedsInputGrad(0) ? Tensor.Convolution2d(grad, Saved(_w), null, geometry, shape[2], shape[3]) : null;
        Tensor? gw = NeedsInputGrad(1) ? Tensor.ConvolutionWeight(grad, Saved(_x), geometry) : null;
        return _hasBias ? [gx, gw, NeedsInputGrad(2) ? Tensor.SumPerChannel(grad) : null] : [gx, gw];
    }

    protected override void ReleaseSaved() => (_x, _w) = (null, null);
}

/// <summary>
/// <c>out = Σₙ otherₙ·im2col(imageₙ)ᵀ</c>, bilinear: for an upstream U shaped like a weight,
/// ∂L/∂image = conv_transpose2d(other, U) onto the image's size and ∂L/∂other = conv2d(image, U).
/// </summary>
internal sealed class ConvolutionWeightBackward(Tensor image, Tensor other, ConvGeometry geometry) : Node(image, other)
{
    private SavedTensor _image = other.RequiresGrad ? image : null;
    private SavedTensor _other = image.RequiresGrad ? other : null;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        ReadOnlySpan<int> imageShape = InputShape(0), otherShape = InputShape(1);
        return
        [
            NeedsInputGrad(0) ? Tensor.ConvolutionTranspose2d(Saved(_other), grad, null, geometry, imageShape[2], imageShape[3]) : null,
            NeedsInputGrad(1) ? Tensor.Convolution2d(Saved(_image), grad, null, geometry, otherShape[2], otherShape[3]) : null,
        ];
    }

    protected override void ReleaseSaved() => (_image, _other) = (null, null);
}
