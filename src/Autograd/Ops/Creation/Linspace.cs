namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// <paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/>, both
    /// included (PyTorch's <c>torch.linspace</c>): <c>step = (end − start)/(steps − 1)</c>, the first half
    /// <c>start + i·step</c> and the second half <c>end − (steps − 1 − i)·step</c>, so both ends are exact. One step
    /// gives <c>[start]</c>, zero an empty tensor. Integer dtypes truncate each value (and start, end) toward zero.
    /// float32, float64, int64 and int32 results equal PyTorch 1.13's CPU results bit for bit (see
    /// <see cref="Kernels.Ranges"/>); float16 and bfloat16 are computed in float32 and rounded.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="steps"/> is negative.</exception>
    /// <exception cref="NotSupportedException"><paramref name="dtype"/> is bool.</exception>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        CheckSteps(steps, dtype, "linspace_cpu");
        Tensor result;
        if (steps <= 1)
        {
            result = Full([steps], dtype.IsFloatingPoint() ? start : Math.Truncate(start), dtype);
        }
        else if (dtype is DType.Float64)
        {
            var values = new double[steps];
            Kernels.Ranges.Linspace(start, end, values);
            result = From(values, [steps]);
        }
        else if (dtype.IsFloatingPoint())
        {
            var values = new float[steps];
            Kernels.Ranges.Linspace((float)start, (float)end, values);
            result = From(values, [steps]).To(dtype);
        }
        else
        {
            var values = new long[steps];
            Kernels.Ranges.Linspace((long)start, (long)end, values, narrow: dtype == DType.Int32);
            result = From(values, [steps]).To(dtype);
        }

        return result.WithRequiresGrad(requiresGrad);
    }

    /// <summary>
    /// <paramref name="steps"/> values <c>base^x</c> for x evenly spaced from <paramref name="start"/> to
    /// <paramref name="end"/> (PyTorch's <c>torch.logspace</c>): the exponents as in <see cref="Linspace"/> (from both
    /// ends, in double, with the step <c>(end − start)/(steps − 1)</c> of start and end in the result's dtype), the
    /// power in double, then rounded (integer dtypes truncate, with the base taken as a float32 as PyTorch does).
    /// One step gives <c>[base^start]</c>, zero an empty tensor.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="steps"/> is negative.</exception>
    /// <exception cref="NotSupportedException"><paramref name="dtype"/> is bool.</exception>
    public static Tensor Logspace(double start, double end, int steps, double @base = 10, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        CheckSteps(steps, dtype, "logspace_cpu");
        Tensor result;
        if (steps <= 1)
        {
            double value = Math.Pow(@base, start);
            result = Full([steps], dtype.IsFloatingPoint() ? value : Math.Truncate(value), dtype);
        }
        else
        {
            var values = new double[steps];
            if (dtype == DType.Float64)
            {
                Kernels.Ranges.Logspace(start, end, end - start, @base, values);
            }
            else if (dtype.IsFloatingPoint())
            {
                float s = (float)start, e = (float)end;
                Kernels.Ranges.Logspace(s, e, e - s, @base, values);
            }
            else
            {
                long s = (long)start, e = (long)end;
                Kernels.Ranges.Logspace(s, e, e - s, (float)@base, values);
            }

            result = From(values, [steps]).To(dtype);
        }

        return result.WithRequiresGrad(requiresGrad);
    }

    private static void CheckSteps(int steps, DType dtype, string kernel)
    {
        if (steps < 0)
        {
            throw new ArgumentException("number of steps must be non-negative", nameof(steps));
        }

        if (dtype == DType.Bool)
        {
            throw NotImplementedFor(dtype, kernel);
        }
    }
}
