using Autograd.Kernels;

namespace Autograd;

/// <summary>
/// In-place updates (C# 14 compound assignment): <c>w -= 0.1f * w.Grad</c> changes <c>w</c>'s storage, as Python's
/// <c>-=</c> does on a tensor, so every view of it sees the change. Not recorded in the graph: on a leaf that
/// requires grad they are allowed only under <see cref="GradMode.NoGrad"/>, as in PyTorch.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>In place: <c>this = this + other</c> (other broadcast to this shape).</summary>
    public void operator +=(Tensor other)
    {
        CheckWritable();
        Elementwise.BinaryInPlace<AddOperator>(this, other);
    }

    /// <summary>In place: <c>this = this - other</c> (other broadcast to this shape).</summary>
    public void operator -=(Tensor other)
    {
        CheckWritable();
        Elementwise.BinaryInPlace<SubtractOperator>(this, other);
    }

    /// <summary>In place: <c>this = this ⊙ other</c> (other broadcast to this shape).</summary>
    public void operator *=(Tensor other)
    {
        CheckWritable();
        Elementwise.BinaryInPlace<MultiplyOperator>(this, other);
    }

    /// <summary>In place: <c>this = this / other</c> (other broadcast to this shape).</summary>
    public void operator /=(Tensor other)
    {
        CheckWritable();
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
        ArgumentNullException.ThrowIfNull(source);
        CheckWritable();
        Elementwise.BinaryInPlace<CopyOperator>(this, source);
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
