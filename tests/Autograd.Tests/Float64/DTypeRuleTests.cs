using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Float64;

/// <summary>
/// What each op does with dtypes other than float32, as PyTorch 1.13 on the CPU does (each case checked with
/// <c>python3 -c 'import torch; …'</c>): result dtypes, refused dtypes and their messages, and mixed operands.
/// </summary>
public class DTypeRuleTests
{
    private static Tensor Of(DType dtype) => Tensor.From([1.0, 0.0, 1.0]).To(dtype);

    public static TheoryData<string, DType, DType> ResultTypes => new()
    {
        // Floating ops promote integers and bools to the default float.
        { "exp", DType.Int64, DType.Float32 },
        { "log", DType.Int32, DType.Float32 },
        { "sin", DType.Bool, DType.Float32 },
        { "sigmoid", DType.Int64, DType.Float32 },
        { "sqrt", DType.Int64, DType.Float32 },
        { "pow2.5", DType.Int64, DType.Float32 },
        { "pow2", DType.Int64, DType.Float32 },   // int64 ** 2.0: a floating exponent

        // relu, integral powers, max, clone and dot keep integers.
        { "relu", DType.Int64, DType.Int64 },
        { "relu", DType.Int32, DType.Int32 },
        { "powint2", DType.Int32, DType.Int32 },   // int32 ** 2: an integer exponent
        { "powint2", DType.Bool, DType.Int64 },
        { "powint2", DType.Float64, DType.Float64 },
        { "max", DType.Int64, DType.Int64 },
        { "max", DType.Bool, DType.Bool },
        { "clone", DType.Int32, DType.Int32 },
        { "dot", DType.Int64, DType.Int64 },
        { "matmul", DType.Int64, DType.Int64 },

        // bfloat16 everywhere, float16 where PyTorch's CPU has a kernel.
        { "exp", DType.BFloat16, DType.BFloat16 },
        { "relu", DType.BFloat16, DType.BFloat16 },
        { "matmul", DType.BFloat16, DType.BFloat16 },
        { "logsoftmax", DType.BFloat16, DType.BFloat16 },
        { "pow2", DType.Float16, DType.Float16 },
        { "mean", DType.Float16, DType.Float16 },
        { "norm", DType.Float16, DType.Float16 },
        { "max", DType.Float16, DType.Float16 },
    };

    private static Tensor Apply(string op, Tensor x) => op switch
    {
        "exp" => x.Exp(),
        "log" => x.Log(),
        "sin" => x.Sin(),
        "cos" => x.Cos(),
        "tanh" => x.Tanh(),
        "sigmoid" => x.Sigmoid(),
        "relu" => x.Relu(),
        "sqrt" => x.Sqrt(),
        "pow2" => x.Pow(2f),
        "pow2.5" => x.Pow(2.5f),
        "powint2" => x.Pow(2L),
        "powint-1" => x.Pow(-1L),
        "mean" => x.Mean(),
        "norm" => x.Norm(),
        "max" => x.Max(),
        "clone" => x.Clone(),
        "dot" => Tensor.Dot(x, x),
        "matmul" => Tensor.MatMul(x.Reshape(1, 3), x.Reshape(3, 1)),
        "logsoftmax" => Functional.LogSoftmax(x),
        "nll" => Functional.NllLoss(x.Reshape(1, 3), [0]),
        "bce" => Functional.BinaryCrossEntropyWithLogits(x, x),
        _ => throw new ArgumentException(op),
    };

    [Fact]
    public void IntegerPow_IsExact_AndWrapsAsPyTorch()
    {
        // 3⁵ = 243, (−2)⁵ = −32, 2⁵ = 32; 2⁶⁴ wraps to 0 in int64; int32 7¹² = 13841287201 wraps to 13841287201 − 3·2³² = 956385313.
        Tensor.From([3L, -2L, 2L]).Pow(5L).ToArray<long>().Should().Equal(243, -32, 32);
        Tensor.From([2L]).Pow(64L).ToArray<long>().Should().Equal(0);
        Tensor.From([7]).Pow(12L).ToArray<int>().Should().Equal(956385313);
        Tensor.From([2L, 3L]).Pow(-1.0).ToArray<float>().Should().Equal(0.5f, 1f / 3f);
    }

    [Theory]
    [MemberData(nameof(ResultTypes))]
    public void ResultDType_FollowsPyTorch(string op, DType input, DType expected) =>
        Apply(op, Of(input)).DType.Should().Be(expected);

