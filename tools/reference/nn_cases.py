"""Reference cases for the torch.nn module system and layers (tests/Autograd.Tests/NN/).

Layer cases load the same weights into torch's modules (torch.nn.utils.stateless.functional_call, so the weights are
leaves whose gradients are recorded): inputs are the layer inputs followed by the parameters in the order each C#
lambda registers them. Besides the refcases "cases", the file holds "reprs" (repr(module) of a few models),
"state_keys" (state_dict key lists), "state_dicts" (exported state dicts with an input and torch's output), and
"load_errors" (the RuntimeError text of failing load_state_dict calls).
"""

import json
import os
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
from torch.nn.utils.stateless import functional_call

from refcases import FIXTURES, Cases, encode

C = Cases(20261203)
u = C.uniform
f64 = torch.float64
DT = ((torch.float32, "f32"), (f64, "f64"))


def layer(name, make, inputs, params, dtype, second_order=False):
    """One forward of make() with `params` (name -> tensor, in order) substituted; inputs then params are the leaves."""
    names = list(params)

    def fn(*leaves):
        m = make().to(dtype)
        xs = leaves[:len(inputs)]
        return functional_call(m, dict(zip(names, leaves[len(inputs):])), tuple(xs))

    C.case(name, fn, *inputs, *[params[n] for n in names], second_order=second_order)


