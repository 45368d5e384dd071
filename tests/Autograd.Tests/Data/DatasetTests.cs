using Autograd.Data;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Data;

public class DatasetTests
{
    private static TensorDataset Pairs(int n) =>
        new(Tensor.Arange(0, 2 * n, 1, DType.Float32).Reshape(n, 2), Tensor.Arange(n, DType.Int64));

    [Fact]
    public void TensorDataset_ItemIsRowIOfEveryTensor()
    {
        TensorDataset ds = Pairs(5);
        ds.Count.Should().Be(5);
        Tensor[] item = ds[3];
        item[0].ToArray<float>().Should().Equal(6, 7);   // row 3 of arange(10).reshape(5, 2)
        item[1].Item<long>().Should().Be(3);
        item[1].Rank.Should().Be(0);
    }

    [Fact]
    public void TensorDataset_Errors()
    {
        var act = () => new TensorDataset(Tensor.Zeros(3, 2), Tensor.Zeros(4));
        act.Should().Throw<ArgumentException>().WithMessage("Size mismatch between tensors*");
        var scalar = () => new TensorDataset(Tensor.Scalar(1f));
        scalar.Should().Throw<ArgumentException>().WithMessage("Size mismatch between tensors*");
        var index = () => Pairs(5)[5];
        index.Should().Throw<ArgumentOutOfRangeException>().WithMessage("index 5 is out of bounds for dimension 0 with size 5*");
        var negative = () => Pairs(5)[-1];
        negative.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Subset_MapsIndices()
    {
        var sub = new Subset<Tensor[]>(Pairs(6), [5, 0, 2]);
        sub.Count.Should().Be(3);
        sub[0][1].Item<long>().Should().Be(5);
        sub[2][1].Item<long>().Should().Be(2);
        var bad = () => new Subset<Tensor[]>(Pairs(6), [6]);
        bad.Should().Throw<ArgumentOutOfRangeException>().WithMessage("index 6 is out of bounds for dimension 0 with size 6*");
    }

    [Fact]
    public void RandomSplit_ByLengths_PartitionsAndIsReproducible()
    {
        Dataset<int> ds = Dataset.FromList(Enumerable.Range(100, 10).ToList());
        Subset<int>[] a = Dataset.RandomSplit(ds, [7, 3], new Generator(42));
        Subset<int>[] b = Dataset.RandomSplit(ds, [7, 3], new Generator(42));
        a.Select(s => s.Count).Should().Equal(7, 3);
        a[0].Indices.Concat(a[1].Indices).Should().BeEquivalentTo(Enumerable.Range(0, 10));
        a[0].Indices.Should().Equal(b[0].Indices);
        a[0][0].Should().Be(100 + a[0].Indices[0]);
        Dataset.RandomSplit(ds, [7, 3], new Generator(43))[0].Indices.Should().NotEqual(a[0].Indices);

        var wrong = () => Dataset.RandomSplit(ds, [7, 2]);
        wrong.Should().Throw<ArgumentException>().WithMessage("Sum of input lengths does not equal the length of the input dataset!*");
    }

    [Fact]
    public void RandomSplit_ByFractions_DistributesTheRemainderRoundRobin()
    {
        // 11 · (0.5, 0.3, 0.2) floors to (5, 3, 2) = 10; the one left over goes to split 0 (as PyTorch: [6, 3, 2]).
        Dataset<int> ds = Dataset.FromList(Enumerable.Range(0, 11).ToList());
        Dataset.RandomSplit(ds, [0.5, 0.3, 0.2], new Generator(1)).Select(s => s.Count).Should().Equal(6, 3, 2);

        // 10 · (1/3, 1/3, 1/3) floors to (3, 3, 3); the remainder 1 goes to split 0.
        Dataset.RandomSplit(Dataset.FromList(Enumerable.Range(0, 10).ToList()), [1 / 3.0, 1 / 3.0, 1 / 3.0], new Generator(1)).Select(s => s.Count).Should().Equal(4, 3, 3);

        var bad = () => Dataset.RandomSplit(ds, [1.5, -0.5]);
        bad.Should().Throw<ArgumentException>().WithMessage("Fraction at index 0 is not between 0 and 1*");
        var sum = () => Dataset.RandomSplit(ds, [0.5, 0.4]);
        sum.Should().Throw<ArgumentException>().WithMessage("Sum of input lengths*");
    }

    [Fact]
    public void Permutation_IsUniformOverTheSixOrdersOfThree()
    {
        // 6000 draws: each of the 3! orders expects 1000 (sd ≈ 29); a biased shuffle would miss the window by far.
        var g = new Generator(7);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 6000; i++)
        {
            string key = string.Join(",", Dataset.Permutation(3, g));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        counts.Should().HaveCount(6);
        counts.Values.Should().OnlyContain(c => c > 850 && c < 1150);
    }

    [Fact]
    public void Generator_NextInt_StaysInRange_AndHitsBothEnds()
    {
        var g = new Generator(3);
        int[] seen = new int[5];
        for (int i = 0; i < 1000; i++)
        {
            seen[g.NextInt(5)]++;
        }

        seen.Should().OnlyContain(c => c > 150);
        g.NextInt(1).Should().Be(0);
    }
}
