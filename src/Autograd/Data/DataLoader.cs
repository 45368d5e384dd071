using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Autograd.Data;

/// <summary>
/// Iterates a dataset in batches (PyTorch's <c>torch.utils.data.DataLoader</c>): each enumeration is one epoch that
/// visits every sample once, in order or (with <c>shuffle</c>) in a fresh random permutation drawn from the generator
/// when the epoch starts, groups the indices into batches of <see cref="BatchSize"/> (the last one smaller unless
/// <see cref="DropLast"/>), and turns each batch of samples into a <typeparamref name="TBatch"/> with the collate function.
/// </summary>
/// <remarks>
/// With <c>prefetch</c> &gt; 0 a background thread reads and collates up to that many batches ahead of the consumer into
/// a bounded queue; an exception thrown by the dataset or the collate function on that thread is rethrown to the
/// consumer (with its original type and stack) at the batch where it happened, after the batches before it. With
/// <c>prefetch</c> = 0 batches are made on the consumer's thread when asked for. Leaving a <c>foreach</c> early or
/// disposing the loader stops the worker.
/// </remarks>
/// <typeparam name="T">The sample type.</typeparam>
/// <typeparam name="TBatch">The batch type the collate function makes.</typeparam>
public sealed class DataLoader<T, TBatch> : IEnumerable<TBatch>, IDisposable
{
    private readonly Func<IReadOnlyList<T>, TBatch> _collate;
    private readonly Generator? _generator;
    private readonly int _prefetch;
    private readonly HashSet<Epoch> _active = [];
    private bool _disposed;

    /// <summary>Creates a loader over <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="collate">Turns the samples of one batch (in batch order) into a batch, e.g. <see cref="Collate.StackFields"/>.</param>
    /// <param name="batchSize">Samples per batch (PyTorch's default 1).</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a new random order.</param>
    /// <param name="generator">The generator for shuffling; null for the default one (see <see cref="Tensor.ManualSeed"/>).</param>
    /// <param name="dropLast">Whether to drop the last batch when it would be smaller than <paramref name="batchSize"/>.</param>
    /// <param name="prefetch">How many batches a background thread may prepare ahead; 0 for none (no thread).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive, or <paramref name="prefetch"/> is negative.</exception>
    public DataLoader(IDataset<T> dataset, Func<IReadOnlyList<T>, TBatch> collate, int batchSize = 1, bool shuffle = false, Generator? generator = null, bool dropLast = false, int prefetch = 2)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(collate);
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batch_size should be a positive integer value, but got batch_size={batchSize}");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(prefetch);
        Dataset = dataset;
        _collate = collate;
        BatchSize = batchSize;
        Shuffle = shuffle;
        _generator = generator;
        DropLast = dropLast;
        _prefetch = prefetch;
    }

    /// <summary>The dataset.</summary>
    public IDataset<T> Dataset { get; }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last, smaller batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch (<c>len(loader)</c>): <c>⌊n / batchSize⌋</c> with <see cref="DropLast"/>, else <c>⌈n / batchSize⌉</c>.</summary>
    public int Count => DropLast ? Dataset.Count / BatchSize : (int)(((long)Dataset.Count + BatchSize - 1) / BatchSize);

    /// <summary>Starts an epoch: draws the order now (so the sequence of epochs is reproducible from the generator's seed).</summary>
    /// <exception cref="ObjectDisposedException">The loader was disposed.</exception>
    public IEnumerator<TBatch> GetEnumerator()
    {
        int n = Dataset.Count;
        int[] order = Shuffle ? Data.Dataset.Permutation(n, _generator) : Enumerable.Range(0, n).ToArray();
        var epoch = new Epoch(this, order);
        lock (_active)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _active.Add(epoch);
        }

        epoch.Start();
        return epoch;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Stops every running epoch's worker and refuses new epochs.</summary>
    public void Dispose()
    {
        Epoch[] running;
        lock (_active)
        {
            _disposed = true;
            running = [.. _active];
        }

        foreach (Epoch epoch in running)
        {
            epoch.Dispose();
        }
    }

    /// <summary>The batch <paramref name="batch"/> of <paramref name="order"/>: its samples, collated.</summary>
    private TBatch MakeBatch(int[] order, int batch)
    {
        int start = batch * BatchSize, count = Math.Min(BatchSize, order.Length - start);
        var samples = new T[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = Dataset[order[start + i]];
        }

        return _collate(samples);
    }

    /// <summary>One pass over the data, with its own worker and queue.</summary>
    private sealed class Epoch(DataLoader<T, TBatch> loader, int[] order) : IEnumerator<TBatch>
    {
        private readonly int _batches = loader.DropLast ? order.Length / loader.BatchSize : (order.Length + loader.BatchSize - 1) / loader.BatchSize;
        private readonly CancellationTokenSource _cancel = new();
        private BlockingCollection<TBatch>? _queue;
        private Thread? _worker;
        private ExceptionDispatchInfo? _failure;
        private int _next;
        private TBatch _current = default!;
        private bool _disposed;

        public TBatch Current => _current;

        object? IEnumerator.Current => _current;

        internal void Start()
        {
            if (loader._prefetch == 0 || _batches == 0)
            {
                return;
            }

            _queue = new BlockingCollection<TBatch>(loader._prefetch);
            _worker = new Thread(Produce) { IsBackground = true, Name = "DataLoader worker" };
            _worker.Start();
        }

        private void Produce()
        {
            try
            {
                for (int b = 0; b < _batches && !_cancel.IsCancellationRequested; b++)
                {
                    _queue!.Add(loader.MakeBatch(order, b), _cancel.Token);
                }
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                // The consumer stopped: nothing more to deliver.
            }
#pragma warning disable CA1031 // any failure of user code on the worker is handed to the consumer, not lost
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _queue!.CompleteAdding();
            }
        }

        public bool MoveNext()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_queue is null)
            {
                if (_next >= _batches)
                {
                    return false;
                }

                _current = loader.MakeBatch(order, _next++);
                return true;
            }

            if (_queue.TryTake(out TBatch? batch, Timeout.Infinite))
            {
                _current = batch;
                _next++;
                return true;
            }

            // The worker completed the queue: either every batch was delivered or it failed at batch _next.
            _failure?.Throw();
            return false;
        }

        public void Reset() => throw new NotSupportedException("Start a new epoch with GetEnumerator instead.");

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _cancel.Cancel();
            _worker?.Join();
            _cancel.Dispose();
            lock (loader._active)
            {
                loader._active.Remove(this);
            }
        }
    }
}