for dt, tag in DT:
    so = dt == f64
    # Linear: 2-d, 3-d input, no bias
    layer(f"linear_{tag}", lambda: nn.Linear(4, 3), [u([5, 4], dtype=dt)], {"weight": u([3, 4], dtype=dt), "bias": u([3], dtype=dt)}, dt, so)
    layer(f"linear_3d_{tag}", lambda: nn.Linear(4, 2), [u([2, 3, 4], dtype=dt)], {"weight": u([2, 4], dtype=dt), "bias": u([2], dtype=dt)}, dt, so)
    layer(f"linear_nobias_{tag}", lambda: nn.Linear(3, 2, bias=False), [u([4, 3], dtype=dt)], {"weight": u([2, 3], dtype=dt)}, dt, so)
    # Bilinear
    layer(f"bilinear_{tag}", lambda: nn.Bilinear(2, 3, 4), [u([5, 2], dtype=dt), u([5, 3], dtype=dt)],
          {"weight": u([4, 2, 3], dtype=dt), "bias": u([4], dtype=dt)}, dt, so)
    layer(f"bilinear_3d_nobias_{tag}", lambda: nn.Bilinear(2, 2, 3, bias=False), [u([2, 3, 2], dtype=dt), u([2, 3, 2], dtype=dt)],
          {"weight": u([3, 2, 2], dtype=dt)}, dt, so)
    # Embedding (indices are int64 inputs without grad), with padding_idx the padding row gets no gradient
    idx = torch.tensor([[1, 0, 3], [3, 3, 2]])
    layer(f"embedding_{tag}", lambda: nn.Embedding(5, 3), [(idx, False)], {"weight": u([5, 3], dtype=dt)}, dt)
    layer(f"embedding_padding_{tag}", lambda: nn.Embedding(5, 3, padding_idx=3), [(idx, False)], {"weight": u([5, 3], dtype=dt)}, dt)
    # LayerNorm
    layer(f"layernorm_{tag}", lambda: nn.LayerNorm(4), [u([3, 4], dtype=dt)], {"weight": u([4], dtype=dt), "bias": u([4], dtype=dt)}, dt)  # no second order: torch's layer-norm bias grad counts as "present"
    layer(f"layernorm_2d_shape_{tag}", lambda: nn.LayerNorm([2, 3], eps=1e-3), [u([2, 2, 2, 3], dtype=dt)],
          {"weight": u([2, 3], dtype=dt), "bias": u([2, 3], dtype=dt)}, dt)
    layer(f"layernorm_noaffine_{tag}", lambda: nn.LayerNorm(5, elementwise_affine=False), [u([2, 5], dtype=dt)], {}, dt, so)
    # GroupNorm
    layer(f"groupnorm_{tag}", lambda: nn.GroupNorm(2, 4), [u([2, 4, 3], dtype=dt)], {"weight": u([4], dtype=dt), "bias": u([4], dtype=dt)}, dt, so)
    layer(f"groupnorm_4d_{tag}", lambda: nn.GroupNorm(3, 6, eps=1e-4), [u([2, 6, 2, 2], dtype=dt)],
          {"weight": u([6], dtype=dt), "bias": u([6], dtype=dt)}, dt, so)
    layer(f"groupnorm_noaffine_{tag}", lambda: nn.GroupNorm(1, 3, affine=False), [u([2, 3, 4], dtype=dt)], {}, dt, so)
    # Convolutions
    layer(f"conv1d_{tag}", lambda: nn.Conv1d(2, 3, 3, stride=2, padding=1), [u([2, 2, 7], dtype=dt)],
          {"weight": u([3, 2, 3], dtype=dt), "bias": u([3], dtype=dt)}, dt)
    layer(f"conv2d_{tag}", lambda: nn.Conv2d(2, 4, 3, padding=1), [u([2, 2, 5, 5], dtype=dt)],
          {"weight": u([4, 2, 3, 3], dtype=dt), "bias": u([4], dtype=dt)}, dt)
    layer(f"conv2d_groups_stride_dil_{tag}", lambda: nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2, bias=False),
          [u([1, 4, 6, 6], dtype=dt)], {"weight": u([6, 2, 3, 2], dtype=dt)}, dt)
    layer(f"conv2d_same_{tag}", lambda: nn.Conv2d(2, 2, 4, padding="same"), [u([1, 2, 5, 6], dtype=dt)],
          {"weight": u([2, 2, 4, 4], dtype=dt), "bias": u([2], dtype=dt)}, dt)
    layer(f"convtranspose2d_{tag}", lambda: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1), [u([2, 2, 3, 4], dtype=dt)],
          {"weight": u([2, 3, 3, 3], dtype=dt), "bias": u([3], dtype=dt)}, dt)
    layer(f"convtranspose2d_groups_{tag}", lambda: nn.ConvTranspose2d(4, 2, 2, groups=2, bias=False), [u([1, 4, 3, 3], dtype=dt)],
          {"weight": u([4, 1, 2, 2], dtype=dt)}, dt)
    # Pools and shape layers
    layer(f"maxpool2d_{tag}", lambda: nn.MaxPool2d(2), [u([2, 3, 5, 4], dtype=dt)], {}, dt)
    layer(f"maxpool2d_stride_pad_{tag}", lambda: nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), [u([1, 2, 6, 7], dtype=dt)], {}, dt)
    layer(f"avgpool2d_{tag}", lambda: nn.AvgPool2d((2, 3), stride=(1, 2), padding=(1, 1), count_include_pad=False), [u([2, 2, 4, 6], dtype=dt)], {}, dt)
    layer(f"adaptiveavgpool2d_{tag}", lambda: nn.AdaptiveAvgPool2d((2, 3)), [u([2, 2, 5, 7], dtype=dt)], {}, dt)
    layer(f"adaptiveavgpool2d_global_{tag}", lambda: nn.AdaptiveAvgPool2d(1), [u([2, 3, 4, 4], dtype=dt)], {}, dt)
    layer(f"flatten_{tag}", lambda: nn.Flatten(), [u([2, 3, 2, 2], dtype=dt)], {}, dt)
    layer(f"unflatten_{tag}", lambda: nn.Unflatten(1, (2, 3)), [u([2, 6], dtype=dt)], {}, dt)
    # Activation modules with non-default settings
    layer(f"leakyrelu_{tag}", lambda: nn.LeakyReLU(0.2), [C.away([3, 4], dtype=dt)], {}, dt)
    layer(f"gelu_tanh_{tag}", lambda: nn.GELU(approximate="tanh"), [u([3, 4], -3, 3, dtype=dt)], {}, dt)
    layer(f"softplus_{tag}", lambda: nn.Softplus(beta=2, threshold=1), [C.away([3, 4], dtype=dt)], {}, dt)
    layer(f"softmax_dim0_{tag}", lambda: nn.Softmax(dim=0), [u([3, 4], dtype=dt)], {}, dt)
    layer(f"logsoftmax_{tag}", lambda: nn.LogSoftmax(dim=1), [u([3, 4], dtype=dt)], {}, dt)
    layer(f"elu_{tag}", lambda: nn.ELU(alpha=0.5), [C.away([3, 4], dtype=dt)], {}, dt)
    layer(f"hardswish_{tag}", lambda: nn.Hardswish(), [C.away([3, 4], 0.2, 4, dtype=dt)], {}, dt)
    layer(f"mish_{tag}", lambda: nn.Mish(), [u([3, 4], -3, 3, dtype=dt)], {}, dt)
    layer(f"silu_{tag}", lambda: nn.SiLU(), [u([3, 4], -3, 3, dtype=dt)], {}, dt)

    # BatchNorm: two training steps (the second's output, then the running mean and variance), and evaluation after them
    def bn_steps(make, x_shape, c, train_after=True):
        def fn(x1, x2, x3, w, b):
            m = make().to(dt)
            ps = {"weight": w, "bias": b}
            functional_call(m, ps, (x1,))
            y = functional_call(m, ps, (x2,))
            if train_after:
                return torch.cat([y.flatten(), m.running_mean, m.running_var])
            m.eval()
            return functional_call(m, ps, (x3,))
        return fn

    for dim, make, shape in (("1d", lambda: nn.BatchNorm1d(3), [4, 3]), ("1d_3d", lambda: nn.BatchNorm1d(3, momentum=0.3), [2, 3, 4]),
                             ("2d", lambda: nn.BatchNorm2d(3), [2, 3, 2, 3]), ("2d_cumulative", lambda: nn.BatchNorm2d(3, momentum=None), [2, 3, 2, 2])):
        for train_after, mode in ((True, "train"), (False, "eval")):
            C.case(f"batchnorm{dim}_{mode}_{tag}", bn_steps(make, shape, 3, train_after),
                   (u(shape, -2, 3, dtype=dt), False), (u(shape, -1, 2, dtype=dt), train_after), (u(shape, dtype=dt), not train_after),
                   u([3], 0.5, 1.5, dtype=dt), u([3], dtype=dt))
    layer(f"batchnorm1d_untracked_eval_{tag}", lambda: nn.BatchNorm1d(3, track_running_stats=False).eval(), [u([4, 3], dtype=dt)],
          {"weight": u([3], dtype=dt), "bias": u([3], dtype=dt)}, dt)
    layer(f"batchnorm2d_noaffine_{tag}", lambda: nn.BatchNorm2d(2, affine=False), [u([3, 2, 2, 2], dtype=dt)], {}, dt)

    # Losses (input, target)
    def loss(name, make, x, y, y_grad=False):
        C.case(name, lambda a, b: make()(a, b), x, (y, y_grad))

    p = u([4, 3], 0.05, 0.95, dtype=dt)
    t01 = (u([4, 3], dtype=dt) > 0).to(dt)
    loss(f"mse_{tag}", lambda: nn.MSELoss(), u([4, 3], dtype=dt), u([4, 3], dtype=dt), True)
    loss(f"mse_sum_{tag}", lambda: nn.MSELoss(reduction="sum"), u([4, 3], dtype=dt), u([4, 3], dtype=dt))
    loss(f"l1_{tag}", lambda: nn.L1Loss(), u([4, 3], dtype=dt), u([4, 3], dtype=dt), True)
    loss(f"l1_none_{tag}", lambda: nn.L1Loss(reduction="none"), u([4, 3], dtype=dt), u([4, 3], dtype=dt))
    loss(f"smoothl1_{tag}", lambda: nn.SmoothL1Loss(beta=0.5), u([4, 3], -2, 2, dtype=dt), u([4, 3], dtype=dt), True)
    loss(f"huber_{tag}", lambda: nn.HuberLoss(delta=0.7), u([4, 3], -2, 2, dtype=dt), u([4, 3], dtype=dt), True)
    loss(f"bce_{tag}", lambda: nn.BCELoss(), p, t01)
    loss(f"bce_soft_target_sum_{tag}", lambda: nn.BCELoss(reduction="sum"), p, u([4, 3], 0, 1, dtype=dt), True)
    loss(f"bcewithlogits_{tag}", lambda: nn.BCEWithLogitsLoss(), u([4, 3], -3, 3, dtype=dt), t01)
    logp = torch.log_softmax(u([4, 3], dtype=dt), 1)
    q = torch.softmax(u([4, 3], dtype=dt), 1)
    q[0, 1] = 0  # 0·log 0 = 0
    loss(f"kldiv_batchmean_{tag}", lambda: nn.KLDivLoss(reduction="batchmean"), logp, q)
    loss(f"kldiv_logtarget_sum_{tag}", lambda: nn.KLDivLoss(reduction="sum", log_target=True), logp, torch.log(q + 0.1), True)
    target = torch.tensor([2, 0, 1, 1])
    loss(f"crossentropy_{tag}", lambda: nn.CrossEntropyLoss(), u([4, 3], -2, 2, dtype=dt), target)
    loss(f"crossentropy_none_{tag}", lambda: nn.CrossEntropyLoss(reduction="none"), u([4, 3], -2, 2, dtype=dt), target)
    loss(f"nll_sum_{tag}", lambda: nn.NLLLoss(reduction="sum"), logp, target)

