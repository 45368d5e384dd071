using System.Collections.Concurrent;
using Autograd.Data;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Data;

public class DataLoaderTests
{
    private static TensorDataset Pairs(int n) =>
        new(Tensor.Arange(0, 2 * n, 1, DType.Float32).Reshape(n, 2), Tensor.Arange(n, DType.Int64));

    private static List<long[]> Labels(IEnumerable<Tensor[]> loader) => loader.Select(b => b[1].ToArray<long>()).ToList();

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Batches_InOrder_LastSmaller_Stacked(int prefetch)
    {
        using DataLoader<Tensor[], Tensor[]> loader = DataLoader.Create(Pairs(7), batchSize: 3, prefetch: prefetch);
        loader.Count.Should().Be(3);   // ⌈7 / 3⌉
        List<Tensor[]> batches = [.. loader];
        batches.Should().HaveCount(3);
        batches[0][0].Shape.ToArray().Should().Equal(3, 2);
        batches[0][0].ToArray<float>().Should().Equal(0, 1, 2, 3, 4, 5);
        batches[2][0].Shape.ToArray().Should().Equal(1, 2);
        Labels(batches).Should().BeEquivalentTo(new[] { new long[] { 0, 1, 2 }, [3, 4, 5], [6] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void DropLast_DropsTheShortBatch()
    {
        using var loader = DataLoader.Create(Pairs(7), batchSize: 3, dropLast: true);
        loader.Count.Should().Be(2);
        Labels(loader).SelectMany(x => x).Should().Equal(0, 1, 2, 3, 4, 5);
    }

    [Fact]
    public void Shuffle_IsSeeded_CoversEverySampleOnce_AndChangesPerEpoch()
    {
        using var a = DataLoader.Create(Pairs(20), batchSize: 4, shuffle: true, generator: new Generator(5));
        using var b = DataLoader.Create(Pairs(20), batchSize: 4, shuffle: true, generator: new Generator(5), prefetch: 0);
        long[] epoch1 = [.. Labels(a).SelectMany(x => x)];
        long[] epoch2 = [.. Labels(a).SelectMany(x => x)];
        epoch1.Should().BeEquivalentTo(Enumerable.Range(0, 20).Select(i => (long)i));
        epoch1.Should().NotEqual(Enumerable.Range(0, 20).Select(i => (long)i));
        epoch2.Should().NotEqual(epoch1);
        Labels(b).SelectMany(x => x).Should().Equal(epoch1);   // same seed, with or without the worker
        Labels(b).SelectMany(x => x).Should().Equal(epoch2);
    }

    [Fact]
    public void CustomCollate_AndTensorSamples()
    {
        Dataset<Tensor> ds = Dataset.FromFunction(5, i => Tensor.Full([2], i, DType.Float64));
        using var stacked = DataLoader.Create(ds, batchSize: 2);
        stacked.First().ToArray<double>().Should().Equal(0, 0, 1, 1);

        using var sums = new DataLoader<int, int>(Dataset.FromList(new[] { 1, 2, 3, 4, 5 }), items => items.Sum(), batchSize: 2);
        sums.ToList().Should().Equal(3, 7, 5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ExceptionOfTheDataset_ReachesTheConsumer_AfterTheBatchesBeforeIt(int prefetch)
    {
        Dataset<int> ds = Dataset.FromFunction(10, i => i == 5 ? throw new InvalidOperationException("sample 5 is broken") : i);
        using var loader = new DataLoader<int, int[]>(ds, items => [.. items], batchSize: 2, prefetch: prefetch);
        var received = new List<int[]>();
        var act = () =>
        {
            foreach (int[] batch in loader)
            {
                received.Add(batch);
            }
        };
        act.Should().Throw<InvalidOperationException>().WithMessage("sample 5 is broken");
        received.Should().HaveCount(2);   // batches [0, 1] and [2, 3]; batch [4, 5] fails
    }

    [Fact]
    public void Worker_RunsOffTheConsumerThread_OnlyWithPrefetch()
    {
        var threads = new ConcurrentBag<int>();
        Dataset<int> ds = Dataset.FromFunction(4, i =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            return i;
        });
        using (var background = new DataLoader<int, int>(ds, items => items[0], batchSize: 1, prefetch: 1))
        {
            background.ToList().Should().Equal(0, 1, 2, 3);
        }

        threads.Should().NotContain(Environment.CurrentManagedThreadId);
        threads.Clear();
        using var inline = new DataLoader<int, int>(ds, items => items[0], batchSize: 1, prefetch: 0);
        inline.ToList().Should().HaveCount(4);
        threads.Should().OnlyContain(id => id == Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void Queue_IsBounded_AndLeavingEarlyStopsTheWorker()
    {
        int reads = 0;
        Dataset<int> ds = Dataset.FromFunction(1000, i =>
        {
            Interlocked.Increment(ref reads);
            return i;
        });
        using var loader = new DataLoader<int, int>(ds, items => items[0], batchSize: 1, prefetch: 2);
        using (IEnumerator<int> epoch = loader.GetEnumerator())
        {
            epoch.MoveNext().Should().BeTrue();
            epoch.Current.Should().Be(0);
            Thread.Sleep(200);

            // Taken: 1; queued: at most 2; in the worker's hand, blocked on the full queue: at most 1.
            Volatile.Read(ref reads).Should().BeLessThanOrEqualTo(4);
        }

        int after = Volatile.Read(ref reads);
        Thread.Sleep(100);
        Volatile.Read(ref reads).Should().Be(after);   // the worker ended with the enumerator
    }

    [Fact]
    public void Dispose_StopsRunningEpochs_AndRefusesNewOnes()
    {
        Dataset<int> ds = Dataset.FromFunction(1000, i => i);
        var loader = new DataLoader<int, int>(ds, items => items[0], batchSize: 1, prefetch: 2);
        IEnumerator<int> epoch = loader.GetEnumerator();
        epoch.MoveNext().Should().BeTrue();
        loader.Dispose();
        var next = () => epoch.MoveNext();
        next.Should().Throw<ObjectDisposedException>();
        var again = () => loader.GetEnumerator();
        again.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Arguments_AreChecked()
    {
        var zero = () => DataLoader.Create(Pairs(3), batchSize: 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithMessage("batch_size should be a positive integer value, but got batch_size=0*");
        var negative = () => DataLoader.Create(Pairs(3), prefetch: -1);
        negative.Should().Throw<ArgumentOutOfRangeException>();
        var ragged = () => Collate.StackFields([[Tensor.Zeros(1)], [Tensor.Zeros(1), Tensor.Zeros(1)]]);
        ragged.Should().Throw<ArgumentException>().WithMessage("each element in list of batch should be of equal size*");
    }

    [Fact]
    public void EmptyDataset_GivesNoBatches()
    {
        using var loader = new DataLoader<int, int>(Dataset.FromList(Array.Empty<int>()), items => items.Count, batchSize: 4);
        loader.Count.Should().Be(0);
        loader.Should().BeEmpty();
    }
}