/// <summary>Loaders with the default collate functions.</summary>
public static class DataLoader
{
    /// <summary>
    /// A loader over samples that are tensor tuples (e.g. a <see cref="TensorDataset"/>): each batch stacks field <c>j</c>
    /// of its samples into one tensor with a new leading batch dimension (<see cref="Collate.StackFields"/>).
    /// </summary>
    /// <inheritdoc cref="DataLoader{T, TBatch}.DataLoader" path="/param"/>
    public static DataLoader<Tensor[], Tensor[]> Create(IDataset<Tensor[]> dataset, int batchSize = 1, bool shuffle = false, Generator? generator = null, bool dropLast = false, int prefetch = 2) =>
        new(dataset, Collate.StackFields, batchSize, shuffle, generator, dropLast, prefetch);

    /// <summary>A loader over tensor samples: each batch stacks its samples along a new leading dimension (<see cref="Collate.Stack"/>).</summary>
    /// <inheritdoc cref="DataLoader{T, TBatch}.DataLoader" path="/param"/>
    public static DataLoader<Tensor, Tensor> Create(IDataset<Tensor> dataset, int batchSize = 1, bool shuffle = false, Generator? generator = null, bool dropLast = false, int prefetch = 2) =>
        new(dataset, Collate.Stack, batchSize, shuffle, generator, dropLast, prefetch);
}

/// <summary>Collate functions (PyTorch's <c>default_collate</c> for tensors and tuples of tensors).</summary>
public static class Collate
{
    /// <summary>The samples stacked along a new dimension 0: shape <c>[batch, …sample shape]</c>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return Tensor.Stack(samples);
    }

    /// <summary>For samples that are tuples of tensors, field <c>j</c> of every sample stacked along a new dimension 0.</summary>
    /// <exception cref="ArgumentException">The samples have different numbers of fields.</exception>
    public static Tensor[] StackFields(IReadOnlyList<Tensor[]> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return [];
        }

        int fields = samples[0].Length;
        var column = new Tensor[samples.Count];
        var batch = new Tensor[fields];
        for (int j = 0; j < fields; j++)
        {
            for (int i = 0; i < samples.Count; i++)
            {
                if (samples[i].Length != fields)
                {
                    throw new ArgumentException("each element in list of batch should be of equal size", nameof(samples));
                }

                column[i] = samples[i][j];
            }

            batch[j] = Tensor.Stack(column);
        }

        return batch;
    }
}
