using System.Text.Json;
using Autograd.NN;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Layers;

/// <summary>
/// Layers, losses and gradient clipping against <c>Fixtures/nn_cases.json</c> (tools/reference/nn_cases.py): the
/// generator loads the same weights into torch's modules, so each case's inputs are the layer inputs followed by the
/// parameters, which the lambdas register into the C# module; outputs and the gradients of inputs and parameters must
/// match (second order in float64 for the differentiable layers).
/// </summary>
public class NNReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("nn_cases.json"));

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_ops = BuildOps();

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name) => ReferenceFixture.Replay(name, s_cases.Value[name], s_ops[name]);

    [Fact]
    public void EveryCaseHasACounterpart() => s_ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys);

    /// <summary>
    /// Converts <paramref name="module"/> to the dtype of the case's floating tensors, registers
    /// <c>t[inputs..]</c> as its parameters <paramref name="names"/> and returns it.
    /// </summary>
    private static T With<T>(T module, Tensor[] t, int inputs, params string[] names)
        where T : Module
    {
        DType dtype = t.Select(x => x.DType).FirstOrDefault(d => d.IsFloatingPoint(), DType.Float32);
        module.To(dtype);
        for (int i = 0; i < names.Length; i++)
        {
            module.RegisterParameter(names[i], t[inputs + i]);
        }

        return module;
    }

    private static Tensor Layer(Module<Tensor, Tensor> module, Tensor[] t, params string[] names) =>
        With(module, t, 1, names).Forward(t[0]);

    private static Tensor ClipNorm(Tensor[] t, double maxNorm, double normType)
    {
        Tensor p1 = Tensor.Zeros(t[0].Shape, requiresGrad: true), p2 = Tensor.Zeros(t[1].Shape, requiresGrad: true);
        p1.Grad = t[0].Clone();
        p2.Grad = t[1].Clone();
        Tensor total = Utils.ClipGradNorm_([p1, p2], maxNorm, normType);
        return Tensor.Cat(total.Reshape(1), p1.Grad.Reshape(-1), p2.Grad.Reshape(-1));
    }

    private static Tensor BatchNormSteps(BatchNorm bn, Tensor[] t, bool evalAfter)
    {
        With(bn, t, 3, "weight", "bias");
        bn.Forward(t[0]);
        Tensor y = bn.Forward(t[1]);
        if (!evalAfter)
        {
            return Tensor.Cat(y.Reshape(-1), bn.RunningMean!, bn.RunningVar!);
        }

        bn.Eval();
        return bn.Forward(t[2]);
    }

    private static Dictionary<string, Func<Tensor[], Tensor>> BuildOps()
    {
        var ops = new Dictionary<string, Func<Tensor[], Tensor>>();
        foreach (string tag in new[] { "f32", "f64" })
        {
            ops[$"linear_{tag}"] = t => Layer(new Linear(4, 3), t, "weight", "bias");
            ops[$"linear_3d_{tag}"] = t => Layer(new Linear(4, 2), t, "weight", "bias");
            ops[$"linear_nobias_{tag}"] = t => Layer(new Linear(3, 2, bias: false), t, "weight");
            ops[$"bilinear_{tag}"] = t => With(new Bilinear(2, 3, 4), t, 2, "weight", "bias").Forward(t[0], t[1]);
            ops[$"bilinear_3d_nobias_{tag}"] = t => With(new Bilinear(2, 2, 3, bias: false), t, 2, "weight").Forward(t[0], t[1]);
            ops[$"embedding_{tag}"] = t => Layer(new Embedding(5, 3), t, "weight");
            ops[$"embedding_padding_{tag}"] = t => Layer(new Embedding(5, 3, paddingIdx: 3), t, "weight");
            ops[$"layernorm_{tag}"] = t => Layer(new LayerNorm(4), t, "weight", "bias");
            ops[$"layernorm_2d_shape_{tag}"] = t => Layer(new LayerNorm([2, 3], eps: 1e-3), t, "weight", "bias");
            ops[$"layernorm_noaffine_{tag}"] = t => Layer(new LayerNorm(5, elementwiseAffine: false), t);
            ops[$"groupnorm_{tag}"] = t => Layer(new GroupNorm(2, 4), t, "weight", "bias");
            ops[$"groupnorm_4d_{tag}"] = t => Layer(new GroupNorm(3, 6, eps: 1e-4), t, "weight", "bias");
            ops[$"groupnorm_noaffine_{tag}"] = t => Layer(new GroupNorm(1, 3, affine: false), t);
            ops[$"conv1d_{tag}"] = t => Layer(new Conv1d(2, 3, 3, stride: 2, padding: 1), t, "weight", "bias");
            ops[$"conv2d_{tag}"] = t => Layer(new Conv2d(2, 4, 3, padding: 1), t, "weight", "bias");
            ops[$"conv2d_groups_stride_dil_{tag}"] = t => Layer(new Conv2d(4, 6, [3, 2], stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2, bias: false), t, "weight");
            ops[$"conv2d_same_{tag}"] = t => Layer(new Conv2d(2, 2, 4, 1, "same"), t, "weight", "bias");
            ops[$"convtranspose2d_{tag}"] = t => Layer(new ConvTranspose2d(2, 3, 3, stride: 2, padding: 1, outputPadding: 1), t, "weight", "bias");
            ops[$"convtranspose2d_groups_{tag}"] = t => Layer(new ConvTranspose2d(4, 2, 2, groups: 2, bias: false), t, "weight");
            ops[$"maxpool2d_{tag}"] = t => Layer(new MaxPool2d(2), t);
            ops[$"maxpool2d_stride_pad_{tag}"] = t => Layer(new MaxPool2d(3, stride: 2, padding: 1, ceilMode: true), t);
            ops[$"avgpool2d_{tag}"] = t => Layer(new AvgPool2d([2, 3], stride: [1, 2], padding: [1, 1], countIncludePad: false), t);
            ops[$"adaptiveavgpool2d_{tag}"] = t => Layer(new AdaptiveAvgPool2d(2, 3), t);
            ops[$"adaptiveavgpool2d_global_{tag}"] = t => Layer(new AdaptiveAvgPool2d(1), t);
            ops[$"flatten_{tag}"] = t => Layer(new Flatten(), t);
            ops[$"unflatten_{tag}"] = t => Layer(new Unflatten(1, 2, 3), t);
            ops[$"leakyrelu_{tag}"] = t => Layer(new LeakyReLU(0.2), t);
            ops[$"gelu_tanh_{tag}"] = t => Layer(new GELU("tanh"), t);
            ops[$"softplus_{tag}"] = t => Layer(new Softplus(beta: 2, threshold: 1), t);
            ops[$"softmax_dim0_{tag}"] = t => Layer(new Softmax(0), t);
            ops[$"logsoftmax_{tag}"] = t => Layer(new LogSoftmax(1), t);
            ops[$"elu_{tag}"] = t => Layer(new ELU(0.5), t);
            ops[$"hardswish_{tag}"] = t => Layer(new Hardswish(), t);
            ops[$"mish_{tag}"] = t => Layer(new Mish(), t);
            ops[$"silu_{tag}"] = t => Layer(new SiLU(), t);
            foreach ((string mode, bool evalAfter) in new[] { ("train", false), ("eval", true) })
            {
                ops[$"batchnorm1d_{mode}_{tag}"] = t => BatchNormSteps(new BatchNorm1d(3), t, evalAfter);
                ops[$"batchnorm1d_3d_{mode}_{tag}"] = t => BatchNormSteps(new BatchNorm1d(3, momentum: 0.3), t, evalAfter);
                ops[$"batchnorm2d_{mode}_{tag}"] = t => BatchNormSteps(new BatchNorm2d(3), t, evalAfter);
                ops[$"batchnorm2d_cumulative_{mode}_{tag}"] = t => BatchNormSteps(new BatchNorm2d(3, momentum: null), t, evalAfter);
            }

            ops[$"batchnorm1d_untracked_eval_{tag}"] = t => Layer((BatchNorm1d)new BatchNorm1d(3, trackRunningStats: false).Eval(), t, "weight", "bias");
            ops[$"batchnorm2d_noaffine_{tag}"] = t => Layer(new BatchNorm2d(2, affine: false), t);

            ops[$"mse_{tag}"] = t => new MSELoss().Forward(t[0], t[1]);
            ops[$"mse_sum_{tag}"] = t => new MSELoss("sum").Forward(t[0], t[1]);
            ops[$"l1_{tag}"] = t => new L1Loss().Forward(t[0], t[1]);
            ops[$"l1_none_{tag}"] = t => new L1Loss("none").Forward(t[0], t[1]);
            ops[$"smoothl1_{tag}"] = t => new SmoothL1Loss(beta: 0.5).Forward(t[0], t[1]);
            ops[$"huber_{tag}"] = t => new HuberLoss(delta: 0.7).Forward(t[0], t[1]);
            ops[$"bce_{tag}"] = t => new BCELoss().Forward(t[0], t[1]);
            ops[$"bce_soft_target_sum_{tag}"] = t => new BCELoss(reduction: "sum").Forward(t[0], t[1]);
            ops[$"bcewithlogits_{tag}"] = t => new BCEWithLogitsLoss().Forward(t[0], t[1]);
            ops[$"kldiv_batchmean_{tag}"] = t => new KLDivLoss("batchmean").Forward(t[0], t[1]);
            ops[$"kldiv_logtarget_sum_{tag}"] = t => new KLDivLoss("sum", logTarget: true).Forward(t[0], t[1]);
            ops[$"crossentropy_{tag}"] = t => new CrossEntropyLoss().Forward(t[0], t[1]);
            ops[$"crossentropy_none_{tag}"] = t => new CrossEntropyLoss("none").Forward(t[0], t[1]);
            ops[$"nll_sum_{tag}"] = t => new NLLLoss("sum").Forward(t[0], t[1]);
        }

        foreach ((string tag, double normType) in new[] { ("l2", 2.0), ("l1", 1.0), ("inf", double.PositiveInfinity) })
        {
            ops[$"clip_grad_norm_{tag}_clipped"] = t => ClipNorm(t, 0.5, normType);
            ops[$"clip_grad_norm_{tag}_unclipped"] = t => ClipNorm(t, 100, normType);
        }

        ops["clip_grad_value"] = t =>
        {
            Tensor p = Tensor.Zeros(t[0].Shape, requiresGrad: true);
            p.Grad = t[0].Clone();
            Utils.ClipGradValue_([p], 0.3);
            return p.Grad;
        };

        ops["batchnorm1d_4d_input"] = t => new BatchNorm1d(3).Forward(t[0]);
        ops["batchnorm2d_3d_input"] = t => new BatchNorm2d(3).Forward(t[0]);
        ops["batchnorm1d_single_sample"] = t => new BatchNorm1d(3).Forward(t[0]);
        ops["layernorm_wrong_shape"] = t => new LayerNorm(4).Forward(t[0]);
        ops["groupnorm_indivisible"] = t => new GroupNorm(2, 4).Forward(t[0]);
        ops["embedding_float_indices"] = t => new Embedding(3, 2).Forward(t[0]);
        return ops;
    }
}
