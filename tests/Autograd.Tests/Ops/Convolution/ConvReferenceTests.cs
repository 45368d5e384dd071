using System.Text.Json;
using Autograd.NN;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.Convolution;

/// <summary>
/// Convolution, pooling and interpolation against <c>Fixtures/conv_cases.json</c> (tools/reference/conv_cases.py):
/// values, first-order gradients, second order for the convolutions in float64, indices and PyTorch's error messages.
/// </summary>
public class ConvReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("conv_cases.json"));

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_ops = BuildOps();

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    /// <summary>
    /// Default tolerances, except the LeNet-sized case: its weight gradient sums 2·24·24 = 1152 products of magnitude up
    /// to 1 in float32, in another order than PyTorch, so its absolute error reaches ~1152·6e-8 ≈ 7e-5 at worst (a
    /// few e-6 typically) on results that cancel to ~1e-2; scale 32 allows 3.2e-5, still far below a wrong formula's O(1).
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name) =>
        ReferenceFixture.Replay(name, s_cases.Value[name], s_ops[name], name.Contains("lenet", StringComparison.Ordinal) ? 32 : 1);

    [Fact]
    public void EveryCaseHasACounterpart() => s_ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys);

    private static Dictionary<string, Func<Tensor[], Tensor>> BuildOps()
    {
        var ops = new Dictionary<string, Func<Tensor[], Tensor>>();
        foreach (string tag in new[] { "f32", "f64" })
        {
            ops[$"conv2d_basic_{tag}"] = t => Functional.Conv2d(t[0], t[1], t[2]);
            ops[$"conv2d_stride2_pad1_{tag}"] = t => Functional.Conv2d(t[0], t[1], t[2], stride: 2, padding: 1);
            ops[$"conv2d_pairs_{tag}"] = t => Functional.Conv2d(t[0], t[1], t[2], [2, 1], [1, 2], [1, 2]);
            ops[$"conv2d_dilation2_{tag}"] = t => Functional.Conv2d(t[0], t[1], dilation: 2);
            ops[$"conv2d_groups2_{tag}"] = t => Functional.Conv2d(t[0], t[1], t[2], padding: 1, groups: 2);
            ops[$"conv2d_depthwise_{tag}"] = t => Functional.Conv2d(t[0], t[1], stride: 2, groups: 4);
            ops[$"conv2d_same_even_{tag}"] = t => Functional.Conv2d(t[0], t[1], t[2], 1, "same");
            ops[$"conv2d_same_dilated_{tag}"] = t => Functional.Conv2d(t[0], t[1], null, [1], "same", [2, 3]);
            ops[$"conv2d_valid_{tag}"] = t => Functional.Conv2d(t[0], t[1], null, 1, "valid");
            ops[$"conv2d_unbatched_{tag}"] = t => Functional.Conv2d(t[0], t[1], t[2], padding: 1);
            ops[$"conv2d_1x1_{tag}"] = t => Functional.Conv2d(t[0], t[1], t[2]);
            ops[$"conv1d_basic_{tag}"] = t => Functional.Conv1d(t[0], t[1], t[2]);
            ops[$"conv1d_stride_pad_dil_{tag}"] = t => Functional.Conv1d(t[0], t[1], stride: 2, padding: 2, dilation: 2);
            ops[$"conv1d_groups_{tag}"] = t => Functional.Conv1d(t[0], t[1], groups: 3);
            ops[$"conv1d_same_even_{tag}"] = t => Functional.Conv1d(t[0], t[1], null, 1, "same");
            ops[$"conv1d_unbatched_{tag}"] = t => Functional.Conv1d(t[0], t[1], padding: 1);
            ops[$"convt2d_basic_{tag}"] = t => Functional.ConvTranspose2d(t[0], t[1], t[2]);
            ops[$"convt2d_stride2_pad1_outpad1_{tag}"] = t => Functional.ConvTranspose2d(t[0], t[1], t[2], stride: 2, padding: 1, outputPadding: 1);
            ops[$"convt2d_groups2_{tag}"] = t => Functional.ConvTranspose2d(t[0], t[1], stride: 2, groups: 2);
            ops[$"convt2d_dilation_pairs_{tag}"] = t => Functional.ConvTranspose2d(t[0], t[1], null, [2, 1], [1, 0], [1, 0], 1, [1, 2]);
            ops[$"convt2d_unbatched_{tag}"] = t => Functional.ConvTranspose2d(t[0], t[1], padding: 1);
            ops[$"convt1d_{tag}"] = t => Functional.ConvTranspose1d(t[0], t[1], t[2], stride: 3, padding: 1, outputPadding: 2);

            ops[$"maxpool2d_k2_{tag}"] = t => Functional.MaxPool2d(t[0], 2);
            ops[$"maxpool2d_k3_s2_p1_{tag}"] = t => Functional.MaxPool2d(t[0], 3, stride: 2, padding: 1);
            ops[$"maxpool2d_ties_{tag}"] = t => Functional.MaxPool2d(t[0], 3, stride: 1);
            ops[$"maxpool2d_ties_overlap_indices_{tag}"] = t => Functional.MaxPool2dWithIndices(t[0], 3, stride: 1).Indices;

            ops[$"avgpool2d_k2_{tag}"] = t => Functional.AvgPool2d(t[0], 2);
            ops[$"avgpool2d_pad_include_{tag}"] = t => Functional.AvgPool2d(t[0], 3, stride: 2, padding: 1);
            ops[$"avgpool2d_pad_exclude_{tag}"] = t => Functional.AvgPool2d(t[0], 3, stride: 2, padding: 1, countIncludePad: false);
            ops[$"avgpool2d_ceil_{tag}"] = t => Functional.AvgPool2d(t[0], 3, stride: 2, ceilMode: true);
            ops[$"avgpool2d_ceil_pad_exclude_{tag}"] = t => Functional.AvgPool2d(t[0], 2, stride: 2, padding: 1, ceilMode: true, countIncludePad: false);
            ops[$"avgpool2d_ceil_pad_include_{tag}"] = t => Functional.AvgPool2d(t[0], 2, stride: 2, padding: 1, ceilMode: true);
            ops[$"avgpool2d_divisor_{tag}"] = t => Functional.AvgPool2d(t[0], 2, stride: 1, divisorOverride: 3);

            ops[$"adaptive_avg_5x7_to_3x4_{tag}"] = t => Functional.AdaptiveAvgPool2d(t[0], 3, 4);
            ops[$"adaptive_max_5x7_to_3x4_{tag}"] = t => Functional.AdaptiveMaxPool2d(t[0], 3, 4);

            ops[$"nearest_size_{tag}"] = t => Functional.Interpolate(t[0], size: [5, 7]);
            ops[$"nearest_scale2_{tag}"] = t => Functional.Interpolate(t[0], scaleFactor: [2.0]);
            ops[$"nearest_scale1_5_{tag}"] = t => Functional.Interpolate(t[0], scaleFactor: [1.5]);
            ops[$"nearest_down_{tag}"] = t => Functional.Interpolate(t[0], size: [2, 3]);
            ops[$"bilinear_size_{tag}"] = t => Functional.Interpolate(t[0], size: [5, 7], mode: "bilinear", alignCorners: false);
            ops[$"bilinear_align_{tag}"] = t => Functional.Interpolate(t[0], size: [5, 7], mode: "bilinear", alignCorners: true);
            ops[$"bilinear_scale_{tag}"] = t => Functional.Interpolate(t[0], scaleFactor: [2.0, 1.5], mode: "bilinear");
            ops[$"bilinear_down_{tag}"] = t => Functional.Interpolate(t[0], size: [2, 3], mode: "bilinear");
        }

        ops["conv2d_stride2_pad1_nobias_f64"] = t => Functional.Conv2d(t[0], t[1], stride: 2, padding: 1);
        ops["conv2d_groups2_nobias_f64"] = t => Functional.Conv2d(t[0], t[1], padding: 1, groups: 2);
        ops["conv2d_same_even_nobias_f64"] = t => Functional.Conv2d(t[0], t[1], null, 1, "same");
        ops["convt2d_stride2_pad1_outpad1_nobias_f64"] = t => Functional.ConvTranspose2d(t[0], t[1], stride: 2, padding: 1, outputPadding: 1);
        ops["conv2d_padding_wider_than_input_f64"] = t => Functional.Conv2d(t[0], t[1], padding: 2);
        ops["convt2d_kernel_wider_than_output_f64"] = t => Functional.ConvTranspose2d(t[0], t[1], padding: 2);
        ops["conv2d_lenet_f32"] = t => Functional.Conv2d(t[0], t[1], t[2]);
        ops["conv2d_strided_1x1_f32"] = t => Functional.Conv2d(t[0], t[1], stride: 2);
        ops["conv2d_empty_batch_f32"] = t => Functional.Conv2d(t[0], t[1], t[2]);
        ops["conv2d_weight_only_grad_f32"] = t => Functional.Conv2d(t[0], t[1], padding: 1);
        ops["conv2d_input_only_grad_f64"] = t => Functional.Conv2d(t[0], t[1], stride: 2);

        ops["conv2d_error_channels"] = t => Functional.Conv2d(t[0], t[1]);
        ops["conv2d_error_kernel_too_large"] = t => Functional.Conv2d(t[0], t[1]);
        ops["conv2d_error_kernel_too_large_dilated"] = t => Functional.Conv2d(t[0], t[1], padding: 1, dilation: 2);
        ops["conv2d_error_rank"] = t => Functional.Conv2d(t[0], t[1]);
        ops["conv2d_error_groups_divisible"] = t => Functional.Conv2d(t[0], t[1], groups: 2);
        ops["conv2d_error_bias"] = t => Functional.Conv2d(t[0], t[1], t[2]);
        ops["conv2d_error_stride0"] = t => Functional.Conv2d(t[0], t[1], stride: 0);
        ops["conv2d_error_negative_padding"] = t => Functional.Conv2d(t[0], t[1], padding: -1);
        ops["conv2d_error_dilation0"] = t => Functional.Conv2d(t[0], t[1], dilation: 0);
        ops["conv2d_error_same_strided"] = t => Functional.Conv2d(t[0], t[1], null, 2, "same");
        ops["conv2d_error_padding_string"] = t => Functional.Conv2d(t[0], t[1], null, 1, "foo");
        ops["conv2d_error_dtype"] = t => Functional.Conv2d(t[0], t[1]);
        ops["conv2d_error_weight_rank"] = t => Functional.Conv2d(t[0], t[1]);
        ops["conv1d_error_rank"] = t => Functional.Conv1d(t[0], t[1]);
        ops["conv1d_error_kernel_too_large"] = t => Functional.Conv1d(t[0], t[1]);
        ops["convt2d_error_channels"] = t => Functional.ConvTranspose2d(t[0], t[1]);
        ops["convt2d_error_output_padding"] = t => Functional.ConvTranspose2d(t[0], t[1], stride: 2, outputPadding: 2);
        ops["convt2d_error_groups"] = t => Functional.ConvTranspose2d(t[0], t[1], groups: 2);
        ops["convt2d_error_rank"] = t => Functional.ConvTranspose2d(t[0], t[1]);

        ops["maxpool2d_ceil_f32"] = t => Functional.MaxPool2d(t[0], 3, stride: 2, ceilMode: true);
        ops["maxpool2d_ceil_pad_f32"] = t => Functional.MaxPool2d(t[0], 3, stride: 2, padding: 1, ceilMode: true);
        ops["maxpool2d_ceil_indices"] = t => Functional.MaxPool2dWithIndices(t[0], 2, stride: 2, ceilMode: true).Indices;
        ops["maxpool2d_dilation_f32"] = t => Functional.MaxPool2d(t[0], 2, stride: 1, dilation: 2);
        ops["maxpool2d_pairs_f32"] = t => Functional.MaxPool2d(t[0], [2, 3], [1, 2], [1, 1], [2, 1]);
        ops["maxpool2d_pairs_indices"] = t => Functional.MaxPool2dWithIndices(t[0], [2, 3], [1, 2], [1, 1], [2, 1]).Indices;
        ops["maxpool2d_unbatched_f32"] = t => Functional.MaxPool2d(t[0], 2);
        ops["maxpool2d_nan_inf_indices"] = t => Functional.MaxPool2dWithIndices(t[0], [1, 2]).Indices;
        ops["maxpool2d_nan_inf_values"] = t => Functional.MaxPool2d(t[0], [1, 2]);
        ops["maxpool1d_f32"] = t => Functional.MaxPool1d(t[0], 3, stride: 2, padding: 1);
        ops["maxpool1d_ceil_dilation_f64"] = t => Functional.MaxPool1d(t[0], 2, stride: 2, dilation: 2, ceilMode: true);
        ops["maxpool1d_indices"] = t => Functional.MaxPool1dWithIndices(t[0], 3, stride: 2).Indices;
        ops["maxpool1d_unbatched_f32"] = t => Functional.MaxPool1d(t[0], 2);

        ops["avgpool2d_pairs_f32"] = t => Functional.AvgPool2d(t[0], [2, 3], [1, 2], [1, 1]);
        ops["avgpool2d_unbatched_f32"] = t => Functional.AvgPool2d(t[0], 2);
        ops["avgpool1d_f32"] = t => Functional.AvgPool1d(t[0], 3, stride: 2, padding: 1);
        ops["avgpool1d_exclude_ceil_f64"] = t => Functional.AvgPool1d(t[0], 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false);

        ops["adaptive_avg_global_f32"] = t => Functional.AdaptiveAvgPool2d(t[0], 1);
        ops["adaptive_avg_upsample_f32"] = t => Functional.AdaptiveAvgPool2d(t[0], 3, 5);
        ops["adaptive_avg_unbatched_f32"] = t => Functional.AdaptiveAvgPool2d(t[0], 2);
        ops["adaptive_max_indices"] = t => Functional.AdaptiveMaxPool2dWithIndices(t[0], 2, 3).Indices;
        ops["adaptive_max_ties_f32"] = t => Functional.AdaptiveMaxPool2d(t[0], 3, 3);
        ops["bilinear_align_to_one_f32"] = t => Functional.Interpolate(t[0], size: [1, 3], mode: "bilinear", alignCorners: true);

        ops["maxpool2d_error_pad"] = t => Functional.MaxPool2d(t[0], 3, padding: 2);
        ops["maxpool2d_error_too_small"] = t => Functional.MaxPool2d(t[0], 3);
        ops["maxpool2d_error_rank"] = t => Functional.MaxPool2d(t[0], 2);
        ops["maxpool2d_error_stride0"] = t => Functional.MaxPool2d(t[0], 2, stride: 0);
        ops["maxpool2d_error_dilation0"] = t => Functional.MaxPool2d(t[0], 2, dilation: 0);
        ops["maxpool2d_error_long"] = t => Functional.MaxPool2d(t[0], 2);
        ops["maxpool1d_error_rank"] = t => Functional.MaxPool1d(t[0], 2);
        ops["avgpool2d_error_pad"] = t => Functional.AvgPool2d(t[0], 3, padding: 2);
        ops["avgpool2d_error_too_small"] = t => Functional.AvgPool2d(t[0], 3);
        ops["avgpool2d_error_rank"] = t => Functional.AvgPool2d(t[0], 2);
        ops["avgpool2d_error_divisor"] = t => Functional.AvgPool2d(t[0], 2, divisorOverride: 0);
        ops["avgpool1d_error_rank"] = t => Functional.AvgPool1d(t[0], 2);
        ops["adaptive_avg_error_rank"] = t => Functional.AdaptiveAvgPool2d(t[0], 2);
        ops["adaptive_avg_error_empty"] = t => Functional.AdaptiveAvgPool2d(t[0], 2);
        ops["adaptive_max_error_rank"] = t => Functional.AdaptiveMaxPool2d(t[0], 2);
        ops["interpolate_error_no_size"] = t => Functional.Interpolate(t[0]);
        ops["interpolate_error_both"] = t => Functional.Interpolate(t[0], size: [2], scaleFactor: [2.0]);
        ops["interpolate_error_align_nearest"] = t => Functional.Interpolate(t[0], size: [2], alignCorners: true);
        ops["interpolate_error_mode"] = t => Functional.Interpolate(t[0], size: [2], mode: "bicubicx");
        ops["interpolate_error_bilinear_3d"] = t => Functional.Interpolate(t[0], size: [2], mode: "bilinear");
        return ops;
    }
}
