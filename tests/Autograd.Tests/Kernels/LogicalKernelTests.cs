using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Kernels;

/// <summary>The comparison and mask kernels at every length 0..256 against scalar reference loops.</summary>
public class LogicalKernelTests
{
    public static TheoryData<int> Lengths
    {
        get
        {
            var data = new TheoryData<int>();
            for (int n = 0; n <= 256; n++)
            {
                data.Add(n);
            }

            return data;
        }
    }

    /// <summary>Values with many ties and a NaN every 7th element, so every comparison outcome occurs.</summary>
    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = i % 7 == 3 ? float.NaN : random.Next(-3, 4);
        }

        return values;
    }

    private static bool[] Bools(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => random.Next(2) == 1)];
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Compare_MatchesScalarLoop(int n)
    {
        float[] x = Values(n, n), y = Values(n, n + 1000);
        var destination = new bool[n];

        // Every operator through the float32 vector path (16 at a time) and its scalar tail, against both a span and a scalar.
        Check<EqualOperator>((a, b) => a == b);
        Check<NotEqualOperator>((a, b) => a != b);
        Check<LessThanOperator>((a, b) => a < b);
        Check<LessThanOrEqualOperator>((a, b) => a <= b);
        Check<GreaterThanOperator>((a, b) => a > b);
        Check<GreaterThanOrEqualOperator>((a, b) => a >= b);

        void Check<TOperator>(Func<float, float, bool> expected)
            where TOperator : IComparisonOperator
        {
            Comparison.Compare<TOperator, float>(x, y, destination);
            destination.Should().Equal(x.Zip(y, expected), typeof(TOperator).Name);
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination.AsSpan()).ToArray().Should().NotContain(b => b > 1, "bools are 0 or 1");
            Comparison.Compare<TOperator, float>(x, 1f, destination);
            destination.Should().Equal(x.Select(a => expected(a, 1f)), typeof(TOperator).Name);
            Comparison.Compare<TOperator, float>(x, float.NaN, destination);
            destination.Should().Equal(x.Select(a => expected(a, float.NaN)), typeof(TOperator).Name);
        }

        long[] lx = [.. x.Select(v => float.IsNaN(v) ? 9L : (long)v)];
        Comparison.Compare<EqualOperator, long>(lx, 1L, destination);
        destination.Should().Equal(lx.Select(a => a == 1L));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void LogicalOps_MatchScalarLoop(int n)
    {
        bool[] p = Bools(n, n), q = Bools(n, n + 1);
        var destination = new bool[n];

        Logical.And(p, q, destination);
        destination.Should().Equal(p.Zip(q, (a, b) => a && b));
        Logical.Or(p, q, destination);
        destination.Should().Equal(p.Zip(q, (a, b) => a || b));
        Logical.Xor(p, q, destination);
        destination.Should().Equal(p.Zip(q, (a, b) => a != b));
        Logical.Not(p, destination);
        destination.Should().Equal(p.Select(a => !a));

        // Results stay canonical 0/1 bytes, so they compare equal to true and false.
        destination.Count(b => b).Should().Be(Logical.Count(destination));

        float[] x = Values(n, n + 2);
        Logical.NonZero<float>(x, destination);
        destination.Should().Equal(x.Select(v => v != 0));   // NaN != 0 is true
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SelectGatherScatter_MatchScalarLoop(int n)
    {
        bool[] mask = Bools(n, n + 3);
        float[] a = Values(n, n + 4), b = Values(n, n + 5);

        var selected = new float[n];
        Logical.Select<float>(mask, a, b, selected);
        selected.Should().Equal(mask.Select((m, i) => m ? a[i] : b[i]));

        var gathered = new float[Logical.Count(mask)];
        Logical.Gather<float>(a, mask, gathered);
        gathered.Should().Equal(a.Where((_, i) => mask[i]));

        // Scatter is the adjoint of gather: gather(scatter(s)) = s, and zeros elsewhere.
        var scattered = new float[n];
        Logical.Scatter<float>(gathered, mask, scattered);
        scattered.Should().Equal(mask.Select((m, i) => m ? a[i] : 0f));
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(3, 4, 5)]
    [InlineData(2, 1, 7)]
    [InlineData(1, 17, 1)]
    public void AnyAllCount_AlongTheMiddleAxis(int outer, int size, int inner)
    {
        bool[] x = Bools(outer * size * inner, outer + size + inner);
        var any = new bool[outer * inner];
        var all = new bool[outer * inner];
        var count = new long[outer * inner];
        Logical.AnyAll(x, outer, size, inner, all: false, any);
        Logical.AnyAll(x, outer, size, inner, all: true, all);
        Logical.CountAlong(x, outer, size, inner, count);

        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                bool[] line = [.. Enumerable.Range(0, size).Select(k => x[(((o * size) + k) * inner) + i])];
                any[(o * inner) + i].Should().Be(line.Any(v => v));
                all[(o * inner) + i].Should().Be(line.All(v => v));
                count[(o * inner) + i].Should().Be(line.Count(v => v));
            }
        }
    }

    [Fact]
    public void Indices_RowMajorOdometer()
    {
        // [[[1, 0], [0, 1]], [[1, 1], [0, 0]]]: nonzeros at (0,0,0), (0,1,1), (1,0,0), (1,0,1).
        bool[] x = [true, false, false, true, true, true, false, false];
        var indices = new long[4 * 3];
        Logical.Indices(x, [2, 2, 2], indices);
        indices.Should().Equal(0L, 0L, 0L, 0L, 1L, 1L, 1L, 0L, 0L, 1L, 0L, 1L);
    }
}
