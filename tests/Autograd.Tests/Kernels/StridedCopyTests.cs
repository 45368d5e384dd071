using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>
/// <see cref="StridedCopy"/> against a naive per-element reference (full index arithmetic, no coalescing), at every
/// row length 0..256 and for every row path: unit strides, a broadcast (stride 0) and a reversed (stride −1) source,
/// a strided destination, and dimensions that coalesce or do not.
/// </summary>
public sealed class StridedCopyTests
{
    /// <summary>How a [3, n] block is laid out in source and destination (see the switch in the test).</summary>
    public static TheoryData<string> Layouts => new() { "contiguous", "rowsOfWiderSource", "broadcastRows", "reversed", "transposedDestination", "broadcastColumn" };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EveryLength_0To256_MatchesNaiveCopy(string layout)
    {
        for (int n = 0; n <= 256; n++)
        {
            int[] shape = [3, n];
            (int[] from, int sourceOffset, int sourceLength) = layout switch
            {
                "rowsOfWiderSource" => (new[] { n + 5, 1 }, 2, (3 * (n + 5)) + 2),
                "broadcastRows" => (new[] { 0, 1 }, 1, n + 1),
                "reversed" => (new[] { -n, -1 }, Math.Max((3 * n) - 1, 0), 3 * n),
                "broadcastColumn" => (new[] { 1, 0 }, 0, 3),
                _ => (new[] { n, 1 }, 0, 3 * n),
            };
            int[] to = layout == "transposedDestination" ? [1, 3] : [n, 1];

            float[] source = [.. Enumerable.Range(0, Math.Max(sourceLength, 1)).Select(i => (float)i + 0.5f)];
            float[] actual = new float[3 * n];
            float[] expected = new float[3 * n];
            StridedCopy.Copy<float>(source, sourceOffset, from, actual, 0, to, shape);
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    expected[(i * to[0]) + (j * to[1])] = source[sourceOffset + (i * from[0]) + (j * from[1])];
                }
            }

            actual.Should().Equal(expected, "layout {0}, n = {1}", layout, n);
        }
    }

    [Fact]
    public void Rank4WithSizeOneAndMergeableDimensions_MatchesNaiveCopy()
    {
        // [2, 1, 3, 4] read from a [2, 1, 3, 4] source transposed in its last two dims (strides [12, 12, 1, 3]) into
        // a destination window of a [2, 1, 5, 4] tensor starting at row 1 (strides [20, 20, 4, 1], offset 4).
        int[] shape = [2, 1, 3, 4], from = [12, 12, 1, 3], to = [20, 20, 4, 1];
        float[] source = [.. Enumerable.Range(0, 24).Select(i => (float)i)];
        float[] actual = new float[40], expected = new float[40];
        StridedCopy.Copy<float>(source, 0, from, actual, 4, to, shape);
        for (int a = 0; a < 2; a++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int d = 0; d < 4; d++)
                {
                    expected[4 + (a * 20) + (c * 4) + d] = source[(a * 12) + c + (d * 3)];
                }
            }
        }

        actual.Should().Equal(expected);
    }

    [Fact]
    public void ZeroD_CopiesOneElement()
    {
        float[] destination = [0f, 0f];
        StridedCopy.Copy<float>([7f, 8f], 1, [], destination, 1, [], []);
        destination.Should().Equal(0f, 8f);
    }

    [Fact]
    public void EmptyShape_TouchesNothing()
    {
        float[] destination = [1f];
        StridedCopy.Copy<float>([], 5, [1, 1], destination, 9, [1, 1], [0, 3]);
        destination.Should().Equal(1f);
    }

    [Fact]
    public void OtherElementTypes_CopyTheSameWay()
    {
        // The kernel is generic: a flipped int and double copy of a 2x3 block.
        int[] ints = new int[6];
        StridedCopy.Copy<int>([0, 1, 2, 3, 4, 5], 5, [-3, -1], ints, 0, [3, 1], [2, 3]);
        ints.Should().Equal(5, 4, 3, 2, 1, 0);

        double[] doubles = new double[6];
        StridedCopy.Copy<double>([0.5, 1.5, 2.5], 0, [0, 1], doubles, 0, [1, 2], [2, 3]);
        doubles.Should().Equal(0.5, 0.5, 1.5, 1.5, 2.5, 2.5);
    }
}
