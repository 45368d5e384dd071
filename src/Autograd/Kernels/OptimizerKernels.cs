using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>
/// Fused optimizer updates: one pass over a parameter and its state buffers per step, span in / span out, allocating
/// nothing. Each element goes through exactly the roundings of PyTorch 1.13's single-tensor CPU implementation, whose
/// chain of in-place ops is elementwise: <c>x.add_(y, alpha=a)</c> is <c>fma(a, y, x)</c>,
/// <c>x.addcmul_(y, z, value=v)</c> is <c>fma(v·y, z, x)</c>, <c>x.addcdiv_(y, z, value=v)</c> is <c>(v·y)/z + x</c>,
/// and a Python scalar is first rounded to the tensor's dtype (verified bit for bit against torch on float32).
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// SGD: <c>d = ±g (+ wd·p)</c>; with momentum <c>b = first ? d : μ·b + (1−τ)·d</c>, <c>d = nesterov ? d + μ·b : b</c>;
    /// then <c>p ← p − lr·d</c>. <paramref name="buffer"/> is empty without momentum.
    /// </summary>
    internal static void Sgd<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> buffer, bool firstStep, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negLr = T.CreateTruncating(-lr), wd = T.CreateTruncating(weightDecay), mu = T.CreateTruncating(momentum);
        T oneMinusDampening = T.CreateTruncating(1 - dampening);
        bool decay = weightDecay != 0, useMomentum = momentum != 0;
        for (int i = 0; i < p.Length; i++)
        {
            T d = maximize ? -g[i] : g[i];
            if (decay)
            {
                d = T.FusedMultiplyAdd(wd, p[i], d);
            }

            if (useMomentum)
            {
                T b = firstStep ? d : T.FusedMultiplyAdd(oneMinusDampening, d, buffer[i] * mu);
                buffer[i] = b;
                d = nesterov ? T.FusedMultiplyAdd(mu, b, d) : b;
            }

            p[i] = T.FusedMultiplyAdd(negLr, d, p[i]);
        }
    }

    /// <summary>
    /// Adam / AdamW: <c>g = ±g (+ wd·p for Adam)</c>, <c>p ← p·(1 − lr·wd)</c> first for AdamW; <c>m ← β₁m + (1−β₁)g</c>,
    /// <c>v ← β₂v + (1−β₂)g²</c>, <c>v̂ = max(v̂, v)</c> with amsgrad (<paramref name="maxV"/> non-empty), then
    /// <c>p ← p − stepSize·m / (√v / bc2Sqrt + eps)</c> with <c>stepSize = lr / (1 − β₁ᵗ)</c>, <c>bc2Sqrt = √(1 − β₂ᵗ)</c>.
    /// </summary>
    internal static void Adam<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> maxV, double beta1, double beta2,
        double eps, double weightDecay, double decoupledScale, double stepSize, double bias2Sqrt, bool maximize, bool amsgrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b1 = T.CreateTruncating(beta1), oneMinusB1 = T.CreateTruncating(1 - beta1);
        T b2 = T.CreateTruncating(beta2), oneMinusB2 = T.CreateTruncating(1 - beta2);
        T e = T.CreateTruncating(eps), wd = T.CreateTruncating(weightDecay), scale = T.CreateTruncating(decoupledScale);
        T negStep = T.CreateTruncating(-stepSize), bc2 = T.CreateTruncating(bias2Sqrt);
        bool decay = weightDecay != 0, decoupled = decoupledScale != 1;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = maximize ? -g[i] : g[i];
            T pi = p[i];
            if (decoupled)
            {
                pi *= scale;
            }

            if (decay)
            {
                gi = T.FusedMultiplyAdd(wd, pi, gi);
            }

            T mi = T.FusedMultiplyAdd(oneMinusB1, gi, m[i] * b1);
            T vi = T.FusedMultiplyAdd(oneMinusB2 * gi, gi, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            if (amsgrad)
            {
                vi = T.Max(maxV[i], vi);   // propagates NaN, as torch.maximum
                maxV[i] = vi;
            }

            T denom = (T.Sqrt(vi) / bc2) + e;
            p[i] = ((negStep * mi) / denom) + pi;
        }
    }

    /// <summary>
    /// RMSprop: <c>g = ±g (+ wd·p)</c>, <c>s ← αs + (1−α)g²</c>; centered: <c>ḡ ← αḡ + (1−α)g</c>, <c>avg = √(s − ḡ²) + eps</c>,
    /// else <c>avg = √s + eps</c>; with momentum <c>b ← μb + g/avg</c>, <c>p ← p − lr·b</c>, else <c>p ← p − lr·g/avg</c>.
    /// </summary>
    internal static void RmsProp<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> squareAvg, Span<T> gradAvg, Span<T> buffer, double lr,
        double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(alpha), oneMinusA = T.CreateTruncating(1 - alpha), e = T.CreateTruncating(eps);
        T wd = T.CreateTruncating(weightDecay), mu = T.CreateTruncating(momentum), negLr = T.CreateTruncating(-lr);
        bool decay = weightDecay != 0, useMomentum = momentum > 0;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = maximize ? -g[i] : g[i];
            if (decay)
            {
                gi = T.FusedMultiplyAdd(wd, p[i], gi);
            }

            T s = T.FusedMultiplyAdd(oneMinusA * gi, gi, squareAvg[i] * a);
            squareAvg[i] = s;
            T avg;
            if (centered)
            {
                T ga = T.FusedMultiplyAdd(oneMinusA, gi, gradAvg[i] * a);
                gradAvg[i] = ga;
                avg = T.Sqrt(T.FusedMultiplyAdd(-ga, ga, s));
            }
            else
            {
                avg = T.Sqrt(s);
            }

            avg += e;
            if (useMomentum)
            {
                T b = (gi / avg) + (buffer[i] * mu);
                buffer[i] = b;
                p[i] = T.FusedMultiplyAdd(negLr, b, p[i]);
            }
            else
            {
                p[i] = ((negLr * gi) / avg) + p[i];
            }
        }
    }

    /// <summary>Adagrad: <c>g = ±g (+ wd·p)</c>, <c>Σ ← Σ + g²</c>, <c>p ← p − clr·g / (√Σ + eps)</c>.</summary>
    internal static void Adagrad<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> sum, double clr, double eps, double weightDecay, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T e = T.CreateTruncating(eps), wd = T.CreateTruncating(weightDecay), negClr = T.CreateTruncating(-clr);
        bool decay = weightDecay != 0;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = maximize ? -g[i] : g[i];
            if (decay)
            {
                gi = T.FusedMultiplyAdd(wd, p[i], gi);
            }

            T s = T.FusedMultiplyAdd(gi, gi, sum[i]);
            sum[i] = s;
            p[i] = ((negClr * gi) / (T.Sqrt(s) + e)) + p[i];
        }
    }

    /// <summary><c>p ← p + alpha·update</c> (PyTorch's <c>p.add_(update, alpha=alpha)</c>), the update held in float64.</summary>
    internal static void AddScaled<T>(Span<T> p, ReadOnlySpan<double> update, double alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(alpha);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = T.FusedMultiplyAdd(a, T.CreateTruncating(update[i]), p[i]);
        }
    }

    /// <summary>Widens <paramref name="source"/> into <paramref name="destination"/>.</summary>
    internal static void Widen<T>(ReadOnlySpan<T> source, Span<double> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = double.CreateTruncating(source[i]);
        }
    }
}

