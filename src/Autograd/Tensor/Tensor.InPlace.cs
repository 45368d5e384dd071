using Autograd.Kernels;

namespace Autograd;

/// <summary>
/// In-place updates (C# 14 compound assignment): <c>w -= 0.1f * w.Grad</c> changes <c>w</c>'s storage, as Python's
/// <c>-=</c> does on a tensor, so every view of it sees the change, and bumps the version its views share.
/// </summary>
/// <remarks>
/// When grad mode is on and this tensor or the written value requires grad, the update is recorded as PyTorch records
/// it: the new value is computed out of place from the current value (and its history), written into the storage, and
/// this tensor takes the result's history. Written through a view, the view's base is rebased instead
/// (<see cref="CopySlicesBackward"/>: gradients flow to the base's old values outside the view and to the written value
/// inside it), and the view becomes a view of the rebased base. A leaf that requires grad, or a view of one, refuses
/// with PyTorch's errors. Other views of the same base taken before the write keep their old history.
/// </remarks>
public sealed partial class Tensor
{
    /// <summary>In place: <c>this = this + other</c> (other broadcast to this shape).</summary>
    public void operator +=(Tensor other) =>
        InPlace(other, savesSelf: false, current => current + other, () => Elementwise.BinaryInPlace<AddOperator>(this, other));

    /// <summary>In place: <c>this = this - other</c> (other broadcast to this shape).</summary>
    public void operator -=(Tensor other) =>
        InPlace(other, savesSelf: false, current => current - other, () => Elementwise.BinaryInPlace<SubtractOperator>(this, other));

    /// <summary>In place: <c>this = this ⊙ other</c> (other broadcast to this shape).</summary>
    public void operator *=(Tensor other) =>
        InPlace(other, savesSelf: other.RequiresGrad, current => current * other, () => Elementwise.BinaryInPlace<MultiplyOperator>(this, other));

    /// <summary>In place: <c>this = this / other</c> (other broadcast to this shape).</summary>
    public void operator /=(Tensor other) =>
        InPlace(other, savesSelf: other.RequiresGrad, current => current / other, () => Elementwise.BinaryInPlace<DivideOperator>(this, other));

    /// <summary>In place: adds a scalar to every element.</summary>
    public void operator +=(float other) =>
        InPlace(null, savesSelf: false, current => current + other, () => Elementwise.ScalarInPlace<AddOperator>(this, other));

    /// <summary>In place: subtracts a scalar from every element.</summary>
    public void operator -=(float other) =>
        InPlace(null, savesSelf: false, current => current - other, () => Elementwise.ScalarInPlace<SubtractOperator>(this, other));

    /// <summary>In place: multiplies every element by a scalar.</summary>
    public void operator *=(float other) =>
        InPlace(null, savesSelf: false, current => current * other, () => Elementwise.ScalarInPlace<MultiplyOperator>(this, other));

    /// <summary>In place: divides every element by a scalar.</summary>
    public void operator /=(float other) =>
        InPlace(null, savesSelf: false, current => current / other, () => Elementwise.ScalarInPlace<DivideOperator>(this, other));

    /// <summary>In place: adds an integer scalar (an integer tensor keeps its dtype; a float tensor takes the value as a float).</summary>
    public void operator +=(long other) =>
        InPlace(null, savesSelf: false, current => current + other, () => Elementwise.ScalarInPlace<AddOperator>(this, (float)other));

    /// <summary>In place: adds a double scalar (a float32 tensor takes it as a float, as PyTorch's wrapped numbers).</summary>
    public void operator +=(double other) =>
        InPlace(null, savesSelf: false, current => current + other, () => Elementwise.ScalarInPlace<AddOperator>(this, (float)other));

    /// <summary>In place: subtracts an integer scalar (an integer tensor keeps its dtype; a float tensor takes the value as a float).</summary>
    public void operator -=(long other) =>
        InPlace(null, savesSelf: false, current => current - other, () => Elementwise.ScalarInPlace<SubtractOperator>(this, (float)other));

    /// <summary>In place: subtracts a double scalar (a float32 tensor takes it as a float, as PyTorch's wrapped numbers).</summary>
    public void operator -=(double other) =>
        InPlace(null, savesSelf: false, current => current - other, () => Elementwise.ScalarInPlace<SubtractOperator>(this, (float)other));

