using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>IsContiguous follows PyTorch's is_contiguous(): views that happen to be row-major are contiguous.</summary>
public class ContiguityTests
{
    [Fact]
    public void RowMajorViews_AreContiguous()
    {
        var x = Tensor.Arange(12f).Reshape(3, 4);
        x.IsContiguous.Should().BeTrue();
        x.T.IsContiguous.Should().BeFalse();
        x.T.T.IsContiguous.Should().BeTrue();
        x.Select(0, 1).IsContiguous.Should().BeTrue();
        x.Select(1, 1).IsContiguous.Should().BeFalse();
        x.Slice(1, 0, 4, 2).IsContiguous.Should().BeFalse();

        // Size-1 dimensions are never stepped over, so their strides are ignored: (1, 3)ᵀ is contiguous.
        Tensor.Ones(1, 3).T.IsContiguous.Should().BeTrue();
        x.Slice(1, 2, 3).IsContiguous.Should().BeFalse();
        x.Slice(0, 1, 2).Slice(1, 1, 3).IsContiguous.Should().BeTrue();

        // A tensor with no elements is contiguous; an expanded one is not.
        x.Slice(1, 4).IsContiguous.Should().BeTrue();
        Tensor.Ones(3, 1).Expand(3, 2).IsContiguous.Should().BeFalse();
    }

    [Fact]
    public void ContiguousView_IsNotCopiedByContiguous()
    {
        var x = Tensor.Arange(12f).Reshape(3, 4);
        Tensor row = x.Slice(0, 1, 2).Slice(1, 1, 3);
        row.Contiguous().Should().BeSameAs(row);
        x.T.Contiguous().IsContiguous.Should().BeTrue();
    }
}