/// <summary>
/// Tensor-level entry points of <see cref="OptimizerKernels"/>: resolve the dtype, hand the kernels the storage spans of
/// the parameter, its gradient and its state buffers, and bump the parameter's version like an in-place op. State
/// buffers are contiguous (created by the optimizer); a strided parameter or gradient goes through a contiguous copy.
/// </summary>
internal static class OptimizerUpdate
{
    /// <summary><see cref="OptimizerKernels.Sgd{T}"/> on tensors; <paramref name="buffer"/> null without momentum.</summary>
    internal static void Sgd(Tensor p, Tensor g, Tensor? buffer, bool firstStep, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize)
    {
        Tensor target = Writable(p), grad = Readable(g, p);
        if (buffer is null && weightDecay == 0 && !maximize)
        {
            // Plain SGD, p ← p − lr·g: TensorPrimitives' vectorised fused multiply-add (PyTorch: p.add_(g, alpha=−lr)).
            switch (p.DType)
            {
                case DType.Float32:
                    Span<float> values = Elements<float>(target);
                    TensorPrimitives.FusedMultiplyAdd(Elements<float>(grad), (float)-lr, values, values);
                    break;
                case DType.Float64:
                    Span<double> values64 = Elements<double>(target);
                    TensorPrimitives.FusedMultiplyAdd(Elements<double>(grad), -lr, values64, values64);
                    break;
                default:
                    throw Tensor.NotImplementedFor(p.DType, "sgd");
            }

            Finish(p, target, grad, null);
            return;
        }

        switch (p.DType)
        {
            case DType.Float32:
                OptimizerKernels.Sgd(Elements<float>(target), Elements<float>(grad), Elements<float>(buffer), firstStep, lr, momentum,
                    dampening, weightDecay, nesterov, maximize);
                break;
            case DType.Float64:
                OptimizerKernels.Sgd(Elements<double>(target), Elements<double>(grad), Elements<double>(buffer), firstStep, lr, momentum,
                    dampening, weightDecay, nesterov, maximize);
                break;
            default:
                throw Tensor.NotImplementedFor(p.DType, "sgd");
        }

        Finish(p, target, grad, buffer);
    }

