using System.Text.Json;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;
using F = Autograd.NN.Functional;

namespace Autograd.Tests.Ops.Activations;

/// <summary>
/// The activations and softmax against PyTorch 1.13 (<c>Fixtures/activation_cases.json</c>, written by
/// <c>tools/reference/activation_cases.py</c>): values, gradients, second-order gradients, NaN/±∞/huge inputs,
/// kinks, empty and 0-d tensors, every softmax dimension, and PyTorch's error messages. A case is named
/// "&lt;op&gt;:&lt;variant&gt;"; <see cref="Ops"/> maps each op to the library call with the generator's arguments.
/// </summary>
public class ActivationReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("activation_cases.json"));

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["leaky_relu"] = t => F.LeakyRelu(t[0]),
        ["leaky_relu_0.2"] = t => F.LeakyRelu(t[0], 0.2),
        ["elu"] = t => F.Elu(t[0]),
        ["elu_0.5"] = t => F.Elu(t[0], 0.5),
        ["selu"] = t => F.Selu(t[0]),
        ["celu"] = t => F.Celu(t[0]),
        ["celu_2"] = t => F.Celu(t[0], 2.0),
        ["celu_0"] = t => F.Celu(t[0], 0.0),
        ["gelu"] = t => F.Gelu(t[0]),
        ["gelu_tanh"] = t => F.Gelu(t[0], approximate: "tanh"),
        ["gelu_bad"] = t => F.Gelu(t[0], approximate: "sigmoid"),
        ["silu"] = t => F.Silu(t[0]),
        ["mish"] = t => F.Mish(t[0]),
        ["softplus"] = t => F.Softplus(t[0]),
        ["softplus_2_5"] = t => F.Softplus(t[0], beta: 2.0, threshold: 5.0),
        ["softsign"] = t => F.Softsign(t[0]),
        ["hardtanh"] = t => F.Hardtanh(t[0]),
        ["hardtanh_-2_0.5"] = t => F.Hardtanh(t[0], -2.0, 0.5),
        ["relu6"] = t => F.Relu6(t[0]),
        ["hardsigmoid"] = t => F.Hardsigmoid(t[0]),
        ["hardswish"] = t => F.Hardswish(t[0]),
        ["logsigmoid"] = t => F.LogSigmoid(t[0]),
        ["tanhshrink"] = t => F.Tanhshrink(t[0]),
        ["softshrink"] = t => F.Softshrink(t[0]),
        ["softshrink_1"] = t => F.Softshrink(t[0], 1.0),
        ["softshrink_-0.25"] = t => F.Softshrink(t[0], -0.25),
        ["hardshrink"] = t => F.Hardshrink(t[0]),
        ["hardshrink_method_1"] = t => t[0].Hardshrink(1.0),
        ["glu"] = t => F.Glu(t[0]),
        ["glu_0"] = t => F.Glu(t[0], 0),
        ["glu_1"] = t => F.Glu(t[0], 1),
        ["glu_-2"] = t => F.Glu(t[0], -2),
        ["glu_3"] = t => F.Glu(t[0], 3),
        ["softmax_0"] = t => F.Softmax(t[0], 0),
        ["softmax_1"] = t => F.Softmax(t[0], 1),
        ["softmax_2"] = t => F.Softmax(t[0], 2),
        ["softmax_-1"] = t => F.Softmax(t[0], -1),
        ["softmax_-2"] = t => F.Softmax(t[0], -2),
        ["softmax_-3"] = t => F.Softmax(t[0], -3),
        ["log_softmax_0"] = t => F.LogSoftmax(t[0], 0),
        ["log_softmax_1"] = t => F.LogSoftmax(t[0], 1),
        ["log_softmax_2"] = t => F.LogSoftmax(t[0], 2),
        ["log_softmax_-1"] = t => F.LogSoftmax(t[0], -1),
        ["log_softmax_-2"] = t => F.LogSoftmax(t[0], -2),
        ["log_softmax_-3"] = t => F.LogSoftmax(t[0], -3),
        ["softmax_0_t"] = t => F.Softmax(t[0].Transpose(0, 1), 0),
        ["log_softmax_0_t"] = t => F.LogSoftmax(t[0].Transpose(0, 1), 0),
        ["softmax_method_1"] = t => t[0].Softmax(1),
        ["log_softmax_method_1"] = t => t[0].LogSoftmax(1),
        ["torch_softmax_1"] = t => Tensor.Softmax(t[0], 1),
        ["softmax_dtype_f64"] = t => F.Softmax(t[0], 1, DType.Float64),
        ["log_softmax_dtype_f64"] = t => F.LogSoftmax(t[0], 0, DType.Float64),
        ["log_softmax_implicit"] = t => F.LogSoftmax(t[0]),
    };

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name) => ReferenceFixture.Replay(name, s_cases.Value[name], Ops[OpOf(name)]);

    [Fact]
    public void EveryOpHasCasesAndEveryCaseAnOp() =>
        Ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys.Select(OpOf).Distinct());

    private static string OpOf(string name) => name[..name.IndexOf(':', StringComparison.Ordinal)];
}