    /// <summary>In place: multiplies by an integer scalar (an integer tensor keeps its dtype; a float tensor takes the value as a float).</summary>
    public void operator *=(long other) =>
        InPlace(null, savesSelf: false, current => current * other, () => Elementwise.ScalarInPlace<MultiplyOperator>(this, (float)other));

    /// <summary>In place: multiplies by a double scalar (a float32 tensor takes it as a float, as PyTorch's wrapped numbers).</summary>
    public void operator *=(double other) =>
        InPlace(null, savesSelf: false, current => current * other, () => Elementwise.ScalarInPlace<MultiplyOperator>(this, (float)other));

    /// <summary>In place: divides by an integer scalar (an integer tensor keeps its dtype; a float tensor takes the value as a float).</summary>
    public void operator /=(long other) =>
        InPlace(null, savesSelf: false, current => current / other, () => Elementwise.ScalarInPlace<DivideOperator>(this, (float)other));

    /// <summary>In place: divides by a double scalar (a float32 tensor takes it as a float, as PyTorch's wrapped numbers).</summary>
    public void operator /=(double other) =>
        InPlace(null, savesSelf: false, current => current / other, () => Elementwise.ScalarInPlace<DivideOperator>(this, (float)other));

    /// <summary>Sets every element to zero (PyTorch's <c>zero_()</c>, like <see cref="Span{T}.Clear"/>).</summary>
    public void Clear() => Fill(0f);

    /// <summary>Sets every element to <paramref name="value"/> (PyTorch's <c>fill_()</c>).</summary>
    public void Fill(float value) =>
        InPlace(null, savesSelf: false, _ => Full(_shape, value, _dtype), () => Elementwise.ScalarInPlace<CopyOperator>(this, value));

    /// <summary>Copies <paramref name="source"/>'s elements (broadcast to this shape) into this tensor (PyTorch's <c>copy_()</c>).</summary>
    public void CopyFrom(Tensor source) =>
        InPlace(source, savesSelf: false, _ => source.To(_dtype).Expand(_shape), () => Elementwise.BinaryInPlace<CopyOperator>(this, source));

    /// <summary>
    /// Runs an in-place update: <paramref name="kernel"/> when nothing is recorded (float32 operands; other dtypes write
    /// the out-of-place result), else the recorded rebase described on the type.
    /// </summary>
    /// <param name="other">The tensor operand, if any.</param>
    /// <param name="savesSelf">Whether the out-of-place op saves its left operand for backward; it then gets a copy of
    /// the current value, since the storage is about to be overwritten.</param>
    /// <param name="outOfPlace">The new value from the current one, written with recorded tensor ops.</param>
    /// <param name="kernel">The unrecorded in-place float32 kernel.</param>
    private void InPlace(Tensor? other, bool savesSelf, Func<Tensor, Tensor> outOfPlace, Action kernel)
    {
        if (other is not null)
        {
            ArgumentNullException.ThrowIfNull(other);
        }

        CheckNoOverlap();
        CheckInferenceWrite();
        bool record = GradMode.IsEnabled && (_requiresGrad || (other?._requiresGrad ?? false));
        if (!record)
        {
            CheckInPlace();
            if (_dtype == DType.Float32 && (other is null || other._dtype == DType.Float32))
            {
                // The kernel validates before it writes; the version counts only a write that happened.
                kernel();
                BumpVersion();
                return;
            }

            Tensor value;
            using (GradMode.NoGrad())
            {
                value = outOfPlace(this);
            }

            WriteValues(value);
            return;
        }

        CheckRecordedInPlace();
        Tensor current = WithCurrentHistory(this);
        Tensor result = outOfPlace(savesSelf ? current.Clone() : current);
        WriteValues(result);
        if (AutogradBase() is { } owner)
        {
            // A view: the base takes a history in which the view's region holds the result (PyTorch's CopySlices).
            var region = new ViewGeometry(_shape, _strides ?? Autograd.Shape.ContiguousStrides(_shape), _offset - owner._offset);
            Tensor ownerBefore = WithCurrentHistory(owner);
            owner._gradFn = new CopySlicesBackward(ownerBefore, result, region);
            owner._requiresGrad = true;
            _gradFn = new AsStridedBackward(owner, region);
            _requiresGrad = true;
            return;
        }

        if (!result._requiresGrad)
        {
            // Overwritten by a constant (Fill, or CopyFrom of a tensor that needs no grad): PyTorch keeps the tensor in
            // the graph, sending zeros to its old history (FillBackward, CopyBackwards).
            _gradFn = new OverwrittenBackward(current);
            _requiresGrad = true;
            return;
        }

        _gradFn = result._gradFn;
        _requiresGrad = result._requiresGrad;
    }

