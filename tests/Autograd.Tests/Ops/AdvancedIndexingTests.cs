using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>
/// Hand-derived values and gradients of the indexing ops (index_select, gather, scatter, scatter_add, index_add,
/// index_put, take, x[tensor] and x[tensor] = v), the other dtypes, the in-place rules of the setter, and finite
/// differences. PyTorch's own values and messages are replayed by <see cref="IndexReferenceTests"/>.
/// </summary>
public class AdvancedIndexingTests
{
    private static Tensor L(params long[] values) => Tensor.From(values);

    [Fact]
    public void IndexSelect_RepeatedRows_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [3, 2], requiresGrad: true);

        Tensor y = x.IndexSelect(0, L(2, 0, 2));
        y.ShouldBe([3, 2], [5f, 6f, 1f, 2f, 5f, 6f]);
        y.GradFn!.ToString().Should().Be("<IndexSelectBackward>");

        // out[k] = x[idx[k]]: row 2 is read twice, row 1 never, so ∂Σout/∂x counts the reads per row: 1, 0, 2.
        y.Sum().Backward();
        x.Grad.ShouldBe([3, 2], [1f, 1f, 0f, 0f, 2f, 2f]);
    }

    [Fact]
    public void Gather_Dim1_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        // out[i][j] = x[i][idx[i][j]]: row 0 reads column 2 twice, row 1 reads columns 0 and 1.
        Tensor y = x.Gather(1, Tensor.From(new long[,] { { 2, 2 }, { 0, 1 } }));
        y.ShouldBe([2, 2], [3f, 3f, 4f, 5f]);

        // ∂L/∂x = zeros.scatter_add(1, idx, g): g = [[1, 2], [3, 4]] → x[0][2] gets 1 + 2; x[1][0] 3; x[1][1] 4.
        y.Backward(Tensor.From([1f, 2f, 3f, 4f], [2, 2]));
        x.Grad.ShouldBe([2, 3], [0f, 0f, 3f, 3f, 4f, 0f]);
    }

    [Fact]
    public void Scatter_Src_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);
        var src = Tensor.From([10f, 20f, 30f], [1, 3], requiresGrad: true);

        // dim 0, index [[1, 0, 1]]: out[1][0] = 10, out[0][1] = 20, out[1][2] = 30; the rest is x.
        Tensor y = x.Scatter(0, Tensor.From(new long[,] { { 1, 0, 1 } }), src);
        y.ShouldBe([2, 3], [1f, 20f, 3f, 10f, 5f, 30f]);

        // ∂L/∂x = g with the overwritten positions zeroed; ∂L/∂src = g.gather(0, idx) = [g[1][0], g[0][1], g[1][2]].
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));
        x.Grad.ShouldBe([2, 3], [1f, 0f, 3f, 0f, 5f, 0f]);
        src.Grad.ShouldBe([1, 3], [4f, 2f, 6f]);
    }

    [Fact]
    public void ScatterValue_And_ScatterAdd_RepeatedIndices_HandDerived()
    {
        var x = Tensor.Zeros([3], requiresGrad: true);
        var src = Tensor.From([1f, 2f, 3f], requiresGrad: true);

        // Index [0, 0, 2]: out[0] = 1 + 2, out[2] = 3.
        Tensor y = x.ScatterAdd(0, L(0, 0, 2), src);
        y.ShouldBe([3], [3f, 0f, 3f]);

        // ∂L/∂x = g; ∂L/∂src[k] = g[idx[k]] = [g0, g0, g2].
        y.Backward(Tensor.From([1f, 10f, 100f]));
        x.Grad.ShouldBe([3], [1f, 10f, 100f]);
        src.Grad.ShouldBe([3], [1f, 1f, 100f]);

        Tensor.From([1f, 2f, 3f]).Scatter(0, L(2, 0), 7.5).ShouldBe([3], [7.5f, 2f, 7.5f]);
    }

    [Fact]
    public void IndexAdd_RepeatedIndices_Alpha_HandDerived()
    {
        var x = Tensor.Zeros([2, 2], requiresGrad: true);
        var source = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        // Both source rows go to row 1, times α = 2: 2·([1, 2] + [3, 4]) = [8, 12].
        Tensor y = x.IndexAdd(0, L(1, 1), source, alpha: 2);
        y.ShouldBe([2, 2], [0f, 0f, 8f, 12f]);

        // ∂L/∂x = g; ∂L/∂source = α·g.index_select(0, idx) = 2·[g[1], g[1]].
        y.Backward(Tensor.From([1f, 2f, 3f, 4f], [2, 2]));
        x.Grad.ShouldBe([2, 2], [1f, 2f, 3f, 4f]);
        source.Grad.ShouldBe([2, 2], [6f, 8f, 6f, 8f]);
    }

    [Fact]
    public void IndexPut_Accumulate_And_Overwrite_HandDerived()
    {
        // Accumulate: indices [1, 1, −1] → out[1] = 1 + 2, out[2] = 4.
        Tensor.Zeros(3).IndexPut([L(1, 1, -1)], Tensor.From([1f, 2f, 4f]), accumulate: true).ShouldBe([3], [0f, 3f, 4f]);

        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var v = Tensor.Scalar(5f, requiresGrad: true);
        Tensor y = x.IndexPut([L(0, 2)], v);
        y.ShouldBe([3], [5f, 2f, 5f]);

        // Overwritten positions get no gradient: ∂L/∂x = [0, g1, 0]. v is broadcast to both: ∂L/∂v = g0 + g2.
        y.Backward(Tensor.From([1f, 2f, 3f]));
        x.Grad.ShouldBe([3], [0f, 2f, 0f]);
        v.Grad.ShouldBeScalar(4f);
    }

    [Fact]
    public void Take_NegativeAndRepeated_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        // x.flatten() = [1..6]: indices −1 → 6, 0 → 1, 5 → 6.
        Tensor y = x.Take(Tensor.From(new long[,] { { -1, 0, 5 } }));
        y.ShouldBe([1, 3], [6f, 1f, 6f]);

        // ∂L/∂x.flatten()[5] = g0 + g2, [0] = g1.
        y.Backward(Tensor.From([1f, 2f, 3f], [1, 3]));
        x.Grad.ShouldBe([2, 3], [2f, 0f, 0f, 0f, 0f, 4f]);
    }

    [Fact]
    public void GetItem_RepeatedIndices_AccumulateGradients()
    {
        var x = Tensor.From([0f, 1f, 2f, 3f], requiresGrad: true);

        Tensor y = x[L(1, 1, -1)];
        y.ShouldBe([3], [1f, 1f, 3f]);
        y.GradFn!.ToString().Should().Be("<IndexBackward>");

        // y = [x1, x1, x3]: ∂Σy/∂x = [0, 2, 0, 1].
        y.Sum().Backward();
        x.Grad.ShouldBe([4], [0f, 2f, 0f, 1f]);
    }

    [Fact]
    public void GetItem_Placement_OfAdvancedDimensions()
    {
        // x[i, j, k] = 12i + 4j + k.
        Tensor x = Tensor.Arange(24, DType.Int64).View(2, 3, 4);

        // Separated by a slice, the broadcast dimension comes first: out[n][c] = x[i[n], c, j[n]].
        Tensor front = x[L(0, 1), .., L(0, 3)];
        front.Shape.ToArray().Should().Equal(2, 3);
        front.ToArray<long>().Should().Equal(0, 4, 8, 15, 19, 23);

        // Adjacent, it stays in place: out[a][n] = x[a, i[n], j[n]] = 12a + 4i + j with (i, j) = (0, 3), (2, 1).
        Tensor inPlace = x[.., L(0, 2), L(3, 1)];
        inPlace.Shape.ToArray().Should().Equal(2, 2);
        inPlace.ToArray<long>().Should().Equal(3, 9, 15, 21);

        // Index tensors broadcast: [2, 1] with [3] → [2, 3], then the remaining dimension.
        Tensor broadcast = x[Tensor.From(new long[,] { { 0 }, { 1 } }), L(0, 1, 2)];
        broadcast.Shape.ToArray().Should().Equal(2, 3, 4);
        broadcast[1, 2, ..].ToArray<long>().Should().Equal(20, 21, 22, 23);

        // A 2-d index replaces one dimension by two; an int entry is applied first (PyTorch's order, not NumPy's).
        x[.., Tensor.From(new long[,] { { 0, 1 }, { 2, 2 } })].Shape.ToArray().Should().Equal(2, 2, 2, 4);
        x[0, .., L(0, 1)].Shape.ToArray().Should().Equal(3, 2);
    }

    [Fact]
    public void GetItem_LoneZeroDimensionalIndex_Selects()
    {
        // PyTorch: x[torch.tensor(1)] is x[1] (SelectBackward, a view); with another tensor entry it is an advanced index.
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [3, 2], requiresGrad: true);
        Tensor row = x[Tensor.Scalar(-1, DType.Int64)];
        row.ShouldBe([2], [5f, 6f]);
        row.GradFn!.ToString().Should().Be("<SelectBackward>");

        Tensor picked = x[Tensor.Scalar(1, DType.Int64), L(1, 0)];
        picked.ShouldBe([2], [4f, 3f]);
        picked.GradFn!.ToString().Should().Be("<IndexBackward>");

        Tensor y = Tensor.Zeros(3);
        y[Tensor.Scalar(2, DType.Int64)] = 7f;
        y.ShouldBe([3], [0f, 0f, 7f]);
    }

    [Fact]
    public void GetItem_Masks()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        // A full mask picks the true elements in row-major order.
        Tensor y = x[Tensor.From(new bool[,] { { true, false }, { false, true } })];
        y.ShouldBe([2], [1f, 4f]);
        y.Backward(Tensor.From([10f, 20f]));
        x.Grad.ShouldBe([2, 2], [10f, 0f, 0f, 20f]);

        // A mask over dimension 1 after a slice; a 0-d mask adds a dimension of 1 (true) or 0 (false).
        Tensor.Arange(6f).View(2, 3)[.., Tensor.From([true, false, true])].ShouldBe([2, 2], [0f, 2f, 3f, 5f]);
        Tensor.Arange(6f).View(2, 3)[Tensor.Scalar(1, DType.Bool)].Shape.ToArray().Should().Equal(1, 2, 3);
        Tensor.Arange(6f).View(2, 3)[Tensor.Scalar(0, DType.Bool)].Shape.ToArray().Should().Equal(0, 2, 3);
    }

    [Fact]
    public void Float64_ValuesAndGradients_StayDouble()
    {
        var x = Tensor.From([1.0, 2.0, 3.0], requiresGrad: true);

        Tensor y = x.IndexSelect(0, L(2, 2)) * x.Gather(0, L(0, 1));
        y.DType.Should().Be(DType.Float64);
        y.ToArray<double>().Should().Equal(3.0, 6.0);

        // y = [x2·x0, x2·x1]: ∂Σy/∂x = [x2, x2, x0 + x1] = [3, 3, 3].
        y.Sum().Backward();
        x.Grad!.DType.Should().Be(DType.Float64);
        x.Grad.ToArray<double>().Should().Equal(3.0, 3.0, 3.0);
    }

    [Fact]
    public void PureCopies_WorkForEveryDType()
    {
        Tensor longs = Tensor.From([10L, 20L, 30L]);
        longs[L(-1, 0)].ToArray<long>().Should().Equal(30, 10);
        longs.Gather(0, L(1, 1)).ToArray<long>().Should().Equal(20, 20);
        longs.IndexAdd(0, L(0, 0), Tensor.From([1L, 2L])).ToArray<long>().Should().Equal(13, 20, 30);

        Tensor ints = Tensor.From([1, 2, 3]);
        ints.Take(L(2)).ToArray<int>().Should().Equal(3);
        ints.ScatterAdd(0, L(0, 0), Tensor.From([5, 5])).ToArray<int>().Should().Equal(11, 2, 3);

        // Bool accumulation is logical or, as PyTorch's bool addition.
        Tensor flags = Tensor.From([false, false, true]);
        flags.IndexPut([L(0, 0)], Tensor.From([true, false]), accumulate: true).ToArray<bool>().Should().Equal(true, false, true);
        flags.Scatter(0, L(2), 0).ToArray<bool>().Should().Equal(false, false, false);

        Tensor halves = Tensor.From([(Half)1, (Half)2]);
        halves.IndexSelect(0, L(1)).ToArray<Half>().Should().Equal((Half)2);
    }

    [Fact]
    public void SetItem_WritesInPlace_AndBumpsTheVersion()
    {
        Tensor x = Tensor.Zeros(4);
        int version = x.Version;

        x[L(1, -1)] = Tensor.From([5f, 6f]);
        x.ShouldBe([4], [0f, 5f, 0f, 6f]);
        x.Version.Should().Be(version + 1);

        // A mask and a scalar; a double value is converted to the tensor's dtype.
        x[Tensor.From([true, false, false, true])] = 1f;
        x.ShouldBe([4], [1f, 5f, 0f, 1f]);
        x[L(2)] = Tensor.Scalar(2.5, DType.Float64);
        x.ShouldBe([4], [1f, 5f, 2.5f, 1f]);

        // Through a strided view: rows 2 and 0 of mᵀ (columns of m) each get [7, 8], in the shared storage.
        Tensor m = Tensor.Zeros(2, 3);
        m.T[L(2, 0)] = Tensor.From([7f, 8f]);
        m.ShouldBe([2, 3], [7f, 0f, 7f, 8f, 0f, 8f]);
        m[1.., L(1)] = 9f;
        m.ShouldBe([2, 3], [7f, 0f, 7f, 8f, 9f, 8f]);
    }

    [Fact]
    public void SetItem_FollowsTheInPlaceRules_AndFailsWithoutWriting()
    {
        var leaf = Tensor.Zeros([3], requiresGrad: true);
        Action write = () => leaf[L(0)] = 1f;
        write.Should().Throw<InvalidOperationException>().WithMessage("a leaf Variable that requires grad is being used in an in-place operation.");

        using (GradMode.NoGrad())
        {
            leaf[L(0)] = 1f;
        }

        leaf.ShouldBe([3], [1f, 0f, 0f]);

        // An index out of range anywhere in the list: nothing is written, the version is unchanged.
        Tensor x = Tensor.Zeros(3);
        int version = x.Version;
        Action bad = () => x[L(0, 1, 3)] = Tensor.From([1f, 2f, 3f]);
        bad.Should().Throw<ArgumentOutOfRangeException>().WithMessage("index 3 is out of bounds for dimension 0 with size 3*");
        x.ShouldBe([3], [0f, 0f, 0f]);
        x.Version.Should().Be(version);
    }

    [Fact]
    public void ZeroDimensional_Self()
    {
        // PyTorch: a 0-d tensor has one "dimension" of size 1; index_select returns its element, gather reads it.
        Tensor s = Tensor.Scalar(3f);
        s.IndexSelect(0, L(0, 0)).ShouldBeScalar(3f);
        s.Gather(0, L(0, 0)).ShouldBe([2], [3f, 3f]);
        s.Take(L(0, -1)).ShouldBe([2], [3f, 3f]);
        s.IndexAdd(0, L(0), Tensor.Scalar(2f)).ShouldBeScalar(5f);
    }

    [Fact]
    public void SavedIndex_ModifiedInPlace_FailsBackward_AndRetainedGraphRepeats()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        Tensor index = L(0, 2);
        Tensor y = x[index];
        index[L(0)] = Tensor.From([1L]);

        Action backward = () => y.Sum().Backward();
        backward.Should().Throw<InvalidOperationException>().WithMessage("one of the variables needed for gradient computation has been modified by an inplace operation*");

        // Retained, the same backward runs twice and accumulates: 2·[1, 0, 1].
        Tensor z = x.Gather(0, L(0, 2));
        z.Sum().Backward(retainGraph: true);
        z.Sum().Backward();
        x.Grad.ShouldBe([3], [2f, 0f, 2f]);
    }

    [Fact]
    public void DTypeAndShapeErrors_HavePyTorchsMessages()
    {
        // Messages of PyTorch 1.13 for inputs the fixture (float32 values only) cannot hold.
        Tensor x = Tensor.Zeros(3, 4);
        Tensor doubles = Tensor.Zeros([1, 4], DType.Float64);
        Tensor ints = Tensor.From([0]);
        ((Action)(() => x.Scatter(0, Tensor.Zeros([1, 4], DType.Int64), doubles))).Should().Throw<ArgumentException>().WithMessage("scatter(): Expected self.dtype to be equal to src.dtype*");
        ((Action)(() => x.Scatter(0, Tensor.Zeros([1, 1], DType.Int32), 1.0))).Should().Throw<ArgumentException>().WithMessage("scatter(): Expected dtype int64 for index*");
        ((Action)(() => x.IndexPut([L(0)], Tensor.Scalar(1.0, DType.Float64)))).Should().Throw<ArgumentException>().WithMessage("Index put requires the source and destination dtypes match, got Float for the destination and Double for the source.*");
        ((Action)(() => x.IndexAdd(0, L(0), doubles))).Should().Throw<ArgumentException>().WithMessage("index_add_(): self (Float) and source (Double) must have the same scalar type*");
        ((Action)(() => x.IndexAdd(0, Tensor.From(new long[,] { { 0 } }), Tensor.Zeros(1, 4)))).Should().Throw<ArgumentException>().WithMessage("index_add_(): Index is supposed to be a vector, but got dim: 2 with type: Long and size: [1, 1]*");
        ((Action)(() => x.Take(ints))).Should().Throw<ArgumentException>().WithMessage("take(): Expected a long tensor for index, but got Int*");
        ((Action)(() => x.IndexSelect(0, Tensor.From([0f])))).Should().Throw<ArgumentException>().WithMessage("index_select(): Expected dtype int32 or int64 for index*");
        ((Action)(() => x.Gather(2, Tensor.Zeros([1, 1], DType.Int64)))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
        ((Action)(() => x.IndexPut([L(0), L(0), L(0)], Tensor.Scalar(1f)))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("too many indices for tensor of dimension 2 (got 3)*");
    }

    [Fact]
    public void SetItem_FromOverlappingMemory_IsRefused_AsInPyTorch()
    {
        // x[[1, 2, 3]] = x[0:3] would read what it writes: PyTorch refuses it, and so does the library, before writing.
        Tensor x = Tensor.Arange(4f);
        Action overlapping = () => x[L(1, 2, 3)] = x[0..3];
        overlapping.Should().Throw<InvalidOperationException>().WithMessage("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location.*");
        x.ShouldBe([4], [0f, 1f, 2f, 3f]);

        // Disjoint parts of one storage are fine: x[:2][[1, 0]] = x[2:].
        x[..2][L(1, 0)] = x[2..];
        x.ShouldBe([4], [3f, 2f, 2f, 3f]);
    }

    [Fact]
    public void SecondDerivative_ThroughGatherAndIndexSelect()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);

        // f = Σ x[idx]² with idx = [0, 0, 2]: ∂f/∂x = [4x0, 0, 2x2] = [4, 0, 6]; Σ of that has gradient [4, 0, 2].
        Tensor picked = x.Gather(0, L(0, 0, 2));
        (picked * picked).Sum().Backward(createGraph: true);
        Tensor first = x.Grad!;
        first.ShouldBe([3], [4f, 0f, 6f]);
        x.Grad = null;
        first.Sum().Backward();
        x.Grad.ShouldBe([3], [4f, 0f, 2f]);
    }

    [Fact]
    public void GradCheck_EveryOp()
    {
        Tensor x = OpTest.Uniform([3, 4], -1f, 1f, 301);
        Tensor s = OpTest.Uniform([3, 4], -1f, 1f, 302);
        Tensor idx2 = Tensor.From(new long[,] { { 2, 0, 2, 1 }, { 0, 0, 1, 1 } });
        GradCheck.Assert(t => t[0].IndexSelect(1, L(3, 1, 3)), [x]);
        GradCheck.Assert(t => t[0].Gather(0, idx2), [x]);
        GradCheck.Assert(t => t[0].Scatter(0, Tensor.From(new long[,] { { 2, 0, 1, 1 }, { 0, 1, 2, 0 } }), t[1][..2, ..]), [x, s]);
        GradCheck.Assert(t => t[0].Scatter(1, idx2, -2.0), [x]);
        GradCheck.Assert(t => t[0].ScatterAdd(0, idx2, t[1][..2, ..]), [x, s]);
        GradCheck.Assert(t => t[0].IndexAdd(0, L(2, 2, 0), t[1], alpha: 0.5), [x, s]);
        GradCheck.Assert(t => t[0].IndexPut([L(0, 2, 0), L(1, -1, 1)], t[1][0, ..3], accumulate: true), [x, s]);
        GradCheck.Assert(t => t[0].IndexPut([null, L(3, 0)], t[1][.., 0..1]), [x, s]);
        GradCheck.Assert(t => t[0].Take(L(11, -1, 0, 4)), [x]);
        GradCheck.Assert(t => t[0][L(2, 2), .., TensorIndex.NewAxis], [x]);
        Tensor mask = Tensor.From([.. x.ToArray().Select(v => v > 0)], [3, 4]);
        GradCheck.Assert(t => t[0][L(0, 2), L(3, 3)] * t[0][mask].Sum(), [x]);
        GradCheck.Assert(t => t[0][.., Tensor.From([true, false, true, true])], [x]);
    }
}
