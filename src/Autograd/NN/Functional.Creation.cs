namespace Autograd.NN;

public static partial class Functional
{
    /// <summary>
    /// One-hot encoding (PyTorch's <c>torch.nn.functional.one_hot</c>): an int64 tensor of shape
    /// <c>[..., numClasses]</c> with <c>out[..., k] = 1 if tensor[...] == k else 0</c>. With numClasses = −1 the
    /// number of classes is max(tensor) + 1.
    /// </summary>
    /// <param name="tensor">An int64 tensor of class indices in [0, numClasses).</param>
    /// <param name="numClasses">The number of classes, or −1 to infer it.</param>
    /// <exception cref="ArgumentException">Not int64, a negative class, a class ≥ numClasses, or an empty tensor with numClasses inferred.</exception>
    public static Tensor OneHot(Tensor tensor, int numClasses = -1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DType != DType.Int64)
        {
            throw new ArgumentException("one_hot is only applicable to index tensor.", nameof(tensor));
        }

        int[] shape = [.. tensor.Shape.ToArray(), 0];
        long[] values = tensor.ToArray<long>();
        if (values.Length == 0)
        {
            if (numClasses <= 0)
            {
                throw new ArgumentException("Can not infer total number of classes from empty tensor.", nameof(tensor));
            }

            shape[^1] = numClasses;
            return Tensor.Zeros(shape, DType.Int64);
        }

        if (values.Min() < 0)
        {
            throw new ArgumentException("Class values must be non-negative.", nameof(tensor));
        }

        long max = values.Max();
        if (numClasses == -1)
        {
            numClasses = checked((int)(max + 1));
        }
        else if (numClasses <= max)
        {
            throw new ArgumentException("Class values must be smaller than num_classes.", nameof(numClasses));
        }

        shape[^1] = numClasses;
        return Tensor.From(Kernels.Sampling.OneHot(values, numClasses), shape);
    }
}
