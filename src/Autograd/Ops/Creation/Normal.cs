using System.Globalization;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Normal samples <c>mean + std·z</c>, z ~ N(0, 1), of the given shape (PyTorch's
    /// <c>torch.normal(mean, std, size)</c>); <paramref name="dtype"/> must be floating (float64 draws in double).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="std"/> is negative.</exception>
    public static Tensor Normal(double mean, double std, ReadOnlySpan<int> shape, DType dtype = DType.Float32, bool requiresGrad = false, Generator? generator = null)
    {
        CheckStd(std);
        RequireFloatingForRandom(dtype, "normal_kernel_cpu");
        Tensor z = Randn(shape, dtype, false, generator);
        Tensor result = mean == 0 && std == 1 ? z : (z * std) + mean;
        return result.WithRequiresGrad(requiresGrad);
    }

    /// <summary>
    /// Normal samples with element-wise means and standard deviations, broadcast together (PyTorch's
    /// <c>torch.normal(mean, std)</c>): <c>out = mean + std·z</c>, z ~ N(0, 1) of the broadcast shape. As in PyTorch the
    /// sample is not reparameterised: the gradient to mean and std is zero.
    /// </summary>
    /// <exception cref="ArgumentException">An element of <paramref name="std"/> is negative, or the shapes do not broadcast.</exception>
    public static Tensor Normal(Tensor mean, Tensor std, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        DType dtype = DTypes.Promote(mean._dtype, std._dtype);
        RequireFloatingForRandom(dtype, "normal_kernel_cpu");
        int[] shape = Broadcasting.Shapes(mean._shape, std._shape);
        using (GradMode.NoGrad())
        {
            if (std.Lt(0.0).Any().ItemBool())
            {
                throw new ArgumentException("normal expects all elements of std >= 0.0", nameof(std));
            }
        }

        return NormalSample(mean, std, shape, dtype, generator);
    }

    /// <summary>Normal samples with element-wise means and one standard deviation (PyTorch's <c>torch.normal(mean, std=1.0)</c>); zero gradient to mean.</summary>
    /// <exception cref="ArgumentException"><paramref name="std"/> is negative.</exception>
    public static Tensor Normal(Tensor mean, double std = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        CheckStd(std);
        RequireFloatingForRandom(mean._dtype, "normal_kernel_cpu");
        return NormalSample(mean, Scalar(std, mean._dtype), mean._shape, mean._dtype, generator);
    }

    /// <summary>Normal samples with one mean and element-wise standard deviations (PyTorch's <c>torch.normal(mean, std)</c> with a float mean); zero gradient to std.</summary>
    /// <exception cref="ArgumentException">An element of <paramref name="std"/> is negative.</exception>
    public static Tensor Normal(double mean, Tensor std, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(std);
        return Normal(Scalar(mean, std._dtype), std, generator);
    }

    private static Tensor NormalSample(Tensor mean, Tensor std, int[] shape, DType dtype, Generator? generator)
    {
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = (mean + (std * Randn(shape, dtype, false, generator))).To(dtype);
        }

        return GradMode.ShouldRecord(mean, std) ? output.WithGradFn(new NormalBackward(mean, std)) : output;
    }

    private static void CheckStd(double std)
    {
        if (!(std >= 0))
        {
            throw new ArgumentException($"normal expects std >= 0.0, but found std {std.ToString("G", CultureInfo.InvariantCulture)}", nameof(std));
        }
    }
}

/// <summary>
/// <c>out = normal(mean, std)</c>: PyTorch does not reparameterise the sample, so ∂L/∂mean = 0 and ∂L/∂std = 0
/// (zeros of each input's shape and dtype).
/// </summary>
internal sealed class NormalBackward(Tensor mean, Tensor std) : Node(mean, std)
{
    private readonly int[] _meanShape = mean._shape;
    private readonly DType _meanDType = mean._dtype;
    private readonly int[] _stdShape = std._shape;
    private readonly DType _stdDType = std._dtype;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [Tensor.Zeros(_meanShape, _meanDType), Tensor.Zeros(_stdShape, _stdDType)];
}
