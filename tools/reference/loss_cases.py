"""Reference cases for the losses and normalisation functions of Autograd.NN.Functional (PyTorch 1.13).

Run with the system interpreter: /usr/bin/python3 tools/reference/loss_cases.py
Writes tests/Autograd.Tests/Fixtures/loss_cases.json, replayed by tests/Autograd.Tests/Ops/Losses/LossReferenceTests.cs.
PyTorch 1.13 has no F.scaled_dot_product_attention: its cases compose PyTorch 2.0's math path.
"""

import math

import torch
import torch.nn.functional as F

from refcases import Cases

C = Cases(20261202)
DT = {"f32": torch.float32, "f64": torch.float64}
REDUCTIONS = ["mean", "sum", "none"]


def u(*shape, low=-1.0, high=1.0, dt=torch.float32):
    return C.uniform(shape, low, high, dt)


def const(t):
    return (t, False)


def longs(values, shape=None):
    t = torch.tensor(values, dtype=torch.long)
    return t if shape is None else t.reshape(shape)


# ---- regression losses ----------------------------------------------------------------------------------------------
for tag, dt in DT.items():
    for r in REDUCTIONS:
        C.case(f"mse_{r}_{tag}", lambda x, y, r=r: F.mse_loss(x, y, reduction=r), u(3, 4, dt=dt), u(3, 4, dt=dt), second_order=True)
        C.case(f"l1_{r}_{tag}", lambda x, y, r=r: F.l1_loss(x, y, reduction=r), C.away((3, 4), dtype=dt), u(3, 4, low=-0.1, high=0.1, dt=dt))
        C.case(f"smooth_l1_{r}_{tag}", lambda x, y, r=r: F.smooth_l1_loss(x, y, reduction=r), u(3, 4, low=-3, high=3, dt=dt), u(3, 4, dt=dt), second_order=True)
        C.case(f"huber_{r}_{tag}", lambda x, y, r=r: F.huber_loss(x, y, reduction=r), u(3, 4, low=-3, high=3, dt=dt), u(3, 4, dt=dt), second_order=True)
    C.case(f"smooth_l1_beta_half_{tag}", lambda x, y: F.smooth_l1_loss(x, y, beta=0.5), u(4, 5, low=-2, high=2, dt=dt), u(4, 5, dt=dt))
    C.case(f"smooth_l1_beta_zero_{tag}", lambda x, y: F.smooth_l1_loss(x, y, beta=0.0), C.away((4, 5), dtype=dt), u(4, 5, low=-0.1, high=0.1, dt=dt))
    C.case(f"huber_delta_two_{tag}", lambda x, y: F.huber_loss(x, y, delta=2.0, reduction="sum"), u(4, 5, low=-4, high=4, dt=dt), u(4, 5, dt=dt))
    C.case(f"mse_broadcast_{tag}", lambda x, y: F.mse_loss(x, y), u(3, 4, dt=dt), u(4, dt=dt))
C.case("l1_ties", lambda x, y: F.l1_loss(x, y, reduction="sum"), torch.tensor([1.0, 2.0, -3.0]), torch.tensor([1.0, 0.0, -3.0]))
C.case("mse_empty", lambda x, y: F.mse_loss(x, y), torch.zeros(0), torch.zeros(0))
C.case("l1_empty_sum", lambda x, y: F.l1_loss(x, y, reduction="sum"), torch.zeros(0, 3), torch.zeros(0, 3))
C.error("mse_bad_reduction", lambda x, y: F.mse_loss(x, y, reduction="avg"), torch.zeros(2), torch.zeros(2))
C.error("smooth_l1_negative_beta", lambda x, y: F.smooth_l1_loss(x, y, beta=-1.0), torch.zeros(2), torch.zeros(2))
C.error("huber_zero_delta", lambda x, y: F.huber_loss(x, y, delta=0.0), torch.zeros(2), torch.zeros(2))

