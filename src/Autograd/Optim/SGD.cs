using System.Numerics.Tensors;

using Autograd.NN;

namespace Autograd.Optim;

/// <summary>
/// Stochastic gradient descent (PyTorch's <c>torch.optim.SGD</c> without momentum): <c>p ← p − lr·∇p</c>, applied
/// in place in one fused pass per parameter, outside the graph.
/// </summary>
/// <remarks>
/// <c>p -= lr * p.Grad</c> written by hand allocates the product first (for a 784×256 weight, 800 KB per step, on the
/// large-object heap); <see cref="Step"/> reads the gradient and writes the parameter once, allocating nothing.
/// Together with <see cref="ZeroGrad"/> (which zeroes gradients in place, PyTorch 1.13's default), a training step
/// reuses every gradient buffer instead of allocating new ones.
/// </remarks>
public sealed class SGD
{
    private readonly Tensor[] _parameters;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> (leaves that require grad).</summary>
    public SGD(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"Invalid learning rate: {learningRate}");
        }

        _parameters = [.. parameters];
        foreach (Tensor p in _parameters)
        {
            if (!p.IsLeaf || !p.RequiresGrad)
            {
                throw new ArgumentException("can't optimize a non-leaf Tensor, or one that does not require grad", nameof(parameters));
            }
        }

        LearningRate = learningRate;
    }

    /// <summary>The step size.</summary>
    public float LearningRate { get; set; }

    /// <summary>The parameters, in the order given.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>Updates every parameter that has a gradient: <c>p ← p − lr·∇p</c>.</summary>
    public void Step()
    {
        foreach (Tensor p in _parameters)
        {
            if (p.Grad is not { } grad)
            {
                continue;
            }

            if (!p.IsContiguous)
            {
                using (GradMode.NoGrad())
                {
                    p.CopyFrom(p - (grad * LearningRate));
                }

                continue;
            }

            Span<float> values = p.AsSpan();
            TensorPrimitives.MultiplyAdd(grad.ContiguousData(), -LearningRate, values, values);
            p.BumpVersion();
        }
    }

    /// <summary>
    /// Resets the gradients: zeroed in place by default (PyTorch 1.13's <c>zero_grad()</c>), or set to null with
    /// <paramref name="setToNone"/>.
    /// </summary>
    public void ZeroGrad(bool setToNone = false) => Module.ZeroGrad(_parameters, setToNone);
}