# clip_grad_norm_: the inputs are the gradients; the output is [total norm, clipped gradients...]
for norm_type, tag in ((2.0, "l2"), (1.0, "l1"), (float("inf"), "inf")):
    for max_norm, mtag in ((0.5, "clipped"), (100.0, "unclipped")):
        def clip(g1, g2, norm_type=norm_type, max_norm=max_norm):
            p1, p2 = torch.zeros_like(g1, requires_grad=True), torch.zeros_like(g2, requires_grad=True)
            p1.grad, p2.grad = g1.clone(), g2.clone()
            total = torch.nn.utils.clip_grad_norm_([p1, p2], max_norm, norm_type)
            return torch.cat([total.reshape(1), p1.grad.flatten(), p2.grad.flatten()])
        C.case(f"clip_grad_norm_{tag}_{mtag}", clip, (u([2, 3]), False), (u([4]), False))


def clip_value(g):
    p = torch.zeros_like(g, requires_grad=True)
    p.grad = g.clone()
    torch.nn.utils.clip_grad_value_([p], 0.3)
    return p.grad


C.case("clip_grad_value", clip_value, (u([3, 3]), False))

# Errors from layers (first line of torch's message)
C.error("batchnorm1d_4d_input", lambda x: nn.BatchNorm1d(3)(x), u([2, 3, 2, 2]))
C.error("batchnorm2d_3d_input", lambda x: nn.BatchNorm2d(3)(x), u([2, 3, 2]))
C.error("batchnorm1d_single_sample", lambda x: nn.BatchNorm1d(3)(x), u([1, 3]))
C.error("layernorm_wrong_shape", lambda x: nn.LayerNorm(4)(x), u([2, 3]))
C.error("groupnorm_indivisible", lambda x: nn.GroupNorm(2, 4)(x), u([2, 3, 2]))
C.error("embedding_float_indices", lambda x: nn.Embedding(3, 2)(x), u([2]))


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 6, 3, bias=False)
        self.norm2 = nn.GroupNorm(2, 6)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(6, 5), nn.ReLU(), nn.Dropout(0.2), nn.Linear(5, 3))

    def forward(self, x):
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = torch.relu(self.norm2(self.conv2(x)))
        return self.head(x)


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 4, padding_idx=0)
        self.layers = nn.ModuleList([nn.Linear(4, 4), nn.Linear(4, 4)])
        self.norm = nn.LayerNorm(4)
        self.heads = nn.ModuleDict({"tag": nn.Linear(4, 3), "score": nn.Bilinear(4, 4, 1)})

    def forward(self, idx):
        h = self.embed(idx)
        for l in self.layers:
            h = torch.tanh(l(h))
        h = self.norm(h)
        return self.heads["tag"](h)