# ---- binary cross-entropy ----------------------------------------------------------------------------------------
for tag, dt in DT.items():
    for r in REDUCTIONS:
        C.case(f"bce_{r}_{tag}", lambda x, y, r=r: F.binary_cross_entropy(x, y, reduction=r),
               u(3, 4, low=0.05, high=0.95, dt=dt), u(3, 4, low=0.0, high=1.0, dt=dt), second_order=True)
    C.case(f"bce_weight_{tag}", lambda x, y, w: F.binary_cross_entropy(x, y, weight=w),
           u(3, 4, low=0.05, high=0.95, dt=dt), u(3, 4, low=0.0, high=1.0, dt=dt), const(u(4, low=0.0, high=2.0, dt=dt)))
    # x at 0 and 1 with hard targets: the logs clamp at -100 and the gradient's denominator at 1e-12.
    C.case(f"bce_edges_{tag}", lambda x, y: F.binary_cross_entropy(x, y, reduction="sum"),
           torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 1e-30], dtype=dt), const(torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0, 0.0], dtype=dt)))
    for r in REDUCTIONS:
        C.case(f"bce_logits_weighted_{r}_{tag}", lambda x, y, w, p, r=r: F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=p, reduction=r),
               u(3, 4, low=-4, high=4, dt=dt), u(3, 4, low=0.0, high=1.0, dt=dt), const(u(3, 1, low=0.0, high=2.0, dt=dt)), const(u(4, low=0.5, high=3.0, dt=dt)),
               second_order=True)
    C.case(f"bce_logits_pos_weight_huge_{tag}", lambda x, y, p: F.binary_cross_entropy_with_logits(x, y, pos_weight=p, reduction="none"),
           torch.tensor([-1000.0, 1000.0, -1000.0, 1000.0, 0.0], dtype=dt), torch.tensor([0.0, 1.0, 1.0, 0.0, 0.5], dtype=dt), const(torch.tensor([2.0], dtype=dt)))
    C.case(f"bce_logits_weight_only_{tag}", lambda x, y, w: F.binary_cross_entropy_with_logits(x, y, weight=w, reduction="sum"),
           u(2, 3, low=-3, high=3, dt=dt), u(2, 3, low=0.0, high=1.0, dt=dt), const(u(2, 3, low=0.0, high=2.0, dt=dt)))
C.error("bce_out_of_range", lambda x, y: F.binary_cross_entropy(x, y), torch.tensor([1.5, 0.5]), torch.tensor([1.0, 0.0]))
C.error("bce_size_mismatch", lambda x, y: F.binary_cross_entropy(x, y), torch.rand(3), torch.rand(4))
C.error("bce_logits_bad_reduction", lambda x, y, w: F.binary_cross_entropy_with_logits(x, y, weight=w, reduction="x"), torch.rand(3), torch.rand(3), torch.rand(3))

# ---- KL divergence -----------------------------------------------------------------------------------------------
for tag, dt in DT.items():
    for r in ["mean", "batchmean", "sum", "none"]:
        C.case(f"kl_div_{r}_{tag}", lambda x, y, r=r: F.kl_div(F.log_softmax(x, -1), y, reduction=r),
               u(3, 4, dt=dt), u(3, 4, low=0.05, high=1.0, dt=dt), second_order=True)
        C.case(f"kl_div_log_target_{r}_{tag}", lambda x, y, r=r: F.kl_div(x, y, reduction=r, log_target=True),
               u(3, 4, dt=dt), u(3, 4, low=-3.0, high=0.0, dt=dt), second_order=True)
    C.case(f"kl_div_zero_target_{tag}", lambda x, y: F.kl_div(x, y, reduction="sum"),
           u(2, 3, low=-3.0, high=0.0, dt=dt), const(torch.tensor([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]], dtype=dt)))
C.error("kl_div_bad_reduction", lambda x, y: F.kl_div(x, y, reduction="foo"), torch.zeros(2), torch.zeros(2))

