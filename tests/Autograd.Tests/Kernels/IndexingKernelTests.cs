using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>The offset and move kernels behind the indexing ops (<see cref="Indexing"/>), against direct loops.</summary>
public class IndexingKernelTests
{
    [Fact]
    public void FindInvalid_WithAndWithoutWrapping()
    {
        Indexing.FindInvalid([0, 2, 1], 3, wrap: false).Should().Be(-1);
        Indexing.FindInvalid([0, -1], 3, wrap: false).Should().Be(1);
        Indexing.FindInvalid([0, -3], 3, wrap: true).Should().Be(-1);
        Indexing.FindInvalid([0, 1, -4], 3, wrap: true).Should().Be(2);
        Indexing.FindInvalid([3], 3, wrap: true).Should().Be(0);
        Indexing.FindInvalid([], 0, wrap: true).Should().Be(-1);
    }

    [Fact]
    public void StridedOffsets_WalkRowMajor()
    {
        // A 2×3 transposed view of a 3×2 buffer: element (i, j) is at offset 1 + i + 2j.
        Indexing.StridedOffsets([2, 3], [1, 2], 1).Should().Equal(1, 3, 5, 2, 4, 6);
        Indexing.StridedOffsets([], [], 4).Should().Equal(4);
        Indexing.StridedOffsets([2, 0], [1, 1], 0).Should().BeEmpty();
    }

    [Fact]
    public void AlongDim_ReplacesTheCoordinateOfDim()
    {
        // Index [[2, 0], [1, 1]] along dim 0 of a row-major 3×4 tensor: element (i, j) → (index[i][j], j) = 4·index + j.
        Indexing.AlongDim([2, 0, 1, 1], [2, 2], 0, [4, 1], 0).Should().Equal(8, 1, 4, 5);

        // Along dim 1: (i, j) → (i, index[i][j]) = 4i + index.
        Indexing.AlongDim([3, 3, 0, 2], [2, 2], 1, [4, 1], 0).Should().Equal(3, 3, 4, 6);
    }

    [Fact]
    public void SelectAlong_MiddleDimension_WrapsNegatives()
    {
        // [outer 2, size 3, inner 2], row-major strides [6, 2, 1]: (o, k, i) → 6o + 2·index[k] + i.
        Indexing.SelectAlong(2, 3, 2, [2, -3], [6, 2, 1], 0).Should().Equal(4, 5, 0, 1, 10, 11, 6, 7);
    }

    [Fact]
    public void Advanced_PlacesTheBlock()
    {
        // Result dims [plain 2 (stride 10), block 3, plain 2 (stride 1)], block offsets [0, 100, 200].
        int[] offsets = Indexing.Advanced([2, 3, 2], [10, int.MinValue, 1], 5, [0, 100, 200]);
        var expected = new List<int>();
        for (int a = 0; a < 2; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                for (int c = 0; c < 2; c++)
                {
                    expected.Add(5 + (10 * a) + (100 * b) + c);
                }
            }
        }

        offsets.Should().Equal(expected);
    }

    [Fact]
    public void GatherAndPut_EveryLength_0To256()
    {
        for (int n = 0; n <= 256; n++)
        {
            float[] source = [.. Enumerable.Range(0, n).Select(i => (float)i)];
            int[] reversed = [.. Enumerable.Range(0, n).Select(i => n - 1 - i)];
            var gathered = new float[n];
            Indexing.Gather(source, reversed, gathered, 0);
            gathered.Should().Equal(source.Reverse(), "length {0}", n);

            // Every element to position 0 (repeated index), accumulated: Σ i = n(n − 1)/2, scaled by 2.
            var sum = new double[1];
            Indexing.Put(sum, new int[n], source.Select(v => (double)v).ToArray(), reversed, accumulate: true, scale: 2);
            sum[0].Should().Be(n * (n - 1.0), "length {0}", n);

            var overwritten = new long[Math.Max(n, 1)];
            Indexing.Put(overwritten, reversed, source.Select(v => (long)v).ToArray(), [.. Enumerable.Range(0, n)], accumulate: false);
            overwritten.Take(n).Should().Equal(Enumerable.Range(0, n).Select(i => (long)(n - 1 - i)), "length {0}", n);
        }
    }

    [Fact]
    public void Put_Bool_AccumulatesAsLogicalOr()
    {
        bool[] flags = [false, true, false];
        Indexing.Put(flags, [0, 0, 1, 2], new[] { false, true, false, false }, [0, 1, 2, 3], accumulate: true);
        flags.Should().Equal(true, true, false);
    }
}