def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 3))


misc = nn.Sequential(
    nn.Conv1d(2, 3, 3, stride=2), nn.Conv2d(3, 8, (3, 5), padding=(1, 2), dilation=2, groups=1, bias=False),
    nn.Conv2d(2, 2, 3, padding="same"), nn.ConvTranspose2d(4, 2, 3, stride=2, output_padding=1, groups=2),
    nn.BatchNorm1d(4, momentum=None, affine=False), nn.BatchNorm2d(5, eps=1e-3, track_running_stats=False),
    nn.LayerNorm([2, 3], elementwise_affine=False), nn.GroupNorm(2, 4, eps=1e-6),
    nn.MaxPool2d(3, stride=2, padding=1), nn.MaxPool2d((2, 3)), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d((2, 3)), nn.AdaptiveMaxPool2d(1),
    nn.Flatten(), nn.Unflatten(1, (2, 5)), nn.Identity(), nn.Dropout(), nn.Embedding(7, 2),
    nn.ReLU(), nn.ReLU6(), nn.LeakyReLU(), nn.ELU(), nn.SELU(), nn.CELU(alpha=0.5), nn.GELU(), nn.SiLU(), nn.Mish(), nn.Tanh(),
    nn.Sigmoid(), nn.Softplus(), nn.Softsign(), nn.Hardtanh(), nn.Hardsigmoid(), nn.Hardswish(), nn.LogSigmoid(),
    nn.Softmax(dim=-1), nn.LogSoftmax(dim=1), nn.GLU(), nn.Tanhshrink(), nn.Softshrink(), nn.Hardshrink(0.25),
    nn.MSELoss(), nn.CrossEntropyLoss(), nn.KLDivLoss(reduction="batchmean"))

