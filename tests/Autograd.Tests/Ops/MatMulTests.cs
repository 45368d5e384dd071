using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class MatMulTests
{
    // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]];  A·B = [[19, 22], [43, 50]].
    private static Tensor A(bool requiresGrad = true) => Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad);

    private static Tensor B(bool requiresGrad = true) => Tensor.From([5f, 6f, 7f, 8f], [2, 2], requiresGrad);

    [Fact]
    public void Matrix_Matrix_HandDerived()
    {
        Tensor a = A(), b = B();

        Tensor c = Tensor.MatMul(a, b);
        c.ShouldBe([2, 2], [19f, 22f, 43f, 50f]);
        c.Backward(Tensor.From([1f, 0f, 0f, 2f], [2, 2]));

        // ∂L/∂A = G·Bᵀ = [[1, 0], [0, 2]]·[[5, 7], [6, 8]] = [[5, 7], [12, 16]].
        a.Grad.ShouldBe([2, 2], [5f, 7f, 12f, 16f]);

        // ∂L/∂B = Aᵀ·G = [[1, 3], [2, 4]]·[[1, 0], [0, 2]] = [[1, 6], [2, 8]].
        b.Grad.ShouldBe([2, 2], [1f, 6f, 2f, 8f]);
        c.GradFn!.ToString().Should().Be("<MatMulBackward>");
    }

    [Fact]
    public void Vector_Vector_IsDot()
    {
        var u = Tensor.From([1f, 2f], requiresGrad: true);
        var v = Tensor.From([3f, 4f], requiresGrad: true);

        Tensor c = Tensor.MatMul(u, v);
        c.ShouldBeScalar(11f);
        c.Backward(Tensor.Scalar(3f));

        // ∂(u·v)/∂u = v → g·v = [9, 12];  ∂/∂v = g·u = [3, 6].
        u.Grad.ShouldBe([2], [9f, 12f]);
        v.Grad.ShouldBe([2], [3f, 6f]);
    }

    [Fact]
    public void Vector_Matrix_HandDerived()
    {
        var v = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor b = B();

        Tensor c = v.MatMul(b);
        c.ShouldBe([2], [19f, 22f]);
        c.Backward(Tensor.From([1f, -1f]));

        // c = vᵀB (v as a 1×2 row): ∂L/∂v = B·g = [5 − 6, 7 − 8] = [−1, −1];  ∂L/∂B = v gᵀ = [[1, −1], [2, −2]].
        v.Grad.ShouldBe([2], [-1f, -1f]);
        b.Grad.ShouldBe([2, 2], [1f, -1f, 2f, -2f]);
    }

    [Fact]
    public void Matrix_Vector_HandDerived()
    {
        Tensor a = A();
        var v = Tensor.From([1f, 2f], requiresGrad: true);

        Tensor c = Tensor.MatMul(a, v);
        c.ShouldBe([2], [5f, 11f]);
        c.Backward(Tensor.From([1f, 2f]));

        // c = A·v (v as a 2×1 column): ∂L/∂A = g vᵀ = [[1, 2], [2, 4]];  ∂L/∂v = Aᵀg = [1 + 6, 2 + 8] = [7, 10].
        a.Grad.ShouldBe([2, 2], [1f, 2f, 2f, 4f]);
        v.Grad.ShouldBe([2], [7f, 10f]);
    }

    [Fact]
    public void Batched_3d_2d_Broadcast_SumsRightGradientOverBatch()
    {
        // Two 1×2 matrices [[1, 2]] and [[3, 4]] times one 2×1 matrix [[5], [6]].
        var a = Tensor.From([1f, 2f, 3f, 4f], [2, 1, 2], requiresGrad: true);
        var b = Tensor.From([5f, 6f], [2, 1], requiresGrad: true);

        Tensor c = Tensor.MatMul(a, b);
        c.ShouldBe([2, 1, 1], [17f, 39f]);
        c.Backward(Tensor.From([1f, 2f], [2, 1, 1]));

        // ∂L/∂A[k] = G[k]·Bᵀ = gₖ·[5, 6] → [[5, 6]], [[10, 12]].
        a.Grad.ShouldBe([2, 1, 2], [5f, 6f, 10f, 12f]);

        // B is shared by the batch: ∂L/∂B = Σₖ A[k]ᵀG[k] = [1, 2]ᵀ·1 + [3, 4]ᵀ·2 = [[7], [10]].
        b.Grad.ShouldBe([2, 1], [7f, 10f]);
    }

    [Fact]
    public void Batched_3d_3d_HandDerived()
    {
        // Batch 0: A·B from above; batch 1: identity times B.
        var a = Tensor.From([1f, 2f, 3f, 4f, 1f, 0f, 0f, 1f], [2, 2, 2], requiresGrad: true);
        var b = Tensor.From([5f, 6f, 7f, 8f, 5f, 6f, 7f, 8f], [2, 2, 2], requiresGrad: true);

        Tensor c = Tensor.MatMul(a, b);
        c.ShouldBe([2, 2, 2], [19f, 22f, 43f, 50f, 5f, 6f, 7f, 8f]);
        c.Sum().Backward();

        // With G = ones: ∂L/∂A[k] = 1·B[k]ᵀ has rows of B's row sums [11, 15];  ∂L/∂B[k] = A[k]ᵀ·1 has A's column sums.
        a.Grad.ShouldBe([2, 2, 2], [11f, 15f, 11f, 15f, 11f, 15f, 11f, 15f]);
        b.Grad.ShouldBe([2, 2, 2], [4f, 4f, 6f, 6f, 1f, 1f, 1f, 1f]);
    }

    [Fact]
    public void TransposedViewOperands_HandDerived()
    {
        // Stored as Aᵀ and Bᵀ; multiplying the .T views must give A·B, and each leaf receives the transposed gradient.
        var at = Tensor.From([1f, 3f, 2f, 4f], [2, 2], requiresGrad: true);
        var bt = Tensor.From([5f, 7f, 6f, 8f], [2, 2], requiresGrad: true);

        Tensor c = Tensor.MatMul(at.T, bt.T);
        c.ShouldBe([2, 2], [19f, 22f, 43f, 50f]);
        c.Backward(Tensor.From([1f, 0f, 0f, 2f], [2, 2]));

        // ∂L/∂A = [[5, 7], [12, 16]] and ∂L/∂B = [[1, 6], [2, 8]] (see Matrix_Matrix_HandDerived), transposed.
        at.Grad.ShouldBe([2, 2], [5f, 12f, 7f, 16f]);
        bt.Grad.ShouldBe([2, 2], [1f, 2f, 6f, 8f]);
    }

    [Fact]
    public void SecondDerivative_OfQuadraticForm()
    {
        // q(x) = xᵀMx with M = [[1, 2], [3, 4]]:  ∇q = (M + Mᵀ)x,  ∇²q = M + Mᵀ = [[2, 5], [5, 8]].
        Tensor m = A(requiresGrad: false);
        var x = Tensor.From([1f, -1f], requiresGrad: true);

        Tensor.MatMul(x, Tensor.MatMul(m, x)).Backward(createGraph: true);
        Tensor gradient = x.Grad!;

        // (M + Mᵀ)x = [2 − 5, 5 − 8] = [−3, −3].
        gradient.ShouldBe([2], [-3f, -3f]);

        x.Grad = null;
        gradient.Sum().Backward();

        // ∂(Σᵢ ∇q_i)/∂x = 1ᵀ(M + Mᵀ) = column sums [7, 13].
        x.Grad.ShouldBe([2], [7f, 13f]);
    }

    [Fact]
    public void SecondDerivative_MatrixProductInBothOperands()
    {
        // L = Σ (A·B) ⊙ (A·B):  ∂L/∂A = 2(A·B)·Bᵀ; differentiate Σ ∂L/∂A again with respect to A:
        // Σᵢⱼ 2(ABBᵀ)ᵢⱼ = 2·1ᵀA(BBᵀ)1 → ∂/∂A = 2·1·(BBᵀ1)ᵀ, every row 2·(BBᵀ1)ᵀ.
        // B = [[5, 6], [7, 8]]: BBᵀ = [[61, 83], [83, 113]], BBᵀ1 = [144, 196] → rows [288, 392].
        Tensor a = A(), b = B(requiresGrad: false);
        Tensor c = Tensor.MatMul(a, b);

        (c * c).Sum().Backward(createGraph: true);
        Tensor gradient = a.Grad!;

        // 2(A·B)·Bᵀ = 2·[[19, 22], [43, 50]]·[[5, 7], [6, 8]] = 2·[[227, 309], [515, 701]].
        gradient.ShouldBe([2, 2], [454f, 618f, 1030f, 1402f]);

        a.Grad = null;
        gradient.Sum().Backward();
        a.Grad.ShouldBe([2, 2], [288f, 392f, 288f, 392f]);
    }

    public static TheoryData<int[], int[]> RankCombinations => new()
    {
        { [3], [3] },
        { [3], [3, 4] },
        { [2, 3], [3] },
        { [2, 3], [3, 4] },
        { [2, 2, 3], [2, 3, 4] },
        { [2, 2, 3], [3, 4] },
        { [2, 3], [2, 3, 4] },
        { [3], [2, 3, 4] },
        { [2, 2, 3], [3] },
        { [2, 1, 2, 3], [3, 3, 2] },
        { [1, 2, 3], [2, 3, 4] },
        { [1, 3], [3, 1] },
    };

    [Theory]
    [MemberData(nameof(RankCombinations))]
    public void GradCheck_RankCombinations(int[] shapeA, int[] shapeB) =>
        GradCheck.Assert(t => Tensor.MatMul(t[0], t[1]), [OpTest.Uniform(shapeA, -1f, 1f, 171), OpTest.Uniform(shapeB, -1f, 1f, 172)]);

    [Fact]
    public void GradCheck_TransposedViews()
    {
        GradCheck.Assert(t => Tensor.MatMul(t[0].T, t[1]), [OpTest.Uniform([3, 2], -1f, 1f, 173), OpTest.Uniform([3, 4], -1f, 1f, 174)]);
        GradCheck.Assert(t => Tensor.MatMul(t[0], t[1].T), [OpTest.Uniform([2, 3], -1f, 1f, 175), OpTest.Uniform([4, 3], -1f, 1f, 176)]);
        GradCheck.Assert(t => Tensor.MatMul(t[0].T, t[1].T), [OpTest.Uniform([3, 2], -1f, 1f, 177), OpTest.Uniform([4, 3], -1f, 1f, 178)]);
        GradCheck.Assert(t => Tensor.MatMul(t[0].Transpose(1, 2), t[1].Transpose(-1, -2)), [OpTest.Uniform([2, 3, 2], -1f, 1f, 179), OpTest.Uniform([2, 4, 3], -1f, 1f, 180)]);
        GradCheck.Assert(t => Tensor.MatMul(t[0], t[1].Transpose(0, 1)), [OpTest.Uniform([2, 2, 3], -1f, 1f, 181), OpTest.Uniform([4, 3], -1f, 1f, 182)]);
    }

    [Fact]
    public void GradCheck_ExpandedAndStridedOperands()
    {
        // Zero-stride (expanded) and non-unit-stride operands take the kernel's copy path.
        GradCheck.Assert(t => Tensor.MatMul(t[0].Expand(2, 3), t[1]), [OpTest.Uniform([1, 3], -1f, 1f, 183), OpTest.Uniform([3, 2], -1f, 1f, 184)]);
        GradCheck.Assert(t => Tensor.MatMul(t[0], t[1].Expand(3, 2)), [OpTest.Uniform([2, 3], -1f, 1f, 185), OpTest.Uniform([3, 1], -1f, 1f, 186)]);
        GradCheck.Assert(t => Tensor.MatMul(t[0].Transpose(0, 2), t[1]), [OpTest.Uniform([3, 2, 2], -1f, 1f, 187), OpTest.Uniform([3, 2], -1f, 1f, 188)]);
    }

    [Fact]
    public void ExpandedVectorOperands_ReadTheRepeatedElement()
    {
        // A 0-d tensor expanded to a vector has stride 0: every element is the same stored value.
        var s = Tensor.Scalar(2f, requiresGrad: true);
        Tensor a = A(requiresGrad: false);

        Tensor left = Tensor.MatMul(s.Expand(2), a);
        Tensor right = Tensor.MatMul(a, s.Expand(2));

        // [2, 2]·A = 2·(column sums) = [8, 12];  A·[2, 2] = 2·(row sums) = [6, 14].
        left.ShouldBe([2], [8f, 12f]);
        right.ShouldBe([2], [6f, 14f]);

        // ∂/∂s Σ left = Σ of all of A = 10, and the same for right: 20 in total.
        (left.Sum() + right.Sum()).Backward();
        s.Grad.ShouldBeScalar(20f);
    }

    [Fact]
    public void GradCheck_ExpandedVectorOperands()
    {
        GradCheck.Assert(t => Tensor.MatMul(t[0].Expand(3), t[1]), [OpTest.Uniform([1], -1f, 1f, 191), OpTest.Uniform([3, 2], -1f, 1f, 192)]);
        GradCheck.Assert(t => Tensor.MatMul(t[0], t[1].Expand(3)), [OpTest.Uniform([2, 2, 3], -1f, 1f, 193), OpTest.Uniform([], -1f, 1f, 194)]);
        GradCheck.Assert(t => Tensor.MatMul(t[0].Expand(3), t[1].Expand(3)), [OpTest.Uniform([], -1f, 1f, 195), OpTest.Uniform([1], -1f, 1f, 196)]);
    }

    [Fact]
    public void GradCheck_SecondDerivative()
    {
        GradCheck.Assert(
            OpTest.Gradient(t => Tensor.MatMul(t[0], t[1]) * Tensor.MatMul(t[0], t[1]), wrt: 0),
            [OpTest.Uniform([2, 3], -1f, 1f, 189), OpTest.Uniform([3, 2], -1f, 1f, 190)]);
    }

    [Fact]
    public void RepeatedRowsOrColumns_MatchTheMaterialisedProduct()
    {
        // A repeats one row (row stride 0), B repeats one column (column stride 0), and G = ones expanded from a
        // scalar repeats both: the shortcut must give exactly what the full product of the copies gives.
        var rowRepeated = Tensor.Randn([1, 7], generator: new Generator(21)).Expand(5, 7);
        var columnRepeated = Tensor.Randn([7, 1], generator: new Generator(22)).Expand(7, 6);
        var general = Tensor.Randn([7, 6], generator: new Generator(23));
        var left = Tensor.Randn([5, 7], generator: new Generator(24));
        var ones = Tensor.Scalar(1f).Expand(5, 7);

        Tensor.MatMul(rowRepeated, general).ToArray().Should().Equal(Tensor.MatMul(rowRepeated.Contiguous(), general).ToArray(), (p, q) => Math.Abs(p - q) <= 1e-5f);
        Tensor.MatMul(left, columnRepeated).ToArray().Should().Equal(Tensor.MatMul(left, columnRepeated.Contiguous()).ToArray(), (p, q) => Math.Abs(p - q) <= 1e-5f);
        Tensor.MatMul(ones, general).ToArray().Should().Equal(Tensor.MatMul(ones.Contiguous(), general).ToArray(), (p, q) => Math.Abs(p - q) <= 1e-5f);

        // sum(A·B): ∂/∂A = 1·Bᵀ (each row is B's row sums), ∂/∂B = Aᵀ·1 (each column is A's column sums).
        var a = Tensor.Randn([4, 3], requiresGrad: true, generator: new Generator(25));
        var b = Tensor.Randn([3, 2], requiresGrad: true, generator: new Generator(26));
        Tensor.MatMul(a, b).Sum().Backward();
        float[] bRowSums = b.Detach().Sum(1).ToArray(), aColumnSums = a.Detach().Sum(0).ToArray();
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                a.Grad![i, j].Should().BeApproximately(bRowSums[j], 1e-5f);
                b.Grad![j, i % 2].Should().BeApproximately(aColumnSums[j], 1e-5f);
            }
        }
    }

    [Fact]
    public void InnerDimensionMismatch_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.MatMul(Tensor.Ones(2, 3), Tensor.Ones(4, 5));

        act.Should().Throw<ArgumentException>().WithMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)*");
    }

    [Fact]
    public void VectorMismatch_ThrowsWithPyTorchMessage()
    {
        Action rowVector = () => Tensor.MatMul(Tensor.Ones(3), Tensor.Ones(4, 5));
        Action dot = () => Tensor.MatMul(Tensor.Ones(3), Tensor.Ones(4));

        rowVector.Should().Throw<ArgumentException>().WithMessage("mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)*");
        dot.Should().Throw<ArgumentException>().WithMessage("inconsistent tensor size, expected tensor [3] and src [4]*");
    }

    [Fact]
    public void BatchMismatch_Throws()
    {
        Action act = () => Tensor.MatMul(Tensor.Ones(2, 2, 3), Tensor.Ones(3, 3, 4));

        act.Should().Throw<ArgumentException>()
            .WithMessage("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0*");
    }

    [Fact]
    public void ZeroDimOperand_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.MatMul(Tensor.Scalar(1f), Tensor.Ones(3));

        act.Should().Throw<ArgumentException>().WithMessage("both arguments to matmul need to be at least 1D, but they are 0D and 1D*");
    }
}