# ---- distances -----------------------------------------------------------------------------------------------------
for tag, dt in DT.items():
    C.case(f"cosine_similarity_{tag}", lambda a, b: F.cosine_similarity(a, b), u(3, 5, dt=dt), u(3, 5, dt=dt), second_order=True)
    C.case(f"cosine_similarity_dim0_broadcast_{tag}", lambda a, b: F.cosine_similarity(a, b, dim=0), u(4, 3, dt=dt), u(4, 1, dt=dt))
    C.case(f"cosine_similarity_3d_last_{tag}", lambda a, b: F.cosine_similarity(a, b, dim=-1), u(2, 3, 4, dt=dt), u(2, 3, 4, dt=dt))
    C.case(f"cosine_similarity_tiny_{tag}", lambda a, b: F.cosine_similarity(a, b),
           torch.tensor([[1e-10, 0.0], [0.0, 0.0]], dtype=dt), torch.tensor([[1e-10, 0.0], [1.0, 2.0]], dtype=dt))
    for p in [2.0, 1.0, 3.0]:
        C.case(f"pairwise_distance_p{int(p)}_{tag}", lambda a, b, p=p: F.pairwise_distance(a, b, p=p), u(4, 5, dt=dt), u(4, 5, dt=dt), second_order=(p == 2.0))
    C.case(f"pairwise_distance_inf_{tag}", lambda a, b: F.pairwise_distance(a, b, p=math.inf), u(4, 5, dt=dt), u(4, 5, dt=dt))
    C.case(f"normalize_inf_dim0_{tag}", lambda x: F.normalize(x, p=math.inf, dim=0), u(3, 4, dt=dt))
    C.case(f"normalize_inf_ties_{tag}", lambda x: F.normalize(x, p=math.inf), torch.tensor([[2.0, -2.0, 1.0], [0.5, 0.25, -0.5]], dtype=dt))
    C.case(f"pairwise_distance_keepdim_{tag}", lambda a, b: F.pairwise_distance(a, b, keepdim=True), u(3, 4, dt=dt), u(4, dt=dt))
    C.case(f"pairwise_distance_equal_{tag}", lambda a, b: F.pairwise_distance(a, b, eps=0.0), torch.ones(2, 3, dtype=dt), torch.ones(2, 3, dtype=dt))
    for p in [2.0, 1.0]:
        C.case(f"normalize_p{int(p)}_{tag}", lambda x, p=p: F.normalize(x, p=p), u(3, 4, dt=dt), second_order=(p == 2.0))
    C.case(f"normalize_dim0_{tag}", lambda x: F.normalize(x, dim=0), u(3, 4, 2, dt=dt))
    C.case(f"normalize_zero_row_{tag}", lambda x: F.normalize(x, dim=-1), torch.tensor([[0.0, 0.0], [3.0, 4.0]], dtype=dt))

# ---- classification ------------------------------------------------------------------------------------------------
for tag, dt in DT.items():
    t4 = longs([1, 0, 3])
    for r in REDUCTIONS:
        C.case(f"ce_plain_{r}_{tag}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), u(3, 4, low=-3, high=3, dt=dt), t4, second_order=True)
        C.case(f"nll_plain_{r}_{tag}", lambda x, t, r=r: F.nll_loss(x, t, reduction=r), u(3, 4, low=-3, high=0, dt=dt), t4)
        C.case(f"ce_weight_ignore_{r}_{tag}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, ignore_index=2, reduction=r),
               u(5, 4, low=-3, high=3, dt=dt), longs([1, 2, 3, 0, 2]), const(u(4, low=0.2, high=2.0, dt=dt)), second_order=True)
        C.case(f"nll_weight_ignore_{r}_{tag}", lambda x, t, w, r=r: F.nll_loss(x, t, weight=w, reduction=r),
               u(4, 3, low=-3, high=0, dt=dt), longs([0, -100, 2, 1]), const(u(3, low=0.2, high=2.0, dt=dt)))
        C.case(f"ce_spatial_{r}_{tag}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r),
               u(2, 3, 2, 2, low=-3, high=3, dt=dt), longs([0, 1, 2, 1, 2, 0, -100, 1], (2, 2, 2)), second_order=True)
        C.case(f"ce_1d_extra_{r}_{tag}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, reduction=r),
               u(2, 3, 4, low=-3, high=3, dt=dt), longs([0, 1, 2, 1, 2, 0, 0, 1], (2, 4)), const(u(3, low=0.2, high=2.0, dt=dt)))
        C.case(f"ce_smoothing_{r}_{tag}", lambda x, t, r=r: F.cross_entropy(x, t, label_smoothing=0.2, reduction=r),
               u(4, 5, low=-3, high=3, dt=dt), longs([4, -100, 0, 2]), second_order=True)
        C.case(f"ce_smoothing_weight_{r}_{tag}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, label_smoothing=0.1, reduction=r),
               u(4, 5, low=-3, high=3, dt=dt), longs([4, 1, 0, 2]), const(u(5, low=0.2, high=2.0, dt=dt)))
        C.case(f"ce_prob_{r}_{tag}", lambda x, y, r=r: F.cross_entropy(x, y, reduction=r),
               u(3, 4, low=-3, high=3, dt=dt), F.softmax(u(3, 4, dt=dt), -1), second_order=True)
        C.case(f"ce_prob_spatial_weight_smoothing_{r}_{tag}", lambda x, y, w, r=r: F.cross_entropy(x, y, weight=w, label_smoothing=0.3, reduction=r),
               u(2, 3, 2, low=-3, high=3, dt=dt), F.softmax(u(2, 3, 2, dt=dt), 1), const(u(3, low=0.2, high=2.0, dt=dt)))
    C.case(f"ce_unbatched_{tag}", lambda x, t: F.cross_entropy(x, t), u(5, dt=dt), torch.tensor(3), second_order=True)
    C.case(f"ce_unbatched_none_{tag}", lambda x, t: F.cross_entropy(x, t, reduction="none"), u(5, dt=dt), torch.tensor(1))
    C.case(f"ce_unbatched_prob_{tag}", lambda x, y: F.cross_entropy(x, y), u(5, dt=dt), F.softmax(u(5, dt=dt), 0))
    C.case(f"ce_huge_logits_{tag}", lambda x, t: F.cross_entropy(x, t, reduction="none"),
           torch.tensor([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0], [-1000.0, -1000.0, -1000.0]], dtype=dt), longs([1, 2, 0]))
    C.case(f"ce_all_ignored_{tag}", lambda x, t: F.cross_entropy(x, t), u(3, 4, dt=dt), longs([-100, -100, -100]))
    C.case(f"ce_all_ignored_sum_{tag}", lambda x, t: F.cross_entropy(x, t, reduction="sum"), u(3, 4, dt=dt), longs([-100, -100, -100]))
    C.case(f"ce_all_ignored_weight_{tag}", lambda x, t, w: F.cross_entropy(x, t, weight=w), u(3, 4, dt=dt), longs([-100, -100, -100]), const(u(4, low=0.2, high=1.0, dt=dt)))
    C.case(f"ce_all_ignored_smoothing_{tag}", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), u(3, 4, dt=dt), longs([-100, -100, -100]))
    C.case(f"ce_custom_ignore_{tag}", lambda x, t: F.cross_entropy(x, t, ignore_index=0), u(3, 4, dt=dt), longs([0, 1, 0]))
    C.case(f"ce_empty_{tag}", lambda x, t: F.cross_entropy(x, t), torch.zeros(0, 4, dtype=dt), torch.zeros(0, dtype=torch.long))
    C.case(f"ce_empty_sum_{tag}", lambda x, t: F.cross_entropy(x, t, reduction="sum"), torch.zeros(0, 4, dtype=dt), torch.zeros(0, dtype=torch.long))
