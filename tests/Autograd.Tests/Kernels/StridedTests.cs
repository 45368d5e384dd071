using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>Strided.ScatterAdd against a direct per-element evaluation of its definition.</summary>
public sealed class StridedTests
{
    [Fact]
    public void EveryLength_MatchesTheDefinition_Float()
    {
        // Windows of every row length 0..256 into a destination with a gap stride and a repeat (overlapping) dimension.
        var random = new Random(5);
        for (int length = 0; length <= 256; length++)
        {
            int[] shape = [3, 2, length], strides = [2, 0, 3];
            int offset = 4;
            float[] source = [.. Enumerable.Range(0, 6 * length).Select(_ => (float)random.Next(-8, 8))];
            int size = offset + (2 * 2) + (3 * Math.Max(length - 1, 0)) + 2;
            float[] destination = [.. Enumerable.Range(0, size).Select(_ => (float)random.Next(-8, 8))];
            float[] expected = (float[])destination.Clone();
            for (int a = 0; a < 3; a++)
            {
                for (int b = 0; b < 2; b++)
                {
                    for (int c = 0; c < length; c++)
                    {
                        expected[offset + (a * 2) + (c * 3)] += source[(((a * 2) + b) * length) + c];
                    }
                }
            }

            Strided.ScatterAdd<float>(source, shape, strides, offset, destination);
            destination.Should().Equal(expected, "row length {0}", length);
        }
    }

    [Fact]
    public void ZeroD_AndEmpty_AndOtherElementTypes()
    {
        double[] destination = [1.0, 2.0, 3.0];
        Strided.ScatterAdd<double>([10.0], [], [], 1, destination);
        destination.Should().Equal(1.0, 12.0, 3.0);

        Strided.ScatterAdd<double>([], [2, 0], [1, 1], 0, destination);
        destination.Should().Equal(1.0, 12.0, 3.0);

        // Unfold's geometry: windows of 2 with step 1 over 3 elements, so the middle one is hit twice.
        int[] counts = new int[3];
        Strided.ScatterAdd<int>([1, 1, 1, 1], [2, 2], [1, 1], 0, counts);
        counts.Should().Equal(1, 2, 1);
    }
}
