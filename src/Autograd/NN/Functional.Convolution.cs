namespace Autograd.NN;

/// <summary>Convolution, pooling and resampling (PyTorch's <c>torch.nn.functional</c> conv/pool/interpolate).</summary>
public static partial class Functional
{
    /// <summary>
    /// 1-d convolution (PyTorch's <c>conv1d</c>): input [N, C, L] or unbatched [C, L], weight [O, C/groups, k], bias [O];
    /// out[n, o, l] = bias[o] + Σ_{c,i} weight[o, c, i]·x[n, g·C/groups + c, l·stride − padding + i·dilation].
    /// </summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Convolve("conv1d", 1, input, weight, bias, [stride], [padding], null, [dilation], groups, transposed: null);

    /// <summary>1-d convolution with <paramref name="padding"/> "valid" (none) or "same" (output length = input length, stride 1; an odd total padding puts the extra element after the input).</summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias, int stride, string padding, int dilation = 1, int groups = 1) =>
        Convolve("conv1d", 1, input, weight, bias, [stride], null, padding, [dilation], groups, transposed: null);

    /// <summary>
    /// 2-d convolution (PyTorch's <c>conv2d</c>): input [N, C, H, W] or unbatched [C, H, W], weight
    /// [O, C/groups, kH, kW], bias [O]; out[n, o, h, w] = bias[o] + Σ_{c,i,j} weight[o, c, i, j]·
    /// x[n, g·C/groups + c, h·sH − pH + i·dH, w·sW − pW + j·dW] (zero outside the input), output size
    /// ⌊(H + 2p − d·(k − 1) − 1)/s⌋ + 1. Computed as im2col and one GEMM per image and group.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Convolve("conv2d", 2, input, weight, bias, [stride, stride], [padding, padding], null, [dilation, dilation], groups, transposed: null);

    /// <summary>2-d convolution with per-axis (height, width) stride, padding and dilation; a one-element array applies to both axes.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, int groups = 1) =>
        Convolve("conv2d", 2, input, weight, bias, stride, padding, null, dilation, groups, transposed: null);

    /// <summary>2-d convolution with <paramref name="padding"/> "valid" (none) or "same" (output size = input size, stride 1; an odd total padding puts the extra row/column after the input, as PyTorch).</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int stride, string padding, int dilation = 1, int groups = 1) =>
        Convolve("conv2d", 2, input, weight, bias, [stride, stride], null, padding, [dilation, dilation], groups, transposed: null);

    /// <inheritdoc cref="Conv2d(Tensor, Tensor, Tensor?, int, string, int, int)"/>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int[] stride, string padding, int[] dilation, int groups = 1) =>
        Convolve("conv2d", 2, input, weight, bias, stride, null, padding, dilation, groups, transposed: null);