    [Theory]
    [InlineData("exp", DType.Float16, "\"exp_vml_cpu\" not implemented for 'Half'")]
    [InlineData("log", DType.Float16, "\"log_vml_cpu\" not implemented for 'Half'")]
    [InlineData("sin", DType.Float16, "\"sin_vml_cpu\" not implemented for 'Half'")]
    [InlineData("cos", DType.Float16, "\"cos_vml_cpu\" not implemented for 'Half'")]
    [InlineData("tanh", DType.Float16, "\"tanh_vml_cpu\" not implemented for 'Half'")]
    [InlineData("sigmoid", DType.Float16, "\"sigmoid_cpu\" not implemented for 'Half'")]
    [InlineData("relu", DType.Float16, "\"clamp_min_cpu\" not implemented for 'Half'")]
    [InlineData("sqrt", DType.Float16, "\"sqrt_vml_cpu\" not implemented for 'Half'")]
    [InlineData("dot", DType.Float16, "\"dot\" not implemented for 'Half'")]
    [InlineData("dot", DType.Bool, "\"dot\" not implemented for 'Bool'")]
    [InlineData("matmul", DType.Float16, "\"addmm_impl_cpu_\" not implemented for 'Half'")]
    [InlineData("matmul", DType.Bool, "\"addmm_impl_cpu_\" not implemented for 'Bool'")]
    [InlineData("logsoftmax", DType.Float16, "\"log_softmax_lastdim_kernel_impl\" not implemented for 'Half'")]
    [InlineData("logsoftmax", DType.Int64, "\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'")]
    [InlineData("nll", DType.Float16, "\"nll_loss_out_frame\" not implemented for 'Half'")]
    [InlineData("nll", DType.Int32, "\"nll_loss_out_frame\" not implemented for 'Int'")]
    [InlineData("bce", DType.Float16, "\"clamp_min_cpu\" not implemented for 'Half'")]
    [InlineData("relu", DType.Bool, "Boolean inputs not supported for relu")]
    [InlineData("powint-1", DType.Int64, "Integers to negative integer powers are not allowed.")]
    [InlineData("mean", DType.Int64, "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long")]
    [InlineData("norm", DType.Int32, "norm(): input dtype should be either floating point or complex. Got Int instead.")]
    [InlineData("bce", DType.Int64, "result type Float can't be cast to the desired output type Long")]
    public void RefusedDTypes_ThrowPyTorchsMessage(string op, DType input, string message) =>
        FluentActions.Invoking(() => Apply(op, Of(input))).Should().Throw<Exception>().WithMessage(message);

    [Fact]
    public void MatMulDotAndLinear_DoNotPromote_AsInPyTorch()
    {
        Tensor f32 = Tensor.Ones([2, 3]), f64 = Tensor.Ones([3, 2], DType.Float64);

        FluentActions.Invoking(() => Tensor.MatMul(f32, f64)).Should().Throw<InvalidOperationException>().WithMessage("expected scalar type Float but found Double");
        FluentActions.Invoking(() => Tensor.MatMul(f64, f32)).Should().Throw<InvalidOperationException>().WithMessage("expected scalar type Double but found Float");
        FluentActions.Invoking(() => Tensor.Dot(Tensor.Ones([3]), Tensor.Ones([3], DType.Float64))).Should().Throw<InvalidOperationException>()
            .WithMessage("dot : expected both vectors to have same dtype, but found Float and Double");
        FluentActions.Invoking(() => Tensor.MatMul(Tensor.Ones([3]), Tensor.Ones([3], DType.Float64))).Should().Throw<InvalidOperationException>()
            .WithMessage("dot : expected both vectors to have same dtype, but found Float and Double");
        FluentActions.Invoking(() => Functional.Linear(Tensor.Ones([2, 3], DType.Float64), Tensor.Ones([4, 3]))).Should().Throw<InvalidOperationException>()
            .WithMessage("expected scalar type Double but found Float");
        FluentActions.Invoking(() => Functional.Linear(Tensor.Ones([2, 3]), Tensor.Ones([4, 3]), Tensor.Ones([4], DType.Float64))).Should().Throw<InvalidOperationException>()
            .WithMessage("self and mat2 must have the same dtype");
    }

    [Fact]
    public void MixedLosses_TakePyTorchsResultDType_AndGradientsTheInputsDTypes()
    {
        // PyTorch builds the loss in place on (1 − target): the result has the target's dtype.
        var x64 = Tensor.From([0.5, -1.0, 2.0], requiresGrad: true);
        var y32 = Tensor.From([1f, 0f, 0.5f]);
        Tensor loss = Functional.BinaryCrossEntropyWithLogits(x64, y32);
        loss.DType.Should().Be(DType.Float32);
        loss.Backward();
        x64.Grad!.DType.Should().Be(DType.Float64);

        var x32 = Tensor.From([0.5f, -1f, 2f], requiresGrad: true);
        Functional.BinaryCrossEntropyWithLogits(x32, Tensor.From([1.0, 0.0, 0.5])).DType.Should().Be(DType.Float64);

        // Element-wise ops do promote: a float32 weight times a float64 input is float64, each gradient in its own dtype.
        var w = Tensor.From([2f, 3f, 4f], requiresGrad: true);
        Tensor product = (w * x64).Sum();
        product.DType.Should().Be(DType.Float64);
        product.Backward();
        w.Grad!.DType.Should().Be(DType.Float32);
        w.Grad!.ToArray().Should().Equal(0.5f, -1f, 2f);
    }
}