    /// <summary>An alias of <paramref name="tensor"/>'s storage that carries its history as it is now.</summary>
    private static Tensor WithCurrentHistory(Tensor tensor) =>
        new(tensor, tensor._offset, tensor._shape, tensor._strides) { _gradFn = tensor._gradFn, _requiresGrad = tensor._requiresGrad };

    /// <summary>The storage owner whose history a write through this view must rebase, or null when this is no view.</summary>
    private Tensor? AutogradBase() => _base is { } owner && !_detachedAlias && owner._strides is null ? owner : null;

    /// <summary>
    /// Copies <paramref name="value"/> (broadcast to this shape, cast to this dtype) into this tensor's storage,
    /// recording nothing, and bumps the version. PyTorch refuses a cast from floating to integral or bool, or from
    /// integral to bool.
    /// </summary>
    private void WriteValues(Tensor value)
    {
        if (!DTypes.CanCast(value._dtype, _dtype))
        {
            throw new InvalidOperationException($"result type {value._dtype.ScalarTypeName()} can't be cast to the desired output type {_dtype.ScalarTypeName()}");
        }

        BumpVersion();
        if (_dtype == DType.Float32)
        {
            Elementwise.BinaryInPlace<CopyOperator>(this, value.ConvertedTo(DType.Float32));
            return;
        }

        Array values = Kernels.TypedElementwise.OperandArray(value, _dtype, _shape);
        Kernels.Conversion.ScatterStrided(values, Storage, _offset, _shape, _strides ?? Autograd.Shape.ContiguousStrides(_shape));
    }

    /// <summary>PyTorch's refusals for a recorded in-place update: leaves that require grad and views of them.</summary>
    private void CheckRecordedInPlace()
    {
        if (_gradFn is null && _requiresGrad && AutogradBase() is null)
        {
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
        }

        if (AutogradBase() is { _gradFn: null, _requiresGrad: true })
        {
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        }

        if (_noGradViewOfGradBase)
        {
            throw new InvalidOperationException(
                "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).");
        }
    }

    /// <summary>Refuses a write into a tensor whose elements share memory (an expanded view).</summary>
    private void CheckNoOverlap()
    {
        if (_strides is not null)
        {
            for (int d = 0; d < _strides.Length; d++)
            {
                if (_strides[d] == 0 && _shape[d] > 1)
                {
                    throw new InvalidOperationException(
                        "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.");
                }
            }
        }
    }
}

/// <summary>
/// <c>out = c</c> written over a tensor x in place (a fill, or a copy of a value that needs no grad): ∂L/∂x = 0, sent as
/// zeros so x's leaves get a zero gradient rather than none, as in PyTorch.
/// </summary>
internal sealed class OverwrittenBackward(Tensor before) : Node(before)
{
    protected internal override Tensor?[] Apply(Tensor grad) => [Tensor.ZerosLike(grad, grad._dtype)];
}

/// <summary>
/// The history of a base after a write into its view (PyTorch's <c>CopySlices</c>): out = base with the view's region
/// replaced by the written value r. ∂L/∂base_before = g with the region zeroed; ∂L/∂r = g's region (summed back to r's
/// shape by the engine).
/// </summary>
internal sealed class CopySlicesBackward(Tensor before, Tensor written, ViewGeometry region) : Node(before, written)
{
    private readonly int[] _baseShape = before._shape;

    /// <summary>PyTorch's name for this node.</summary>
    public override string Name => "CopySlices";

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor? inside = NeedsInputGrad(1) || NeedsInputGrad(0) ? grad.AsStrided(region) : null;
        return
        [
            NeedsInputGrad(0) ? grad - inside!.AsStridedScatter(_baseShape, region) : null,
            NeedsInputGrad(1) ? inside : null,
        ];
    }
}
