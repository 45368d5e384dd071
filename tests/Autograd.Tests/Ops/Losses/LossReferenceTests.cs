using System.Text.Json;
using Autograd.Tests.Reference;
using FluentAssertions;
using Xunit;
using F = Autograd.NN.Functional;

namespace Autograd.Tests.Ops.Losses;

/// <summary>
/// The losses and normalisation functions against <c>Fixtures/loss_cases.json</c> (tools/reference/loss_cases.py,
/// PyTorch 1.13): values, gradients, second-order gradients where PyTorch has them, and PyTorch's error messages.
/// </summary>
public class LossReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() => ReferenceFixture.Load("loss_cases.json"));

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> s_ops = BuildOps();

    public static TheoryData<string> CaseNames => FixtureNames.Of(s_cases.Value);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_MatchesPyTorch(string name) => ReferenceFixture.Replay(name, s_cases.Value[name], s_ops[name], ScaleOf(name));

    /// <summary>
    /// PyTorch's double backward of binary_cross_entropy adds 1e-12 to x and to 1 − x in its denominator
    /// (binary_cross_entropy_double_backward), ours differentiates the first-order formula exactly: the second-order
    /// values differ by ~1e-11 relative in float64, so those cases allow 100× the float64 tolerance (1e-10).
    /// </summary>
    private static double ScaleOf(string name) => name.StartsWith("bce_", StringComparison.Ordinal) && !name.StartsWith("bce_logits", StringComparison.Ordinal) ? 100 : 1;

    [Fact]
    public void EveryCaseHasACounterpart() => s_ops.Keys.Should().BeEquivalentTo(s_cases.Value.Keys);

    private static Dictionary<string, Func<Tensor[], Tensor>> BuildOps()
    {
        var ops = new Dictionary<string, Func<Tensor[], Tensor>>();
        string[] reductions = ["mean", "sum", "none"];
        foreach (string tag in new[] { "f32", "f64" })
        {
            foreach (string r in reductions)
            {
                ops[$"mse_{r}_{tag}"] = t => F.MseLoss(t[0], t[1], r);
                ops[$"l1_{r}_{tag}"] = t => F.L1Loss(t[0], t[1], r);
                ops[$"smooth_l1_{r}_{tag}"] = t => F.SmoothL1Loss(t[0], t[1], r);
                ops[$"huber_{r}_{tag}"] = t => F.HuberLoss(t[0], t[1], r);
                ops[$"bce_{r}_{tag}"] = t => F.BinaryCrossEntropy(t[0], t[1], reduction: r);
                ops[$"bce_logits_weighted_{r}_{tag}"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1], t[2], r, t[3]);
                ops[$"ce_plain_{r}_{tag}"] = t => F.CrossEntropy(t[0], t[1], reduction: r);
                ops[$"nll_plain_{r}_{tag}"] = t => F.NllLoss(t[0], t[1], reduction: r);
                ops[$"ce_weight_ignore_{r}_{tag}"] = t => F.CrossEntropy(t[0], t[1], t[2], ignoreIndex: 2, reduction: r);
                ops[$"nll_weight_ignore_{r}_{tag}"] = t => F.NllLoss(t[0], t[1], t[2], reduction: r);
                ops[$"ce_spatial_{r}_{tag}"] = t => F.CrossEntropy(t[0], t[1], reduction: r);
                ops[$"ce_1d_extra_{r}_{tag}"] = t => F.CrossEntropy(t[0], t[1], t[2], reduction: r);
                ops[$"ce_smoothing_{r}_{tag}"] = t => F.CrossEntropy(t[0], t[1], reduction: r, labelSmoothing: 0.2);
                ops[$"ce_smoothing_weight_{r}_{tag}"] = t => F.CrossEntropy(t[0], t[1], t[2], reduction: r, labelSmoothing: 0.1);
                ops[$"ce_prob_{r}_{tag}"] = t => F.CrossEntropy(t[0], t[1], reduction: r);
                ops[$"ce_prob_spatial_weight_smoothing_{r}_{tag}"] = t => F.CrossEntropy(t[0], t[1], t[2], reduction: r, labelSmoothing: 0.3);
            }

            foreach (string r in new[] { "mean", "batchmean", "sum", "none" })
            {
                ops[$"kl_div_{r}_{tag}"] = t => F.KlDiv(F.LogSoftmax(t[0]), t[1], r);
                ops[$"kl_div_log_target_{r}_{tag}"] = t => F.KlDiv(t[0], t[1], r, logTarget: true);
            }

            ops[$"smooth_l1_beta_half_{tag}"] = t => F.SmoothL1Loss(t[0], t[1], beta: 0.5);
            ops[$"smooth_l1_beta_zero_{tag}"] = t => F.SmoothL1Loss(t[0], t[1], beta: 0);
            ops[$"huber_delta_two_{tag}"] = t => F.HuberLoss(t[0], t[1], "sum", delta: 2);
            ops[$"mse_broadcast_{tag}"] = t => F.MseLoss(t[0], t[1]);
            ops[$"bce_weight_{tag}"] = t => F.BinaryCrossEntropy(t[0], t[1], t[2]);
            ops[$"bce_edges_{tag}"] = t => F.BinaryCrossEntropy(t[0], t[1], reduction: "sum");
            ops[$"bce_logits_pos_weight_huge_{tag}"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1], reduction: "none", posWeight: t[2]);
            ops[$"bce_logits_weight_only_{tag}"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1], t[2], "sum");
            ops[$"kl_div_zero_target_{tag}"] = t => F.KlDiv(t[0], t[1], "sum");

            ops[$"cosine_similarity_{tag}"] = t => F.CosineSimilarity(t[0], t[1]);
            ops[$"cosine_similarity_dim0_broadcast_{tag}"] = t => F.CosineSimilarity(t[0], t[1], dim: 0);
            ops[$"cosine_similarity_3d_last_{tag}"] = t => F.CosineSimilarity(t[0], t[1], dim: -1);
            ops[$"cosine_similarity_tiny_{tag}"] = t => F.CosineSimilarity(t[0], t[1]);
            foreach (int p in new[] { 2, 1, 3 })
            {
                ops[$"pairwise_distance_p{p}_{tag}"] = t => F.PairwiseDistance(t[0], t[1], p);
            }

            ops[$"pairwise_distance_inf_{tag}"] = t => F.PairwiseDistance(t[0], t[1], double.PositiveInfinity);
            ops[$"normalize_inf_dim0_{tag}"] = t => F.Normalize(t[0], double.PositiveInfinity, dim: 0);
            ops[$"normalize_inf_ties_{tag}"] = t => F.Normalize(t[0], double.PositiveInfinity);
            ops[$"pairwise_distance_keepdim_{tag}"] = t => F.PairwiseDistance(t[0], t[1], keepDim: true);
            ops[$"pairwise_distance_equal_{tag}"] = t => F.PairwiseDistance(t[0], t[1], eps: 0);
            ops[$"normalize_p2_{tag}"] = t => F.Normalize(t[0]);
            ops[$"normalize_p1_{tag}"] = t => F.Normalize(t[0], p: 1);
            ops[$"normalize_dim0_{tag}"] = t => F.Normalize(t[0], dim: 0);
            ops[$"normalize_zero_row_{tag}"] = t => F.Normalize(t[0], dim: -1);

            ops[$"ce_unbatched_{tag}"] = t => F.CrossEntropy(t[0], t[1]);
            ops[$"ce_unbatched_none_{tag}"] = t => F.CrossEntropy(t[0], t[1], reduction: "none");
            ops[$"ce_unbatched_prob_{tag}"] = t => F.CrossEntropy(t[0], t[1]);
            ops[$"ce_huge_logits_{tag}"] = t => F.CrossEntropy(t[0], t[1], reduction: "none");
            ops[$"ce_all_ignored_{tag}"] = t => F.CrossEntropy(t[0], t[1]);
            ops[$"ce_all_ignored_sum_{tag}"] = t => F.CrossEntropy(t[0], t[1], reduction: "sum");
            ops[$"ce_all_ignored_weight_{tag}"] = t => F.CrossEntropy(t[0], t[1], t[2]);
            ops[$"ce_all_ignored_smoothing_{tag}"] = t => F.CrossEntropy(t[0], t[1], labelSmoothing: 0.1);
            ops[$"ce_custom_ignore_{tag}"] = t => F.CrossEntropy(t[0], t[1], ignoreIndex: 0);
            ops[$"ce_empty_{tag}"] = t => F.CrossEntropy(t[0], t[1]);
            ops[$"ce_empty_sum_{tag}"] = t => F.CrossEntropy(t[0], t[1], reduction: "sum");

            ops[$"layer_norm_affine_{tag}"] = t => F.LayerNorm(t[0], [5], t[1], t[2]);
            ops[$"layer_norm_plain_{tag}"] = t => F.LayerNorm(t[0], [5]);
            ops[$"layer_norm_two_dims_{tag}"] = t => F.LayerNorm(t[0], [3, 4], t[1], t[2], eps: 1e-3);
            ops[$"layer_norm_weight_only_{tag}"] = t => F.LayerNorm(t[0], [4], t[1]);
            ops[$"layer_norm_constant_row_{tag}"] = t => F.LayerNorm(t[0], [3]);
            ops[$"group_norm_{tag}"] = t => F.GroupNorm(t[0], 2, t[1], t[2]);
            ops[$"group_norm_4d_plain_{tag}"] = t => F.GroupNorm(t[0], 3, eps: 1e-3);
            ops[$"batch_norm_train_{tag}"] = t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true);
            ops[$"batch_norm_train_bias_{tag}"] = t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true);
            ops[$"batch_norm_train_2d_{tag}"] = t => F.BatchNorm(t[0], null, null, training: true, eps: 1e-3);
            ops[$"batch_norm_eval_{tag}"] = t => F.BatchNorm(t[0], t[1], t[2], t[3], t[4], training: false);
            DType dtype = tag == "f32" ? DType.Float32 : DType.Float64;
            ops[$"batch_norm_running_mean_{tag}"] = t => RunningStatistic(t[0], dtype, mean: true);
            ops[$"batch_norm_running_var_{tag}"] = t => RunningStatistic(t[0], dtype, mean: false);

            ops[$"embedding_{tag}"] = t => F.Embedding(t[0], t[1]);
            ops[$"embedding_padding_{tag}"] = t => F.Embedding(t[0], t[1], paddingIdx: 2);
            ops[$"embedding_negative_padding_{tag}"] = t => F.Embedding(t[0], t[1], paddingIdx: -1);
            ops[$"embedding_scalar_index_{tag}"] = t => F.Embedding(t[0], t[1]);
            ops[$"pad_constant_{tag}"] = t => F.Pad(t[0], [1, 2], value: 0.5);
            ops[$"pad_constant_2d_negative_{tag}"] = t => F.Pad(t[0], [1, -1, -1, 2]);
            ops[$"pad_constant_3d_{tag}"] = t => F.Pad(t[0], [1, 0, 0, 1, 1, 1], value: -2);
            foreach (string mode in new[] { "reflect", "replicate", "circular" })
            {
                ops[$"pad_{mode}_1d_{tag}"] = t => F.Pad(t[0], [2, 1], mode);
                ops[$"pad_{mode}_2d_{tag}"] = t => F.Pad(t[0], [1, 2, 2, 1], mode);
                ops[$"pad_{mode}_3d_{tag}"] = t => F.Pad(t[0], [1, 1, 0, 1, 1, 0], mode);
            }

            ops[$"pad_reflect_unbatched_{tag}"] = t => F.Pad(t[0], [2, 2], "reflect");

            ops[$"sdpa_{tag}"] = t => F.ScaledDotProductAttention(t[0], t[1], t[2]);
            ops[$"sdpa_causal_{tag}"] = t => F.ScaledDotProductAttention(t[0], t[1], t[2], isCausal: true);
            ops[$"sdpa_bool_mask_{tag}"] = t => F.ScaledDotProductAttention(t[0], t[1], t[2], t[3]);
            ops[$"sdpa_float_mask_{tag}"] = t => F.ScaledDotProductAttention(t[0], t[1], t[2], t[3]);
        }

        ops["l1_ties"] = t => F.L1Loss(t[0], t[1], "sum");
        ops["mse_empty"] = t => F.MseLoss(t[0], t[1]);
        ops["l1_empty_sum"] = t => F.L1Loss(t[0], t[1], "sum");
        ops["mse_bad_reduction"] = t => F.MseLoss(t[0], t[1], "avg");
        ops["smooth_l1_negative_beta"] = t => F.SmoothL1Loss(t[0], t[1], beta: -1);
        ops["huber_zero_delta"] = t => F.HuberLoss(t[0], t[1], delta: 0);
        ops["bce_out_of_range"] = t => F.BinaryCrossEntropy(t[0], t[1]);
        ops["bce_size_mismatch"] = t => F.BinaryCrossEntropy(t[0], t[1]);
        ops["bce_logits_bad_reduction"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1], t[2], "x");
        ops["kl_div_bad_reduction"] = t => F.KlDiv(t[0], t[1], "foo");
        ops["ce_target_out_of_bounds"] = t => F.CrossEntropy(t[0], t[1]);
        ops["ce_target_negative"] = t => F.CrossEntropy(t[0], t[1]);
        ops["nll_target_out_of_bounds"] = t => F.NllLoss(t[0], t[1]);
        ops["nll_unbatched_out_of_bounds"] = t => F.NllLoss(t[0], t[1]);
        ops["ce_batch_mismatch"] = t => F.CrossEntropy(t[0], t[1]);
        ops["ce_spatial_mismatch"] = t => F.CrossEntropy(t[0], t[1]);
        ops["ce_3d_mismatch"] = t => F.CrossEntropy(t[0], t[1]);
        ops["ce_weight_size"] = t => F.CrossEntropy(t[0], t[1], t[2]);
        ops["ce_float_indices"] = t => F.CrossEntropy(t[0], t[1]);
        ops["ce_multi_target"] = t => F.CrossEntropy(t[0], t[1]);
        ops["ce_bad_reduction"] = t => F.CrossEntropy(t[0], t[1], reduction: "avg");
        ops["ce_bad_smoothing"] = t => F.CrossEntropy(t[0], t[1], labelSmoothing: 1.5);
        ops["layer_norm_shape"] = t => F.LayerNorm(t[0], [5]);
        ops["layer_norm_weight_shape"] = t => F.LayerNorm(t[0], [3], t[1]);
        ops["group_norm_groups"] = t => F.GroupNorm(t[0], 4);
        ops["group_norm_weight"] = t => F.GroupNorm(t[0], 3, t[1]);
        ops["batch_norm_one_value"] = t => F.BatchNorm(t[0], t[1], t[2], training: true);
        ops["batch_norm_stat_size"] = t => F.BatchNorm(t[0], t[1], t[2], training: true);
        ops["embedding_out_of_range"] = t => F.Embedding(t[0], t[1]);
        ops["embedding_float_indices"] = t => F.Embedding(t[0], t[1]);
        ops["embedding_padding_out_of_range"] = t => F.Embedding(t[0], t[1], paddingIdx: 3);
        ops["pad_reflect_too_large"] = t => F.Pad(t[0], [3, 3], "reflect");
        ops["pad_odd_length"] = t => F.Pad(t[0], [1, 1, 1]);
        ops["pad_too_long"] = t => F.Pad(t[0], [1, 1, 1, 1, 1, 1]);
        ops["pad_reflect_rank"] = t => F.Pad(t[0], [1, 1], "reflect");
        ops["pad_circular_unbatched"] = t => F.Pad(t[0], [1, 1, 1, 1], "circular");
        ops["pad_bad_mode"] = t => F.Pad(t[0], [1, 1], "circularx");
        return ops;
    }

    /// <summary>The running mean or variance after one training step from linspace starting values, momentum 0.3 (as the generator).</summary>
    private static Tensor RunningStatistic(Tensor x, DType dtype, bool mean)
    {
        Tensor m = Tensor.From([-0.5, 0.0, 0.5]).To(dtype), v = Tensor.From([0.5, 1.0, 1.5]).To(dtype);
        F.BatchNorm(x, m, v, training: true, momentum: 0.3);
        return mean ? m : v;
    }
}
