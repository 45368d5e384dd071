using System.Diagnostics.CodeAnalysis;

namespace Autograd.NN;

/// <summary>Gradient clipping and parameter flattening (PyTorch's <c>torch.nn.utils</c>).</summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "PyTorch's in-place names (clip_grad_norm_, …).")]
public static class Utils
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their joint norm is at most
    /// <paramref name="maxNorm"/> (PyTorch's <c>clip_grad_norm_</c>): with N = ‖(‖g₁‖ₚ, …, ‖gₖ‖ₚ)‖ₚ (the largest
    /// |gᵢ| for p = ∞), every gradient is multiplied by <c>min(1, maxNorm/(N + 10⁻⁶))</c>. Parameters without a
    /// gradient are skipped.
    /// </summary>
    /// <returns>N, the total norm before clipping (a 0-d tensor; 0 when no parameter has a gradient).</returns>
    /// <exception cref="InvalidOperationException">N is not finite and <paramref name="errorIfNonfinite"/> is set.</exception>
    public static Tensor ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Tensor[] grads = [.. parameters.Select(p => p.Grad).OfType<Tensor>()];
        if (grads.Length == 0)
        {
            return Tensor.Scalar(0f);
        }

        using (GradMode.NoGrad())
        {
            Tensor total = double.IsPositiveInfinity(normType)
                ? (grads.Length == 1 ? Tensor.Abs(grads[0]).Max() : Tensor.Stack([.. grads.Select(g => Tensor.Abs(g).Max())]).Max())
                : Tensor.Stack([.. grads.Select(g => g.Norm(normType))]).Norm(normType);
            if (errorIfNonfinite && !double.IsFinite(total.Item<double>()))
            {
                throw new InvalidOperationException(
                    $"The total norm of order {PyRepr.Float(normType)} for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
            }

            Tensor coefficient = Tensor.ClampMax(maxNorm / (total + 1e-6), 1.0);
            foreach (Tensor grad in grads)
            {
                grad.CopyFrom(grad * coefficient.To(grad.DType));
            }

            return total;
        }
    }

    /// <summary>Clamps every gradient of <paramref name="parameters"/> to [−clipValue, clipValue] in place (PyTorch's <c>clip_grad_value_</c>).</summary>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using (GradMode.NoGrad())
        {
            foreach (Tensor grad in parameters.Select(p => p.Grad).OfType<Tensor>())
            {
                grad.CopyFrom(Tensor.Clamp(grad, -clipValue, clipValue));
            }
        }
    }

    /// <summary>The parameters flattened and concatenated into one vector (PyTorch's <c>parameters_to_vector</c>); recorded for autograd.</summary>
    public static Tensor ParametersToVector(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Tensor.Cat([.. parameters.Select(p => p.Reshape(-1))]);
    }

    /// <summary>
    /// Copies consecutive slices of <paramref name="vector"/> into the parameters, in order and in place without
    /// recording (PyTorch's <c>vector_to_parameters</c>).
    /// </summary>
    public static void VectorToParameters(Tensor vector, IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(parameters);
        Tensor[] targets = [.. parameters];
        int total = targets.Sum(p => p.Count);
        if (vector.Rank != 1 || vector.Count != total)
        {
            throw new ArgumentException($"shape '{Shape.Format([total])}' is invalid for input of size {vector.Count}", nameof(vector));
        }

        using (GradMode.NoGrad())
        {
            int offset = 0;
            foreach (Tensor p in targets)
            {
                p.CopyFrom(vector.Narrow(0, offset, p.Count).Reshape(p.Shape));
                offset += p.Count;
            }
        }
    }
}