torch.manual_seed(0)
reprs = {"mlp": repr(mlp()), "small_cnn": repr(SmallCnn()), "tagger": repr(Tagger()), "misc": repr(misc),
         "linear": repr(nn.Linear(4, 3)), "empty_sequential": repr(nn.Sequential()), "bilinear": repr(nn.Bilinear(2, 3, 4, bias=False))}
state_keys = {"mlp": list(mlp().state_dict().keys()), "small_cnn": list(SmallCnn().state_dict().keys()),
              "tagger": list(Tagger().state_dict().keys())}
named_parameters = {"small_cnn": [n for n, _ in SmallCnn().named_parameters()], "tagger": [n for n, _ in Tagger().named_parameters()]}
named_modules = {"small_cnn": [n for n, _ in SmallCnn().named_modules()], "tagger": [n for n, _ in Tagger().named_modules()]}


def exported(model, x, train_steps=()):
    """A trained-looking state dict (random values, a few training steps for the running statistics), an input and torch's outputs."""
    model.train()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=C.gen) * 0.5)
        for xs in train_steps:
            model(xs)
    model.eval()
    with torch.no_grad():
        out = model(x)
    state = model.state_dict()
    return {"state": [{"key": k, "tensor": encode(v)} for k, v in state.items()], "input": encode(x), "output": encode(out)}


state_dicts = {
    "mlp": exported(mlp(), u([5, 4])),
    "small_cnn": exported(SmallCnn(), u([2, 1, 6, 6]), [u([4, 1, 6, 6]), u([4, 1, 6, 6], -2, 2)]),
    "tagger": exported(Tagger(), torch.tensor([[1, 0, 5], [9, 9, 2]])),
}


def load_error(model, state):
    try:
        model.load_state_dict(state)
    except RuntimeError as e:
        return str(e)
    raise AssertionError("load_state_dict did not fail")


lin = nn.Linear(4, 3)
load_errors = {
    "linear_missing_bias": load_error(nn.Linear(4, 3), {"weight": torch.zeros(3, 4)}),
    "linear_unexpected": load_error(nn.Linear(4, 3), {"weight": torch.zeros(3, 4), "bias": torch.zeros(3), "scale": torch.zeros(1)}),
    "linear_size_mismatch": load_error(nn.Linear(4, 3), {"weight": torch.zeros(2, 4), "bias": torch.zeros(3)}),
    "mlp_all": load_error(mlp(), OrderedDict([("0.weight", torch.zeros(8, 4)), ("0.bias", torch.zeros(7)), ("2.weight", torch.zeros(1)),
                                               ("3.weight", torch.zeros(3, 8)), ("extra", torch.zeros(1))])),
    "cnn_missing_buffer": load_error(SmallCnn(), OrderedDict((k, v) for k, v in SmallCnn().state_dict().items() if k != "bn1.running_var")),
}

C.write("nn_cases.json")
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(FIXTURES, "nn_cases.json")
with open(path) as f:
    data = json.load(f)
data.update(reprs=reprs, state_keys=state_keys, named_parameters=named_parameters, named_modules=named_modules,
            state_dicts=state_dicts, load_errors=load_errors)
with open(path, "w") as f:
    json.dump(data, f, separators=(",", ":"))
    f.write("\n")
