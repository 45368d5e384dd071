namespace Autograd.NN;

public static partial class Functional
{
    /// <summary>
    /// 1-d max pooling (PyTorch's <c>max_pool1d</c>) of [N, C, L] or [C, L]: out[l] = max over
    /// x[l·stride − padding + i·dilation], i &lt; kernelSize (stride defaults to kernelSize; positions outside are skipped).
    /// </summary>
    public static Tensor MaxPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Output;

    /// <summary>
    /// <see cref="MaxPool1d"/> and the int64 index of each maximum along L (PyTorch's <c>max_pool1d_with_indices</c>,
    /// <c>return_indices=True</c>).
    /// </summary>
    public static (Tensor Output, Tensor Indices) MaxPool1dWithIndices(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3) || input.Shape[^1] == 0 || input.Shape[^2] == 0)
        {
            throw new ArgumentException($"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:{Autograd.Shape.Format(input.Shape)}", nameof(input));
        }

        (Tensor output, Tensor indices) = MaxPool2dWithIndices(input.Unsqueeze(-2), [1, kernelSize], [1, stride ?? kernelSize], [0, padding], [1, dilation], ceilMode);
        return (output.Squeeze(-2), indices.Squeeze(-2));
    }

    /// <summary>
    /// 2-d max pooling (PyTorch's <c>max_pool2d</c>) of [N, C, H, W] or [C, H, W]: out[h, w] = max over the window of
    /// kernelSize taps spaced by dilation starting at (h·sH − pH, w·sW − pW); padded positions are skipped. Ties take the
    /// first maximum, NaN propagates. With <paramref name="ceilMode"/> the output size rounds up (a last window must
    /// start inside the input or its left padding). Gradient: each g goes to the element that was the maximum.
    /// </summary>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool2dWithIndices(input, [kernelSize], stride is null ? null : [stride.Value], [padding], [dilation], ceilMode).Output;

    /// <summary><see cref="MaxPool2d(Tensor, int, int?, int, int, bool)"/> with per-axis (height, width) parameters; a one-element array applies to both axes.</summary>
    public static Tensor MaxPool2d(Tensor input, int[] kernelSize, int[]? stride = null, int[]? padding = null, int[]? dilation = null, bool ceilMode = false) =>
        MaxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Output;

    /// <summary>
    /// Max pooling and the int64 index of each maximum, flat over H·W within its plane (PyTorch's
    /// <c>max_pool2d_with_indices</c>, <c>return_indices=True</c>).
    /// </summary>
    public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool2dWithIndices(input, [kernelSize], stride is null ? null : [stride.Value], [padding], [dilation], ceilMode);

    /// <inheritdoc cref="MaxPool2dWithIndices(Tensor, int, int?, int, int, bool)"/>
    public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor input, int[] kernelSize, int[]? stride = null, int[]? padding = null, int[]? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        int[] k = PoolPair(kernelSize, "max_pool2d: kernel_size must either be a single int, or a tuple of two ints");
        int[] s = stride is null || stride.Length == 0 ? k : PoolPair(stride, "max_pool2d: stride must either be omitted, a single int, or a tuple of two ints");
        int[] p = PoolPair(padding ?? [0], "max_pool2d: padding must be either be a single int, or a tuple of two ints");
        int[] d = PoolPair(dilation ?? [1], "max_pool2d: dilation must be either a single int, or a tuple of two ints");
        if (input.Rank is not (3 or 4))
        {
            throw new ArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input", nameof(input));
        }

        int height = input.Shape[^2], width = input.Shape[^1];
        int outH = PoolOutputSize(height, k[0], p[0], s[0], d[0], ceilMode);
        int outW = PoolOutputSize(width, k[1], p[1], s[1], d[1], ceilMode);
        PoolShapeCheck(input, k, s, p, d, outH, outW);
        if (input.DType is not (DType.Float32 or DType.Float64))
        {
            throw Tensor.NotImplementedFor(input.DType, "max_pool2d");
        }

        bool batched = input.Rank == 4;
        Tensor x = batched ? input : input.Unsqueeze(0);
        (Tensor output, Tensor indices) = Tensor.MaxPool2dCore(
            x, PoolAxis.Sliding(height, outH, k[0], s[0], p[0], d[0]), PoolAxis.Sliding(width, outW, k[1], s[1], p[1], d[1]));
        return batched ? (output, indices) : (output.Squeeze(0), indices.Squeeze(0));
    }

    /// <summary>
    /// 1-d average pooling (PyTorch's <c>avg_pool1d</c>) of [N, C, L] or [C, L]: the mean over windows of kernelSize
    /// (stride defaults to kernelSize); padded positions count in the divisor when <paramref name="countIncludePad"/>.
    /// </summary>
    public static Tensor AvgPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3))
        {
            throw new ArgumentException($"Expected 2 to 3 dimensions, but got {input.Rank}-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)", nameof(input));
        }

        return AvgPool2d(input.Unsqueeze(-2), [1, kernelSize], [1, stride ?? kernelSize], [0, padding], ceilMode, countIncludePad).Squeeze(-2);
    }

    /// <summary>
    /// 2-d average pooling (PyTorch's <c>avg_pool2d</c>) of [N, C, H, W] or [C, H, W]: out[h, w] = (Σ over the window
    /// starting at (h·sH − pH, w·sW − pW), inside the input) / divisor, the divisor being the window area including
    /// padding (<paramref name="countIncludePad"/>, clipped at the padded edge), the area inside the input, or
    /// <paramref name="divisorOverride"/>. Gradient: g / divisor spread over each window.
    /// </summary>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null) =>
        AvgPool2d(input, [kernelSize], stride is null ? null : [stride.Value], [padding], ceilMode, countIncludePad, divisorOverride);

    /// <summary><see cref="AvgPool2d(Tensor, int, int?, int, bool, bool, int?)"/> with per-axis (height, width) parameters; a one-element array applies to both axes.</summary>
    public static Tensor AvgPool2d(Tensor input, int[] kernelSize, int[]? stride = null, int[]? padding = null, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        int[] k = PoolPair(kernelSize, "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints");
        int[] s = stride is null || stride.Length == 0 ? k : PoolPair(stride, "avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints");
        int[] p = PoolPair(padding ?? [0], "avg_pool2d: padding must either be a single int, or a tuple of two ints");
        if (divisorOverride == 0)
        {
            throw new ArgumentException("divisor must be not zero", nameof(divisorOverride));
        }

        if (input.Rank < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(input), $"Dimension out of range (expected to be in range of [{-Math.Max(input.Rank, 1)}, {Math.Max(input.Rank, 1) - 1}], but got -3)");
        }

        int height = input.Shape[^2], width = input.Shape[^1];
        int outH = PoolOutputSize(height, k[0], p[0], s[0], 1, ceilMode);
        int outW = PoolOutputSize(width, k[1], p[1], s[1], 1, ceilMode);
        PoolShapeCheck(input, k, s, p, [1, 1], outH, outW);
        if (input.DType is not (DType.Float32 or DType.Float64))
        {
            throw Tensor.NotImplementedFor(input.DType, "avg_pool2d");
        }

        PoolAxis rows = PoolAxis.Sliding(height, outH, k[0], s[0], p[0], 1), cols = PoolAxis.Sliding(width, outW, k[1], s[1], p[1], 1);
        var divisor = new int[outH * outW];
        for (int r = 0; r < outH; r++)
        {
            for (int c = 0; c < outW; c++)
            {
                // PyTorch: the window ends at min(start + k, size + pad) for the padded count, then is clipped to the input.
                int hs = rows.Start[r], ws = cols.Start[c];
                int he = Math.Min(hs + k[0], height + p[0]), we = Math.Min(ws + k[1], width + p[1]);
                int padded = (he - hs) * (we - ws);
                int inside = (Math.Min(he, height) - Math.Max(hs, 0)) * (Math.Min(we, width) - Math.Max(ws, 0));
                divisor[(r * outW) + c] = divisorOverride ?? (countIncludePad ? padded : inside);
                if (inside <= 0 || divisor[(r * outW) + c] == 0)
                {
                    divisor[(r * outW) + c] = 1;   // an empty window averages to 0, as PyTorch's kernel writes
                }
            }
        }

        bool batched = input.Rank == 4;
        Tensor output = Tensor.AvgPool2dCore(batched ? input : input.Unsqueeze(0), rows, cols, divisor);
        return batched ? output : output.Squeeze(0);
    }

    /// <summary>
    /// Adaptive average pooling (PyTorch's <c>adaptive_avg_pool2d</c>) of [N, C, H, W] or [C, H, W] to
    /// <paramref name="outputSize"/> (one value for both axes, or height and width): output row r averages input rows
    /// ⌊r·H/R⌋ … ⌈(r + 1)·H/R⌉ − 1, and likewise for columns.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, params int[] outputSize)
    {
        (Tensor x, PoolAxis rows, PoolAxis cols, bool batched) = Adaptive(input, outputSize, "adaptive_avg_pool2d", "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ");
        var divisor = new int[rows.Length * cols.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < cols.Length; c++)
            {
                divisor[(r * cols.Length) + c] = rows.Count[r] * cols.Count[c];
            }
        }

        Tensor output = Tensor.AvgPool2dCore(x, rows, cols, divisor);
        return batched ? output : output.Squeeze(0);
    }

    /// <summary>Adaptive max pooling (PyTorch's <c>adaptive_max_pool2d</c>) over the windows of <see cref="AdaptiveAvgPool2d"/>.</summary>
    public static Tensor AdaptiveMaxPool2d(Tensor input, params int[] outputSize) => AdaptiveMaxPool2dWithIndices(input, outputSize).Output;

    /// <summary><see cref="AdaptiveMaxPool2d"/> and the int64 index h·W + w of each maximum within its plane.</summary>
    public static (Tensor Output, Tensor Indices) AdaptiveMaxPool2dWithIndices(Tensor input, params int[] outputSize)
    {
        (Tensor x, PoolAxis rows, PoolAxis cols, bool batched) = Adaptive(input, outputSize, "adaptive_max_pool2d", "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: ");
        (Tensor output, Tensor indices) = Tensor.MaxPool2dCore(x, rows, cols);
        return batched ? (output, indices) : (output.Squeeze(0), indices.Squeeze(0));
    }

    private static (Tensor X, PoolAxis Rows, PoolAxis Cols, bool Batched) Adaptive(Tensor input, int[] outputSize, string name, string rankMessage)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outputSize);
        if (input.Rank is not (3 or 4))
        {
            throw new ArgumentException(rankMessage + Autograd.Shape.Format(input.Shape), nameof(input));
        }

        for (int dim = input.Rank - 3; dim < input.Rank; dim++)
        {
            if (input.Shape[dim] == 0)
            {
                throw new ArgumentException($"{name}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {Autograd.Shape.Format(input.Shape)} with dimension {dim} being empty", nameof(input));
            }
        }

        int[] size = outputSize.Length == 1 ? [outputSize[0], outputSize[0]] : outputSize;
        if (size.Length != 2)
        {
            throw new ArgumentException($"{name}: output_size must be 2", nameof(outputSize));
        }

        if (size[0] < 0 || size[1] < 0)
        {
            throw new ArgumentException($"{name}: elements of output_size must be greater than or equal to 0 but received {{{size[0]}, {size[1]}}}", nameof(outputSize));
        }

        if (input.DType is not (DType.Float32 or DType.Float64))
        {
            throw Tensor.NotImplementedFor(input.DType, name == "adaptive_avg_pool2d" ? "adaptive_avg_pool2d_cpu" : "adaptive_max_pool2d");
        }

        bool batched = input.Rank == 4;
        return (batched ? input : input.Unsqueeze(0), PoolAxis.Adaptive(input.Shape[^2], size[0]), PoolAxis.Adaptive(input.Shape[^1], size[1]), batched);
    }

    /// <summary>PyTorch's <c>pooling_output_shape</c>: ⌊(size + 2p − d·(k − 1) − 1 (+ s − 1 with ceil))/s⌋ + 1, one less when a ceil-mode window would start in the right padding.</summary>
    private static int PoolOutputSize(int size, int kernel, int pad, int stride, int dilation, bool ceilMode)
    {
        if (stride == 0)
        {
            throw new ArgumentException("stride should not be zero", nameof(stride));
        }

        if (pad < 0)
        {
            throw new ArgumentException($"pad must be non-negative, but got pad: {pad}", nameof(pad));
        }

        if (pad > kernel / 2)
        {
            throw new ArgumentException($"pad should be at most half of kernel size, but got pad={pad} and kernel_size={kernel}", nameof(pad));
        }

        long numerator = (long)size + (2 * pad) - ((long)dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0);
        long output = (long)Math.Floor((double)numerator / stride) + 1;
        if (ceilMode && (output - 1) * stride >= size + pad)
        {
            output--;
        }

        return (int)Math.Clamp(output, int.MinValue, int.MaxValue);
    }

    /// <summary>PyTorch's <c>pool2d_shape_check</c>.</summary>
    private static void PoolShapeCheck(Tensor input, int[] k, int[] s, int[] p, int[] d, int outH, int outW)
    {
        if (k[0] <= 0 || k[1] <= 0)
        {
            throw new ArgumentException($"kernel size should be greater than zero, but got kH: {k[0]} kW: {k[1]}", nameof(k));
        }

        if (s[0] <= 0 || s[1] <= 0)
        {
            throw new ArgumentException($"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}", nameof(s));
        }

        if (d[0] <= 0 || d[1] <= 0)
        {
            throw new ArgumentException($"dilation should be greater than zero, but got dilationH: {d[0]} dilationW: {d[1]}", nameof(d));
        }

        if (input.Shape[^3] == 0 && input.Rank == 3 || input.Shape[^1] == 0 || input.Shape[^2] == 0)
        {
            throw new ArgumentException($"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{Autograd.Shape.Format(input.Shape)}", nameof(input));
        }

        if (outH < 1 || outW < 1)
        {
            throw new ArgumentException($"Given input size: ({input.Shape[^3]}x{input.Shape[^2]}x{input.Shape[^1]}). Calculated output size: ({input.Shape[^3]}x{outH}x{outW}). Output size is too small", nameof(input));
        }
    }

    private static int[] PoolPair(int[] values, string message)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Length switch
        {
            1 => [values[0], values[0]],
            2 => [values[0], values[1]],
            _ => throw new ArgumentException(message, nameof(values)),
        };
    }

    /// <summary>
    /// Resamples a 4-d input [N, C, H, W] (PyTorch's <c>interpolate</c>) to <paramref name="size"/> or by
    /// <paramref name="scaleFactor"/> (output ⌊H·scale⌋; the kernel then maps with 1/scale, as PyTorch without
    /// recompute_scale_factor). "nearest": out[h] = x[min(⌊h·scale⌋, H − 1)] with scale = H/out (or 1/factor).
    /// "bilinear": src = scale·(h + ½) − ½ clamped at 0 (or h·(H − 1)/(out − 1) with <paramref name="alignCorners"/>),
    /// out = (1 − λ)·x[⌊src⌋] + λ·x[⌊src⌋ + 1] per axis, λ = src − ⌊src⌋. Both are compositions of index_select and
    /// element-wise products, so every order of gradient follows.
    /// </summary>
    public static Tensor Interpolate(Tensor input, int[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool? alignCorners = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(mode);
        if (mode is "nearest" or "area" or "nearest-exact")
        {
            if (alignCorners is not null)
            {
                throw new ArgumentException("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear", nameof(alignCorners));
            }
        }
        else if (mode is not ("linear" or "bilinear" or "bicubic" or "trilinear"))
        {
            throw new ArgumentException($"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.Rank}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got {mode})", nameof(mode));
        }

        if (size is null && scaleFactor is null)
        {
            throw new ArgumentException("either size or scale_factor should be defined", nameof(size));
        }

        if (size is not null && scaleFactor is not null)
        {
            throw new ArgumentException("only one of size or scale_factor should be defined", nameof(size));
        }

        if (mode == "bilinear" && input.Rank != 4)
        {
            throw new ArgumentException($"Got {input.Rank}D input, but bilinear mode needs 4D input", nameof(input));
        }

        if (input.Rank != 4 || mode is not ("nearest" or "bilinear"))
        {
            throw new NotSupportedException($"interpolate: only 4-d inputs in modes nearest and bilinear are implemented, not {input.Rank}-d {mode}");
        }

        if (input.DType is not (DType.Float32 or DType.Float64))
        {
            throw Tensor.NotImplementedFor(input.DType, mode == "nearest" ? "upsample_nearest2d" : "upsample_bilinear2d_out_frame");
        }

        double[]? scales = scaleFactor is null ? null : scaleFactor.Length == 1 ? [scaleFactor[0], scaleFactor[0]] : scaleFactor;
        int[]? sizes = size is null ? null : size.Length == 1 ? [size[0], size[0]] : size;
        if ((sizes ?? []).Length is not (0 or 2) || (scales ?? []).Length is not (0 or 2))
        {
            throw new ArgumentException($"Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [{input.Shape[2]}, {input.Shape[3]}] and output size of {Autograd.Shape.Format(sizes ?? [])}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.", nameof(size));
        }

        Tensor x = input;
        for (int axis = 0; axis < 2; axis++)
        {
            // Width first, then height, as PyTorch's separable kernel nests them.
            int dim = 3 - axis, inSize = input.Shape[dim];
            double? scale = scales?[1 - axis];
            int outSize = sizes is not null ? sizes[1 - axis] : (int)Math.Floor(inSize * scale!.Value);
            if (outSize <= 0)
            {
                throw new ArgumentException($"Input and output sizes should be greater than 0, but got input (H: {input.Shape[2]}, W: {input.Shape[3]}) output (H: {(sizes is null ? (int)Math.Floor(input.Shape[2] * scales![0]) : sizes[0])}, W: {(sizes is null ? (int)Math.Floor(input.Shape[3] * scales![1]) : sizes[1])})", nameof(size));
            }

            x = mode == "nearest" ? NearestAlong(x, dim, inSize, outSize, scale) : LinearAlong(x, dim, inSize, outSize, scale, alignCorners ?? false);
        }

        return x;
    }

    /// <summary>Same as <see cref="Interpolate"/> (PyTorch's deprecated <c>upsample</c>).</summary>
    public static Tensor Upsample(Tensor input, int[]? size = null, double[]? scaleFactor = null, string mode = "nearest", bool? alignCorners = null) =>
        Interpolate(input, size, scaleFactor, mode, alignCorners);

    private static Tensor NearestAlong(Tensor x, int dim, int inSize, int outSize, double? scale)
    {
        // PyTorch's nearest_idx: identity and halving exactly, otherwise ⌊dst·s⌋ in float, s = 1/factor or in/out.
        float s = scale is > 0 ? (float)(1.0 / scale.Value) : (float)inSize / outSize;
        var index = new long[outSize];
        for (int i = 0; i < outSize; i++)
        {
            index[i] = outSize == inSize ? i : outSize == 2 * inSize ? i >> 1 : Math.Min((long)MathF.Floor(i * s), inSize - 1);
        }

        return x.IndexSelect(dim, Tensor.From(index));
    }

    private static Tensor LinearAlong(Tensor x, int dim, int inSize, int outSize, double? scale, bool alignCorners)
    {
        var low = new long[outSize];
        var high = new long[outSize];
        var lambda0 = new double[outSize];
        var lambda1 = new double[outSize];
        bool single = x.DType == DType.Float32;
        for (int i = 0; i < outSize; i++)
        {
            // area_pixel_compute_source_index in the op's math type (float for float32, double for float64).
            double s = alignCorners ? (outSize > 1 ? (double)(inSize - 1) / (outSize - 1) : 0) : scale is > 0 ? 1.0 / scale.Value : (double)inSize / outSize;
            double source;
            if (single)
            {
                float sf = (float)s;
                float real = alignCorners ? sf * i : Math.Max((sf * (i + 0.5f)) - 0.5f, 0f);
                int index0 = (int)real;
                float l1 = Math.Clamp(real - index0, 0f, 1f);
                (low[i], lambda1[i], lambda0[i]) = (index0, l1, 1f - l1);
                source = real;
            }
            else
            {
                source = alignCorners ? s * i : Math.Max((s * (i + 0.5)) - 0.5, 0);
                int index0 = (int)source;
                double l1 = Math.Clamp(source - index0, 0, 1);
                (low[i], lambda1[i], lambda0[i]) = (index0, l1, 1 - l1);
            }

            high[i] = low[i] + (low[i] < inSize - 1 ? 1 : 0);
        }

        int[] weightShape = dim == 3 ? [outSize] : [outSize, 1];
        Tensor w0 = Tensor.From(lambda0).To(x.DType).Reshape(weightShape), w1 = Tensor.From(lambda1).To(x.DType).Reshape(weightShape);
        return (x.IndexSelect(dim, Tensor.From(low)) * w0) + (x.IndexSelect(dim, Tensor.From(high)) * w1);
    }
}