C.error("ce_target_out_of_bounds", lambda x, t: F.cross_entropy(x, t), torch.zeros(3, 4), longs([0, 1, 5]))
C.error("ce_target_negative", lambda x, t: F.cross_entropy(x, t), torch.zeros(3, 4), longs([0, -1, 2]))
C.error("nll_target_out_of_bounds", lambda x, t: F.nll_loss(x, t), torch.zeros(3, 4), longs([0, 4, 1]))
C.error("nll_unbatched_out_of_bounds", lambda x, t: F.nll_loss(x, t), torch.zeros(3), torch.tensor(7))
C.error("ce_batch_mismatch", lambda x, t: F.cross_entropy(x, t), torch.zeros(3, 4), longs([0, 1]))
C.error("ce_spatial_mismatch", lambda x, t: F.cross_entropy(x, t), torch.zeros(2, 3, 4, 4), torch.zeros(2, 4, 5, dtype=torch.long))
C.error("ce_3d_mismatch", lambda x, t: F.cross_entropy(x, t), torch.zeros(2, 3, 4), torch.zeros(2, 5, dtype=torch.long))
C.error("ce_weight_size", lambda x, t, w: F.cross_entropy(x, t, weight=w), torch.zeros(3, 4), longs([0, 1, 2]), torch.ones(2))
C.error("ce_float_indices", lambda x, t: F.cross_entropy(x, t), torch.zeros(3, 4), torch.tensor([0.0, 1.0, 2.0]))
C.error("ce_multi_target", lambda x, t: F.cross_entropy(x, t), torch.zeros(3, 4), torch.zeros(3, 5))
C.error("ce_bad_reduction", lambda x, t: F.cross_entropy(x, t, reduction="avg"), torch.zeros(3, 4), longs([0, 1, 2]))
C.error("ce_bad_smoothing", lambda x, t: F.cross_entropy(x, t, label_smoothing=1.5), torch.zeros(3, 4), longs([0, 1, 2]))

