using Autograd.Kernels;

namespace Autograd;

/// <summary>
/// In-place updates (C# 14 compound assignment): <c>w -= 0.1f * w.Grad</c> changes <c>w</c>'s storage, as Python's
/// <c>-=</c> does on a tensor, so every view of it sees the change. Not recorded in the graph: while grad mode is
/// on they refuse a leaf that requires grad (as PyTorch does), a tensor recorded in the graph, and a right operand
/// that requires grad (these two PyTorch records; here they throw rather than drop a gradient).
/// </summary>
public sealed partial class Tensor
{
    /// <summary>In place: <c>this = this + other</c> (other broadcast to this shape).</summary>
    public void operator +=(Tensor other)
    {
        CheckWritable(other);
        Elementwise.BinaryInPlace<AddOperator>(this, other);
    }

    /// <summary>In place: <c>this = this - other</c> (other broadcast to this shape).</summary>
    public void operator -=(Tensor other)
    {
        CheckWritable(other);
        Elementwise.BinaryInPlace<SubtractOperator>(this, other);
    }

    /// <summary>In place: <c>this = this ⊙ other</c> (other broadcast to this shape).</summary>
    public void operator *=(Tensor other)
    {
        CheckWritable(other);
        Elementwise.BinaryInPlace<MultiplyOperator>(this, other);
    }

    /// <summary>In place: <c>this = this / other</c> (other broadcast to this shape).</summary>
    public void operator /=(Tensor other)
    {
        CheckWritable(other);
        Elementwise.BinaryInPlace<DivideOperator>(this, other);
    }

    /// <summary>In place: adds a scalar to every element.</summary>
    public void operator +=(float other)
    {
        CheckWritable();
        Elementwise.ScalarInPlace<AddOperator>(this, other);
    }

    /// <summary>In place: subtracts a scalar from every element.</summary>
    public void operator -=(float other)
    {
        CheckWritable();
        Elementwise.ScalarInPlace<SubtractOperator>(this, other);
    }

    /// <summary>In place: multiplies every element by a scalar.</summary>
    public void operator *=(float other)
    {
        CheckWritable();
        Elementwise.ScalarInPlace<MultiplyOperator>(this, other);
    }

    /// <summary>In place: divides every element by a scalar.</summary>
    public void operator /=(float other)
    {
        CheckWritable();
        Elementwise.ScalarInPlace<DivideOperator>(this, other);
    }

    /// <summary>Sets every element to zero (PyTorch's <c>zero_()</c>, like <see cref="Span{T}.Clear"/>).</summary>
    public void Clear() => Fill(0f);

    /// <summary>Sets every element to <paramref name="value"/> (PyTorch's <c>fill_()</c>).</summary>
    public void Fill(float value)
    {
        CheckWritable();
        Elementwise.ScalarInPlace<CopyOperator>(this, value);
    }

    /// <summary>Copies <paramref name="source"/>'s elements (broadcast to this shape) into this tensor (PyTorch's <c>copy_()</c>).</summary>
    public void CopyFrom(Tensor source)
    {
        CheckWritable(source);
        Elementwise.BinaryInPlace<CopyOperator>(this, source);
    }

    /// <summary>
    /// <see cref="CheckWritable()"/>, and also refuses, while grad mode is on, to write a value that depends on a
    /// tensor requiring grad: the write is not recorded, so this tensor would carry that value without its gradient
    /// (PyTorch records it instead; here the out-of-place operator does).
    /// </summary>
    private void CheckWritable(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (GradMode.IsEnabled && other.RequiresGrad)
        {
            CheckInPlace();
            throw new NotSupportedException(
                $"In-place operations are not recorded in the graph, and the right operand requires grad (grad_fn={(object?)other._gradFn ?? "None"}): write the out-of-place form (y = y + x), or run the update under GradMode.NoGrad().");
        }

        CheckWritable();
    }

    /// <summary>Checks that this tensor may be written in place, and counts the write in its version.</summary>
    private void CheckWritable()
    {
        CheckInPlace();
        BumpVersion();
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
