namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The unreduced binary cross-entropy <c>ℓ = −w·(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100))</c> with
    /// PyTorch's backward (the clamped logs have no usable derivative at x = 0 or 1; PyTorch's formula does).
    /// </summary>
    internal static Tensor BinaryCrossEntropyElements(Tensor input, Tensor target, Tensor? weight)
    {
        Tensor loss;
        using (GradMode.NoGrad())
        {
            if ((input.Lt(0.0).LogicalOr(input.Gt(1.0))).Any().ToArray<bool>()[0])
            {
                throw new ArgumentException("all elements of input should be between 0 and 1", nameof(input));
            }

            Tensor logX = NN.Functional.ClampMin(Log(input), -100);
            Tensor logOneMinusX = NN.Functional.ClampMin(Log(1.0 - input), -100);
            loss = -((target * logX) + ((1.0 - target) * logOneMinusX));
            if (weight is not null)
            {
                loss = loss * weight.Detach();
            }
        }

        return GradMode.ShouldRecord(input, target)
            ? loss.WithGradFn(new BinaryCrossEntropyBackward(input, target, weight?.Detach()))
            : loss;
    }
}

/// <summary>
/// ℓ = −w·(y·log x + (1 − y)·log(1 − x)) element-wise: ∂ℓ/∂x = g·w·(x − y) / max((1 − x)·x, ε) (ε = 1e-12 rounded to float32, as PyTorch's) and
/// ∂ℓ/∂y = g·w·(log(1 − x) − log x) (PyTorch's binary_cross_entropy_backward and _target_backward). Written in tensor
/// ops, so both are differentiable again.
/// </summary>
internal sealed class BinaryCrossEntropyBackward : Node
{
    /// <summary>PyTorch's EPSILON of the denominator, a float constant: 1e-12 rounded to float32.</summary>
    private const double Epsilon = 1e-12f;

    private SavedTensor _input;
    private SavedTensor _target;
    private SavedTensor _weight;

    internal BinaryCrossEntropyBackward(Tensor input, Tensor target, Tensor? weight)
        : base(input, target)
    {
        (_input, _target, _weight) = (input, target, weight);
    }

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_input);
        Tensor scale = _weight.Tensor is null ? grad : grad * Saved(_weight);
        Tensor? inputGrad = null, targetGrad = null;
        if (NeedsInputGrad(0))
        {
            Tensor y = Saved(_target);
            inputGrad = scale * (x - y) / NN.Functional.ClampMin((1.0 - x) * x, Epsilon);
        }

        if (NeedsInputGrad(1))
        {
            targetGrad = scale * (Tensor.Log(1.0 - x) - Tensor.Log(x));
        }

        return [inputGrad, targetGrad];
    }

    protected override void ReleaseSaved() => (_input, _target, _weight) = (null, null, null);
}