# ---- normalisation -----------------------------------------------------------------------------------------------
for tag, dt in DT.items():
    # PyTorch's fused norms make every first-order gradient part of the double-backward graph, the bias's too (its
    # second-order contribution is 0); second-order cases hold the bias constant so both sides count the same gradients.
    C.case(f"layer_norm_affine_{tag}", lambda x, w, b: F.layer_norm(x, (5,), w, b), u(3, 5, low=-2, high=2, dt=dt), u(5, dt=dt), const(u(5, dt=dt)), second_order=True)
    C.case(f"layer_norm_plain_{tag}", lambda x: F.layer_norm(x, (5,)), u(2, 3, 5, low=-2, high=2, dt=dt), second_order=True)
    C.case(f"layer_norm_two_dims_{tag}", lambda x, w, b: F.layer_norm(x, (3, 4), w, b, eps=1e-3), u(2, 3, 4, dt=dt), u(3, 4, dt=dt), u(3, 4, dt=dt))
    C.case(f"layer_norm_weight_only_{tag}", lambda x, w: F.layer_norm(x, (4,), w), u(3, 4, dt=dt), u(4, dt=dt))
    C.case(f"layer_norm_constant_row_{tag}", lambda x: F.layer_norm(x, (3,)), torch.tensor([[2.0, 2.0, 2.0], [1.0, 2.0, 3.0]], dtype=dt))
    C.case(f"group_norm_{tag}", lambda x, w, b: F.group_norm(x, 2, w, b), u(2, 4, 3, low=-2, high=2, dt=dt), u(4, dt=dt), u(4, dt=dt), second_order=True)
    C.case(f"group_norm_4d_plain_{tag}", lambda x: F.group_norm(x, 3, eps=1e-3), u(2, 6, 2, 2, dt=dt))
    C.case(f"batch_norm_train_{tag}", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), u(4, 3, 2, low=-2, high=2, dt=dt), u(3, dt=dt), const(u(3, dt=dt)), second_order=True)
    C.case(f"batch_norm_train_bias_{tag}", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), u(4, 3, 2, dt=dt), u(3, dt=dt), u(3, dt=dt))
    C.case(f"batch_norm_train_2d_{tag}", lambda x: F.batch_norm(x, None, None, training=True, eps=1e-3), u(5, 3, dt=dt))
    C.case(f"batch_norm_eval_{tag}", lambda x, m, v, w, b: F.batch_norm(x, m, v, w, b, training=False),
           u(4, 3, 2, 2, dt=dt), const(u(3, dt=dt)), const(u(3, low=0.5, high=2.0, dt=dt)), u(3, dt=dt), u(3, dt=dt))


def running_stats(dt, stat):
    def fn(x):
        m = torch.linspace(-0.5, 0.5, 3, dtype=dt)
        v = torch.linspace(0.5, 1.5, 3, dtype=dt)
        F.batch_norm(x.detach(), m, v, training=True, momentum=0.3)
        return m if stat == "mean" else v
    return fn


for tag, dt in DT.items():
    C.case(f"batch_norm_running_mean_{tag}", running_stats(dt, "mean"), const(u(4, 3, 2, dt=dt)))
    C.case(f"batch_norm_running_var_{tag}", running_stats(dt, "var"), const(u(4, 3, 2, dt=dt)))
C.error("layer_norm_shape", lambda x: F.layer_norm(x, (5,)), torch.zeros(3, 4))
C.error("layer_norm_weight_shape", lambda x, w: F.layer_norm(x, (3,), w), torch.zeros(2, 3), torch.ones(2))
C.error("group_norm_groups", lambda x: F.group_norm(x, 4), torch.zeros(2, 6, 3))
C.error("group_norm_weight", lambda x, w: F.group_norm(x, 3, w), torch.zeros(2, 6, 3), torch.ones(5))
C.error("batch_norm_one_value", lambda x, m, v: F.batch_norm(x, m, v, training=True), torch.zeros(1, 3), torch.zeros(3), torch.ones(3))
C.error("batch_norm_stat_size", lambda x, m, v: F.batch_norm(x, m, v, training=True), torch.zeros(4, 3), torch.zeros(2), torch.ones(2))

