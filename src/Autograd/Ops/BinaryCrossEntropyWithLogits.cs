using System.Numerics.Tensors;

namespace Autograd.NN;

/// <summary>How a loss reduces its element-wise values.</summary>
public enum Reduction
{
    /// <summary>No reduction: the loss has the input's shape.</summary>
    None,

    /// <summary>The mean over all elements (PyTorch's default).</summary>
    Mean,

    /// <summary>The sum over all elements.</summary>
    Sum,
}

public static partial class Functional
{
    /// <summary>
    /// Binary cross-entropy between target probabilities y and logits x, computed stably as
    /// <c>ℓ = max(x, 0) − x·y + log(1 + e^(−|x|))</c>, which never overflows (exact for logits of ±100 and beyond).
    /// </summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets in [0, 1], of the same shape as <paramref name="input"/>.</param>
    /// <param name="reduction">How to reduce the element-wise losses (the string overload defaults to "mean").</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.Equals(target.Shape))
        {
            throw new ArgumentException($"Target size ({target.Shape}) must be the same as input size ({input.Shape})", nameof(target));
        }

        if (input._dtype != DType.Float32 || target._dtype != DType.Float32)
        {
            Tensor typed = BinaryCrossEntropyWithLogitsTyped(input, target, reduction);
            return GradMode.ShouldRecord(input, target) ? typed.WithGradFn(new BCEWithLogitsBackward(input, target, reduction)) : typed;
        }

        ReadOnlySpan<float> x = input.ContiguousData(), y = target.ContiguousData();
        float[] losses = new float[x.Length];
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            double loss = Math.Max(xi, 0) - (xi * y[i]) + Math.Log(1 + Math.Exp(-Math.Abs(xi)));
            losses[i] = (float)loss;
            total += loss;
        }


        Tensor output = reduction switch
        {
            Reduction.None => new Tensor(losses, input._shape),
            Reduction.Sum => Tensor.Scalar((float)total),
            _ => Tensor.Scalar(x.Length == 0 ? float.NaN : (float)(total / x.Length)),
        };

        return GradMode.ShouldRecord(input, target)
            ? output.WithGradFn(new BCEWithLogitsBackward(input, target, reduction))
            : output;
    }

    /// <summary>
    /// The loss for other dtypes, computed in double (the same stable formula) and stored as PyTorch 1.13 stores it:
    /// its CPU formula builds the loss in place on <c>1 − target</c>, so the result has the target's floating dtype
    /// (a float64 input with a float32 target gives float32). PyTorch's errors: a float16 input has no clamp_min
    /// kernel, a bool target cannot be subtracted from 1, an integer target cannot hold the floating loss.
    /// </summary>
    private static Tensor BinaryCrossEntropyWithLogitsTyped(Tensor input, Tensor target, Reduction reduction)
    {
        if (input._dtype == DType.Float16)
        {
            throw Tensor.NotImplementedFor(DType.Float16, "clamp_min_cpu");
        }

        if (target._dtype == DType.Bool)
        {
            throw new InvalidOperationException(
                "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }

        DType result = target._dtype;
        if (!result.IsFloatingPoint())
        {
            DType computed = DTypes.Promote(input._dtype.IsFloatingPoint() ? input._dtype : DType.Float32, DType.Float32);
            throw new InvalidOperationException($"result type {computed.ScalarTypeName()} can't be cast to the desired output type {result.ScalarTypeName()}");
        }

        double[] x = input.ToArray<double>(), y = target.ToArray<double>();
        double[] losses = new double[x.Length];
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            losses[i] = Math.Max(xi, 0) - (xi * y[i]) + Math.Log(1 + Math.Exp(-Math.Abs(xi)));
            total += losses[i];
        }

        Tensor output = reduction switch
        {
            Reduction.None => new Tensor(losses, DType.Float64, input._shape),
            Reduction.Sum => Tensor.Scalar(total, DType.Float64),
            _ => Tensor.Scalar(x.Length == 0 ? double.NaN : total / x.Length, DType.Float64),
        };
        return output.ConvertedTo(result);
    }
}

/// <summary>
/// ℓᵢ = max(xᵢ, 0) − xᵢyᵢ + log(1 + e^(−|xᵢ|)) = −yᵢ log σ(xᵢ) − (1 − yᵢ) log(1 − σ(xᵢ)):
/// ∂ℓᵢ/∂xᵢ = σ(xᵢ) − yᵢ and ∂ℓᵢ/∂yᵢ = −xᵢ, each times g (÷ n for the mean; element-wise for no reduction).
/// </summary>
internal sealed class BCEWithLogitsBackward : Node
{
    private readonly Reduction _reduction;
    private SavedTensor _input;
    private SavedTensor _target;

    internal BCEWithLogitsBackward(Tensor input, Tensor target, Reduction reduction)
        : base(input, target)
    {
        _input = input;
        _target = input.RequiresGrad ? target : null;
        _reduction = reduction;
    }

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_input);
        if (!GradMode.IsEnabled && x._dtype == DType.Float32 && grad._dtype == DType.Float32 && (_target.Tensor is null || _target.Tensor._dtype == DType.Float32)
            && (_reduction != Reduction.None || grad._shape.AsSpan().SequenceEqual(x._shape)))
        {
            float scalar = _reduction switch
            {
                Reduction.Mean => grad.Item() / x.Count,
                Reduction.Sum => grad.Item(),
                _ => 1f,
            };
            // (σ(x) − y)·s and −x·s in one pass each for a reduced loss (s = g/n or g); without reduction, ⊙ g element-wise.
            Tensor? perElement = _reduction == Reduction.None ? grad : null;
            return
            [
                NeedsInputGrad(0) ? x.Backend.BinaryCrossEntropyWithLogitsInputGrad(x, Saved(_target), scalar, perElement) : null,
                NeedsInputGrad(1) ? x.Backend.BinaryCrossEntropyWithLogitsTargetGrad(x, scalar, perElement) : null,
            ];
        }

        if (x._dtype != DType.Float32 || grad._dtype != DType.Float32)
        {
            // As PyTorch orders it: (σ(x) − y)·g, then ÷ n. A float32 g (the loss takes a float32 target's dtype) then
            // meets the float64 difference unrounded, as PyTorch's promotion does.
            Tensor? target = NeedsInputGrad(0) ? Saved(_target) : null;
            Tensor? inputGrad = target is null ? null : (Tensor.Sigmoid(x) - target) * grad;
            Tensor? targetGrad = NeedsInputGrad(1) ? -x * grad : null;
            return _reduction == Reduction.Mean
                ? [inputGrad is null ? null : inputGrad / x.Count, targetGrad is null ? null : targetGrad / x.Count]
                : [inputGrad, targetGrad];
        }

        Tensor scale = _reduction == Reduction.Mean ? grad / x.Count : grad;
        return
        [
            NeedsInputGrad(0) ? (Tensor.Sigmoid(x) - Saved(_target)) * scale : null,
            NeedsInputGrad(1) ? -x * scale : null,
        ];
    }

    protected override void ReleaseSaved() => (_input, _target) = (null, null);
}