    /// <summary>
    /// 1-d transposed convolution (PyTorch's <c>conv_transpose1d</c>): input [N, C, L] or [C, L], weight
    /// [C, O/groups, k]; the adjoint of <see cref="Conv1d(Tensor, Tensor, Tensor?, int, int, int, int)"/> in its input,
    /// output length (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
    /// </summary>
    public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1, int dilation = 1) =>
        Convolve("conv_transpose1d", 1, input, weight, bias, [stride], [padding], null, [dilation], groups, transposed: [outputPadding]);

    /// <summary>
    /// 2-d transposed convolution (PyTorch's <c>conv_transpose2d</c>): input [N, C, H, W] or [C, H, W], weight
    /// [C, O/groups, kH, kW], bias [O]; out = bias + col2im(Wᵀ·x) per image and group, the adjoint of
    /// <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/> in its input, of size
    /// (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1 per axis.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1, int dilation = 1) =>
        Convolve("conv_transpose2d", 2, input, weight, bias, [stride, stride], [padding, padding], null, [dilation, dilation], groups, transposed: [outputPadding, outputPadding]);

    /// <summary>2-d transposed convolution with per-axis (height, width) parameters; a one-element array applies to both axes.</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] outputPadding, int groups, int[] dilation) =>
        Convolve("conv_transpose2d", 2, input, weight, bias, stride, padding, null, dilation, groups, transposed: outputPadding);

    /// <summary>The shared argument checks (PyTorch's messages and order) and the reshape to the 2-d batched kernels.</summary>
    private static Tensor Convolve(
        string name, int dims, Tensor input, Tensor weight, Tensor? bias, int[] stride, int[]? padding, string? paddingMode, int[] dilation, int groups, int[]? transposed)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(stride);
        ArgumentNullException.ThrowIfNull(dilation);
        if (input.Rank != dims + 1 && input.Rank != dims + 2)
        {
            throw new ArgumentException($"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {name}, but got input of size: {Autograd.Shape.Format(input.Shape)}", nameof(input));
        }

        bool batched = input.Rank == dims + 2;
        Tensor x = batched ? input : input.Unsqueeze(0);
        if (paddingMode is not null && paddingMode != "same" && paddingMode != "valid")
        {
            throw new ArgumentException($"Invalid padding string: '{paddingMode}'", nameof(padding));
        }

        int spatial = weight.Rank - 2;
        if (spatial <= 0)
        {
            throw new ArgumentException("weight should have at least three dimensions", nameof(weight));
        }

        int[] s = Expand(stride, "stride", spatial);
        int[] d = Expand(dilation, "dilation", spatial);
        if (paddingMode == "same" && s.Any(v => v != 1))
        {
            throw new ArgumentException("padding='same' is not supported for strided convolutions", nameof(padding));
        }

        int[] p;
        int[] extra = new int[spatial];
        if (paddingMode is null)
        {
            p = Expand(padding!, "padding", spatial);
        }
        else
        {
            // "same": total padding d·(k − 1) per axis, half before the input and the rest (one more when odd) after.
            p = new int[spatial];
            for (int k = 0; k < spatial && paddingMode == "same"; k++)
            {
                int total = d[k] * (weight.Shape[k + 2] - 1);
                p[k] = total / 2;
                extra[k] = total - (2 * p[k]);
            }
        }

        int[] outputPadding = transposed is null ? new int[spatial] : Expand(transposed, "output_padding", spatial);
        if (p.Any(v => v < 0))
        {
            throw new ArgumentException("negative padding is not supported", nameof(padding));
        }

        if (outputPadding.Any(v => v < 0))
        {
            throw new ArgumentException("negative output_padding is not supported", nameof(transposed));
        }

        if (s.Any(v => v <= 0))
        {
            throw new ArgumentException("non-positive stride is not supported", nameof(stride));
        }

        if (d.Any(v => v <= 0))
        {
            throw new ArgumentException($"dilation should be greater than zero, but got {Autograd.Shape.Format(d)}", nameof(dilation));
        }

        if (groups <= 0)
        {
            throw new ArgumentException("non-positive groups is not supported", nameof(groups));
        }

        int[] ws = weight.Shape.ToArray(), xs = x.Shape.ToArray();
        if (spatial != dims)
        {
            throw new ArgumentException($"Expected {weight.Rank}-dimensional input for {weight.Rank}-dimensional weight {Autograd.Shape.Format(ws)}, but got {x.Rank}-dimensional input of size {Autograd.Shape.Format(xs)} instead", nameof(input));
        }

        if (ws[0] < groups)
        {
            throw new ArgumentException($"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of size {Autograd.Shape.Format(ws)} instead", nameof(weight));
        }

        if (ws[0] % groups != 0)
        {
            throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size [{Autograd.Shape.Format(ws)}] instead", nameof(weight));
        }

        int outChannels = transposed is null ? ws[0] : ws[1] * groups;
        if (transposed is null && xs[1] != ws[1] * groups)
        {
            throw new ArgumentException($"Given groups={groups}, weight of size {Autograd.Shape.Format(ws)}, expected input{Autograd.Shape.Format(xs)} to have {ws[1] * groups} channels, but got {xs[1]} channels instead", nameof(input));
        }

        if (transposed is not null && xs[1] != ws[0])
        {
            throw new ArgumentException($"Given transposed=1, weight of size {Autograd.Shape.Format(ws)}, expected input{Autograd.Shape.Format(xs)} to have {ws[0]} channels, but got {xs[1]} channels instead", nameof(input));
        }

        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outChannels))
        {
            string given = transposed is null ? string.Empty : "transposed=1, ";
            throw new ArgumentException($"Given {given}weight of size {Autograd.Shape.Format(ws)}, expected bias to be 1-dimensional with {outChannels} elements, but got bias of size {Autograd.Shape.Format(bias.Shape)} instead", nameof(bias));
        }

        int[] kernel = ws[2..];
        if (transposed is null)
        {
            bool tooSmall = false;
            for (int k = 0; k < dims; k++)
            {
                tooSmall |= xs[k + 2] + (2 * p[k]) + extra[k] < (d[k] * (kernel[k] - 1)) + 1;
            }

            if (tooSmall)
            {
                string padded = string.Join(" x ", Enumerable.Range(0, dims).Select(k => xs[k + 2] + (2 * p[k]) + extra[k]));
                string window = string.Join(" x ", Enumerable.Range(0, dims).Select(k => (d[k] * (kernel[k] - 1)) + 1));
                throw new ArgumentException($"Calculated padded input size per channel: ({padded}). Kernel size: ({window}). Kernel size can't be greater than actual input size", nameof(input));
            }
        }
        else
        {
            for (int k = 0; k < dims; k++)
            {
                if (outputPadding[k] >= s[k] && outputPadding[k] >= d[k])
                {
                    string message = dims == 2
                        ? $"output padding must be smaller than either stride or dilation, but got output_padding_height: {outputPadding[0]} output_padding_width: {outputPadding[1]} stride_height: {s[0]} stride_width: {s[1]} dilation_height: {d[0]} dilation_width: {d[1]}"
                        : $"output padding must be smaller than either stride or dilation, but got output_padding: {outputPadding[0]} stride: {s[0]} dilation: {d[0]}";
                    throw new ArgumentException(message, nameof(transposed));
                }
            }
        }

        CheckConvolutionDType(x, weight, bias);

        // The kernels are 2-d: a 1-d convolution is one with a 1 × k window over a 1 × L image.
        if (dims == 1)
        {
            x = x.Unsqueeze(2);
            weight = weight.Unsqueeze(2);
            (kernel, s, p, d, outputPadding, extra, xs) = ([1, kernel[0]], [1, s[0]], [0, p[0]], [1, d[0]], [0, outputPadding[0]], [0, extra[0]], [xs[0], xs[1], 1, xs[2]]);
        }

        var geometry = new ConvGeometry(groups, kernel[0], kernel[1], s[0], s[1], p[0], p[1], d[0], d[1]);
        Tensor output;
        if (transposed is null)
        {
            int outH = ConvGeometry.OutputSize(xs[2], (2 * p[0]) + extra[0], kernel[0], s[0], d[0]);
            int outW = ConvGeometry.OutputSize(xs[3], (2 * p[1]) + extra[1], kernel[1], s[1], d[1]);
            output = Tensor.Convolution2d(x, weight, bias, geometry, outH, outW);
        }
        else
        {
            int outH = ((xs[2] - 1) * s[0]) - (2 * p[0]) + (d[0] * (kernel[0] - 1)) + outputPadding[0] + 1;
            int outW = ((xs[3] - 1) * s[1]) - (2 * p[1]) + (d[1] * (kernel[1] - 1)) + outputPadding[1] + 1;
            if (outH <= 0 || outW <= 0)
            {
                throw new ArgumentException($"Given input size per channel: ({string.Join(" x ", xs[2..])}). Calculated output size per channel: ({outH} x {outW}). Output size is too small", nameof(input));
            }

            output = Tensor.ConvolutionTranspose2d(x, weight, bias, geometry, outH, outW);
        }

        if (dims == 1)
        {
            output = output.Squeeze(2);
        }

        return batched ? output : output.Squeeze(0);
    }

    /// <summary>One value per spatial axis: a single value is repeated, any other count but <paramref name="dims"/> is PyTorch's error.</summary>
    private static int[] Expand(int[] values, string name, int dims)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length == 1)
        {
            return [.. Enumerable.Repeat(values[0], dims)];
        }

        if (values.Length != dims)
        {
            throw new ArgumentException($"expected {name} to be a single integer value or a list of {dims} values to match the convolution dimensions, but got {name}={Autograd.Shape.Format(values)}", name);
        }

        return (int[])values.Clone();
    }

    private static void CheckConvolutionDType(Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.DType != x.DType)
        {
            throw new InvalidOperationException($"expected scalar type {x.DType.ScalarTypeName()} but found {weight.DType.ScalarTypeName()}");
        }

        if (bias is not null && bias.DType != x.DType)
        {
            throw new InvalidOperationException($"expected scalar type {x.DType.ScalarTypeName()} but found {bias.DType.ScalarTypeName()}");
        }

        if (x.DType is not (DType.Float32 or DType.Float64))
        {
            throw new NotSupportedException($"convolution is implemented for float32 and float64 tensors only, not {x.DType.ScalarTypeName()}");
        }
    }
}