# ---- embedding and padding ---------------------------------------------------------------------------------------
for tag, dt in DT.items():
    C.case(f"embedding_{tag}", lambda i, w: F.embedding(i, w), longs([[0, 2, 2], [3, 0, 2]]), u(4, 3, dt=dt))
    C.case(f"embedding_padding_{tag}", lambda i, w: F.embedding(i, w, padding_idx=2), longs([[0, 2, 2], [3, 0, 2]]), u(4, 3, dt=dt))
    C.case(f"embedding_negative_padding_{tag}", lambda i, w: F.embedding(i, w, padding_idx=-1), longs([3, 1, 3, 0]), u(4, 2, dt=dt))
    C.case(f"embedding_scalar_index_{tag}", lambda i, w: F.embedding(i, w), torch.tensor(1), u(4, 2, dt=dt))
    C.case(f"pad_constant_{tag}", lambda x: F.pad(x, (1, 2), value=0.5), u(2, 3, dt=dt))
    C.case(f"pad_constant_2d_negative_{tag}", lambda x: F.pad(x, (1, -1, -1, 2)), u(2, 3, 4, dt=dt))
    C.case(f"pad_constant_3d_{tag}", lambda x: F.pad(x, (1, 0, 0, 1, 1, 1), value=-2.0), u(2, 2, 2, dt=dt))
    for mode in ["reflect", "replicate", "circular"]:
        C.case(f"pad_{mode}_1d_{tag}", lambda x, m=mode: F.pad(x, (2, 1), mode=m), u(2, 3, 4, dt=dt))
        C.case(f"pad_{mode}_2d_{tag}", lambda x, m=mode: F.pad(x, (1, 2, 2, 1), mode=m), u(1, 2, 3, 3, dt=dt))
        C.case(f"pad_{mode}_3d_{tag}", lambda x, m=mode: F.pad(x, (1, 1, 0, 1, 1, 0), mode=m), u(1, 2, 2, 2, 3, dt=dt))
    C.case(f"pad_reflect_unbatched_{tag}", lambda x: F.pad(x, (2, 2), mode="reflect"), u(2, 3, dt=dt))
C.error("embedding_out_of_range", lambda i, w: F.embedding(i, w), longs([5]), torch.zeros(3, 2))
C.error("embedding_float_indices", lambda i, w: F.embedding(i, w), torch.tensor([1.0]), torch.zeros(3, 2))
C.error("embedding_padding_out_of_range", lambda i, w: F.embedding(i, w, padding_idx=3), longs([1]), torch.zeros(3, 2))
C.error("pad_reflect_too_large", lambda x: F.pad(x, (3, 3), mode="reflect"), torch.zeros(1, 2, 3))
C.error("pad_odd_length", lambda x: F.pad(x, (1, 1, 1)), torch.zeros(2, 3))
C.error("pad_too_long", lambda x: F.pad(x, (1, 1, 1, 1, 1, 1)), torch.zeros(3, 3))
C.error("pad_reflect_rank", lambda x: F.pad(x, (1, 1), mode="reflect"), torch.zeros(3))
C.error("pad_circular_unbatched", lambda x: F.pad(x, (1, 1, 1, 1), mode="circular"), torch.zeros(2, 3, 4))
C.error("pad_bad_mode", lambda x: F.pad(x, (1, 1), mode="circularx"), torch.zeros(3, 3))


# ---- attention (PyTorch 2.0's math path, composed) ------------------------------------------------------------------
def sdpa(q, k, v, mask=None, causal=False):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if causal:
        keep = torch.ones(q.size(-2), k.size(-2), dtype=torch.bool).tril()
        scores = scores.masked_fill(~keep, float("-inf"))
    elif mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    return torch.softmax(scores, -1) @ v


for tag, dt in DT.items():
    C.case(f"sdpa_{tag}", lambda q, k, v: sdpa(q, k, v), u(2, 3, 4, dt=dt), u(2, 5, 4, dt=dt), u(2, 5, 6, dt=dt), second_order=True)
    C.case(f"sdpa_causal_{tag}", lambda q, k, v: sdpa(q, k, v, causal=True), u(2, 2, 4, 3, dt=dt), u(2, 2, 4, 3, dt=dt), u(2, 2, 4, 3, dt=dt))
    C.case(f"sdpa_bool_mask_{tag}", lambda q, k, v, m: sdpa(q, k, v, m), u(2, 3, 4, dt=dt), u(2, 5, 4, dt=dt), u(2, 5, 2, dt=dt),
           torch.rand(3, 5, generator=C.gen) < 0.7)
    C.case(f"sdpa_float_mask_{tag}", lambda q, k, v, m: sdpa(q, k, v, m), u(3, 4, dt=dt), u(5, 4, dt=dt), u(5, 2, dt=dt), const(u(3, 5, low=-2, high=0, dt=dt)))

C.write("loss_cases.json")
