namespace Autograd;

/// <summary>
/// One entry of an index, as in PyTorch's <c>x[1, 2:5:2, None, ..., t]</c>: an integer, a slice, a new axis or an
/// ellipsis (basic indexing, which returns a view), or an int64 or bool tensor (advanced indexing, which copies). Converts implicitly from <see cref="int"/>, <see cref="Index"/> (<c>^1</c>) and
/// <see cref="Range"/> (<c>1..^1</c>, <c>..</c>), so <c>x[.., 1..3]</c> and <c>x[^1, 0]</c> read as in C#.
/// </summary>
/// <remarks>
/// Bounds of slices and ranges follow Python: they clamp to the dimension instead of throwing. Integer indices must
/// be in range; a negative <see cref="int"/> counts from the end, as in Python. A tensor entry converts implicitly from
/// <see cref="Tensor"/>: an int64 tensor picks entries of its dimension (negative entries count from the end), a bool
/// mask stands for the indices of its true elements over as many dimensions as it has.
/// </remarks>
public readonly struct TensorIndex : IEquatable<TensorIndex>
{
    private readonly int _index;
    private readonly bool _fromEnd;
    private readonly int? _start;
    private readonly int? _end;
    private readonly int _step;
    private readonly Tensor? _tensor;

    private TensorIndex(TensorIndexKind kind, int index, bool fromEnd, int? start, int? end, int step, Tensor? tensor = null)
    {
        _tensor = tensor;
        Kind = kind;
        _index = index;
        _fromEnd = fromEnd;
        _start = start;
        _end = end;
        _step = step;
    }

    /// <summary>PyTorch's <c>None</c>: inserts a dimension of size 1.</summary>
    public static TensorIndex NewAxis { get; } = new(TensorIndexKind.NewAxis, 0, false, null, null, 1);

    /// <summary>PyTorch's <c>...</c>: as many full slices as the other entries leave dimensions.</summary>
    public static TensorIndex Ellipsis { get; } = new(TensorIndexKind.Ellipsis, 0, false, null, null, 1);

    /// <summary>What this entry does.</summary>
    public TensorIndexKind Kind { get; }

    /// <summary>Python's <c>start:end:step</c>; null bounds mean the whole extent, negative bounds count from the end.</summary>
    /// <exception cref="ArgumentException"><paramref name="step"/> is not positive.</exception>
    public static TensorIndex Slice(int? start = null, int? end = null, int step = 1) =>
        step > 0 ? new(TensorIndexKind.Slice, 0, false, start, end, step) : throw new ArgumentException("slice step must be positive", nameof(step));

    /// <summary>An integer index (selects and removes the dimension); negative counts from the end, as in Python.</summary>
    public static TensorIndex At(int index) => new(TensorIndexKind.Select, index, false, null, null, 1);

    /// <summary>An integer index; <c>^k</c> counts from the end (so <c>^0</c> is out of range).</summary>
    public static TensorIndex FromIndex(Index index) => new(TensorIndexKind.Select, index.Value, index.IsFromEnd, null, null, 1);

    /// <summary>A slice with step 1; <c>^k</c> bounds count from the end (<c>^0</c> is the end). Bounds clamp, as in Python.</summary>
    public static TensorIndex FromRange(Range range) =>
        new(TensorIndexKind.Slice, 0, false, Bound(range.Start, isStart: true), Bound(range.End, isStart: false), 1);

    /// <summary>
    /// A tensor index (advanced indexing): an int64 tensor of indices into its dimension, or a bool mask over as many
    /// dimensions as it has. Several int64 tensors broadcast together, as in PyTorch.
    /// </summary>
    /// <remarks>Other dtypes are refused when the index is applied, with PyTorch's message.</remarks>
    public static TensorIndex FromTensor(Tensor index) =>
        new(TensorIndexKind.Tensor, 0, false, null, null, 1, index ?? throw new ArgumentNullException(nameof(index)));

    /// <inheritdoc cref="FromTensor"/>
    public static implicit operator TensorIndex(Tensor index) => FromTensor(index);

    /// <inheritdoc cref="At"/>
    public static implicit operator TensorIndex(int index) => At(index);

    /// <inheritdoc cref="FromIndex"/>
    public static implicit operator TensorIndex(Index index) => FromIndex(index);

    /// <inheritdoc cref="FromRange"/>
    public static implicit operator TensorIndex(Range range) => FromRange(range);

    /// <summary>For a select entry: the index as written, negative when counted from the end.</summary>
    internal int WrittenIndex => _fromEnd ? -_index : _index;

    internal int? SliceStart => _start;

    internal int? SliceEnd => _end;

    internal int SliceStep => _step;

    /// <summary>For a tensor entry: the index tensor.</summary>
    internal Tensor? IndexTensor => _tensor;

    /// <summary>For a select entry: the index into a dimension of <paramref name="size"/> (possibly out of range).</summary>
    internal int Resolve(int size) => _fromEnd ? size - _index : _index < 0 ? _index + size : _index;

    /// <inheritdoc/>
    public bool Equals(TensorIndex other) =>
        Kind == other.Kind && _index == other._index && _fromEnd == other._fromEnd && _start == other._start && _end == other._end && _step == other._step && ReferenceEquals(_tensor, other._tensor);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorIndex other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, _index, _fromEnd, _start, _end, _step, _tensor is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_tensor));

    /// <summary>Equality of entries.</summary>
    public static bool operator ==(TensorIndex left, TensorIndex right) => left.Equals(right);

    /// <summary>Inequality of entries.</summary>
    public static bool operator !=(TensorIndex left, TensorIndex right) => !left.Equals(right);

    /// <summary>Formats the entry: <c>1</c>, <c>^1</c>, <c>1:5:2</c>, <c>None</c>, <c>...</c>, or the tensor.</summary>
    public override string ToString() => Kind switch
    {
        TensorIndexKind.Select => (_fromEnd ? "^" : string.Empty) + _index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        TensorIndexKind.Slice => $"{_start}:{_end}" + (_step == 1 ? string.Empty : $":{_step}"),
        TensorIndexKind.NewAxis => "None",
        TensorIndexKind.Tensor => _tensor!.ToString(),
        _ => "...",
    };

    /// <summary>
    /// A range bound as a Python slice bound: ^k is −k; ^0 is "to the end" as an end, and as a start int.MaxValue,
    /// which clamps to the size (an empty slice), as Python's <c>x[n:]</c>.
    /// </summary>
    private static int? Bound(Index index, bool isStart) => index.IsFromEnd
        ? (index.Value == 0 ? (isStart ? int.MaxValue : null) : -index.Value)
        : index.Value;
}

/// <summary>The kinds of <see cref="TensorIndex"/> entries.</summary>
public enum TensorIndexKind
{
    /// <summary>Selects one index and removes the dimension.</summary>
    Select,

    /// <summary>Keeps a strided range of the dimension.</summary>
    Slice,

    /// <summary>Inserts a dimension of size 1 (PyTorch's <c>None</c>).</summary>
    NewAxis,

    /// <summary>Stands for as many full slices as needed (PyTorch's <c>...</c>).</summary>
    Ellipsis,

    /// <summary>An int64 or bool tensor (advanced indexing: the result is a copy).</summary>
    Tensor,
}