    /// <summary><see cref="OptimizerKernels.Adam{T}"/> on tensors; <paramref name="maxV"/> null without amsgrad.</summary>
    internal static void Adam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor? maxV, double beta1, double beta2, double eps,
        double weightDecay, double decoupledScale, double stepSize, double bias2Sqrt, bool maximize)
    {
        Tensor target = Writable(p), grad = Readable(g, p);
        switch (p.DType)
        {
            case DType.Float32:
                OptimizerKernels.Adam(Elements<float>(target), Elements<float>(grad), Elements<float>(m), Elements<float>(v),
                    Elements<float>(maxV), beta1, beta2, eps, weightDecay, decoupledScale, stepSize, bias2Sqrt, maximize, maxV is not null);
                break;
            case DType.Float64:
                OptimizerKernels.Adam(Elements<double>(target), Elements<double>(grad), Elements<double>(m), Elements<double>(v),
                    Elements<double>(maxV), beta1, beta2, eps, weightDecay, decoupledScale, stepSize, bias2Sqrt, maximize, maxV is not null);
                break;
            default:
                throw Tensor.NotImplementedFor(p.DType, "adam");
        }

        Finish(p, target, grad, m);
    }

    /// <summary><see cref="OptimizerKernels.RmsProp{T}"/> on tensors; the optional buffers are null when unused.</summary>
    internal static void RmsProp(Tensor p, Tensor g, Tensor squareAvg, Tensor? gradAvg, Tensor? buffer, double lr, double alpha,
        double eps, double weightDecay, double momentum, bool maximize)
    {
        Tensor target = Writable(p), grad = Readable(g, p);
        switch (p.DType)
        {
            case DType.Float32:
                OptimizerKernels.RmsProp(Elements<float>(target), Elements<float>(grad), Elements<float>(squareAvg), Elements<float>(gradAvg),
                    Elements<float>(buffer), lr, alpha, eps, weightDecay, momentum, gradAvg is not null, maximize);
                break;
            case DType.Float64:
                OptimizerKernels.RmsProp(Elements<double>(target), Elements<double>(grad), Elements<double>(squareAvg), Elements<double>(gradAvg),
                    Elements<double>(buffer), lr, alpha, eps, weightDecay, momentum, gradAvg is not null, maximize);
                break;
            default:
                throw Tensor.NotImplementedFor(p.DType, "rmsprop");
        }

        Finish(p, target, grad, squareAvg);
    }

    /// <summary><see cref="OptimizerKernels.Adagrad{T}"/> on tensors.</summary>
    internal static void Adagrad(Tensor p, Tensor g, Tensor sum, double clr, double eps, double weightDecay, bool maximize)
    {
        Tensor target = Writable(p), grad = Readable(g, p);
        switch (p.DType)
        {
            case DType.Float32:
                OptimizerKernels.Adagrad(Elements<float>(target), Elements<float>(grad), Elements<float>(sum), clr, eps, weightDecay, maximize);
                break;
            case DType.Float64:
                OptimizerKernels.Adagrad(Elements<double>(target), Elements<double>(grad), Elements<double>(sum), clr, eps, weightDecay, maximize);
                break;
            default:
                throw Tensor.NotImplementedFor(p.DType, "adagrad");
        }

        Finish(p, target, grad, sum);
    }

    /// <summary><c>p ← p + alpha·update</c> for the elements of <paramref name="update"/> at <paramref name="offset"/>.</summary>
    internal static void AddScaled(Tensor p, ReadOnlySpan<double> update, int offset, double alpha)
    {
        Tensor target = Writable(p);
        switch (p.DType)
        {
            case DType.Float32:
                OptimizerKernels.AddScaled(Elements<float>(target), update.Slice(offset, p.Count), alpha);
                break;
            case DType.Float64:
                OptimizerKernels.AddScaled(Elements<double>(target), update.Slice(offset, p.Count), alpha);
                break;
            default:
                throw Tensor.NotImplementedFor(p.DType, "lbfgs");
        }

        Finish(p, target, target, target);
    }

    /// <summary>Writes the elements of <paramref name="t"/> (row-major), widened to float64, at <paramref name="offset"/>.</summary>
    internal static void Gather(Tensor t, Span<double> destination, int offset)
    {
        Tensor source = t.IsContiguous ? t : t.Detach().Contiguous();
        switch (t.DType)
        {
            case DType.Float32:
                OptimizerKernels.Widen<float>(Elements<float>(source), destination.Slice(offset, t.Count));
                break;
            case DType.Float64:
                OptimizerKernels.Widen<double>(Elements<double>(source), destination.Slice(offset, t.Count));
                break;
            default:
                throw Tensor.NotImplementedFor(t.DType, "lbfgs");
        }
    }

    private static Span<T> Elements<T>(Tensor? t) => t is null ? default : new Span<T>(t.StorageOf<T>(), t._offset, t._count);

    private static Tensor Writable(Tensor p)
    {
        p.CheckInferenceWrite();
        if (p.IsContiguous)
        {
            return p;
        }

        using (GradMode.NoGrad())
        {
            return p.Clone();
        }
    }

    private static Tensor Readable(Tensor g, Tensor p)
    {
        if (g.DType != p.DType || g.Count != p.Count)
        {
            throw new ArgumentException($"the gradient ({g.DType.TorchName()} {g.Shape}) does not match its parameter ({p.DType.TorchName()} {p.Shape})");
        }

        if (g.IsContiguous)
        {
            return g;
        }

        using (GradMode.NoGrad())
        {
            return g.Contiguous();
        }
    }

    private static void Finish(Tensor p, Tensor target, Tensor grad, Tensor? state)
    {
        if (!ReferenceEquals(target, p))
        {
            using (GradMode.NoGrad())
            {
                p.CopyFrom(target);   // bumps the version
            }
        }
        else
        {
            p.BumpVersion();
        }
    }
}
