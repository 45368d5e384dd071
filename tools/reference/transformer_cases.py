"""Reference cases for nn.MultiheadAttention and the transformer layers (tests/Autograd.Tests/NN/TransformerReferenceTests.cs).

Each case builds a module in PyTorch 1.13 in training mode with dropout 0 (so the ordinary composite path runs, not the
fused inference fast path), replaces every parameter by random values (so zero biases and unit LayerNorm weights do
not hide a wrong gradient), runs one forward and backpropagates the scalar loss
    sum(output * up_out) [+ sum(weights * up_w)]
with fixed random upstream tensors. It records the config, the state dict, the inputs (``same`` says which of
query/key/value are one tensor, since PyTorch's in-projection takes a different path for self-attention), the masks,
the outputs, the upstreams, and the gradients of every floating input and every parameter (by state-dict key).
``errors`` holds PyTorch's messages for the calls the C# side must reject.
"""

import json
import os
import sys

import torch
import torch.nn as nn

from refcases import FIXTURES, encode

assert torch.__version__.startswith("1.13"), torch.__version__

gen = torch.Generator().manual_seed(20261204)


def u(shape, low=-1.0, high=1.0, dtype=torch.float32):
    return (torch.rand(shape, generator=gen, dtype=torch.float64) * (high - low) + low).to(dtype)


def bern(shape, p=0.3):
    return torch.rand(shape, generator=gen) < p


def randomize(module, dtype):
    module.to(dtype)
    with torch.no_grad():
        for _, p in module.named_parameters():
            p.copy_(u(p.shape, -0.6, 0.6, torch.float64).to(dtype))
    module.train()
    return module


cases = []


def record(name, kind, config, module, inputs, masks, kwargs, run, same=None):
    """inputs: name -> tensor (leaves requiring grad); masks: name -> tensor or None; run(**leaves, **masks) -> (out, weights)."""
    leaves = {}
    for k, t in inputs.items():
        if same and k in same:
            leaves[k] = leaves[same[k]]
        else:
            leaves[k] = t.clone().requires_grad_(True)
    out, weights = run(**leaves, **{k: v for k, v in masks.items() if v is not None})
    up_out = u(out.shape, dtype=out.dtype)
    loss = (out * up_out).sum()
    up_w = None
    if weights is not None:
        up_w = u(weights.shape, dtype=weights.dtype)
        loss = loss + (weights * up_w).sum()
    loss.backward()
    entry = {
        "name": name,
        "module": kind,
        "config": config,
        "kwargs": kwargs,
        "same": same or {},
        "state": [{"key": k, "tensor": encode(v)} for k, v in module.state_dict().items()],
        "inputs": {k: encode(v.detach()) for k, v in leaves.items() if not (same and k in same)},
        "masks": {k: encode(v) for k, v in masks.items() if v is not None},
        "output": encode(out.detach()),
        "weights": None if weights is None else encode(weights.detach()),
        "up_out": encode(up_out),
        "up_w": None if up_w is None else encode(up_w),
        "input_grads": {k: encode(v.grad) for k, v in leaves.items() if not (same and k in same)},
        "param_grads": [{"key": k, "tensor": encode(p.grad)} for k, p in module.named_parameters()],
    }
    cases.append(entry)


def mha(name, embed, heads, L, S, N, batch_first=False, bias=True, kdim=None, vdim=None, same="qkv", attn_mask=None,
        kpm=None, need_weights=True, average=True, dtype=torch.float32, add_bias_kv=False, add_zero_attn=False):
    m = randomize(nn.MultiheadAttention(embed, heads, dropout=0.0, bias=bias, add_bias_kv=add_bias_kv, add_zero_attn=add_zero_attn,
                                        kdim=kdim, vdim=vdim, batch_first=batch_first), dtype)
    batched = N is not None

    def shape(seq, dim):
        if not batched:
            return [seq, dim]
        return [N, seq, dim] if batch_first else [seq, N, dim]

    inputs = {"query": u(shape(L, embed), dtype=dtype), "key": u(shape(S, kdim or embed), dtype=dtype),
              "value": u(shape(S, vdim or embed), dtype=dtype)}
    same_map = {"qkv": {"key": "query", "value": "query"}, "kv": {"value": "key"}, "none": None}[same]
    config = {"embed_dim": embed, "num_heads": heads, "bias": bias, "batch_first": batch_first, "kdim": kdim, "vdim": vdim,
              "add_bias_kv": add_bias_kv, "add_zero_attn": add_zero_attn}
    kwargs = {"need_weights": need_weights, "average_attn_weights": average}
    if attn_mask is not None and attn_mask.is_floating_point():
        attn_mask = attn_mask.to(dtype)
    if kpm is not None and kpm.is_floating_point():
        kpm = kpm.to(dtype)

    def run(query, key, value, **masks):
        return m(query, key, value, key_padding_mask=masks.get("key_padding_mask"), need_weights=need_weights,
                 attn_mask=masks.get("attn_mask"), average_attn_weights=average)

    record(name, "mha", config, m, inputs, {"attn_mask": attn_mask, "key_padding_mask": kpm}, kwargs, run, same_map)


def causal(n):
    return nn.Transformer.generate_square_subsequent_mask(n)


def float_mask(shape):
    return torch.where(bern(shape, 0.25), torch.tensor(float("-inf")), u(shape, -1.0, 1.0, torch.float64).float())


def kpm_bool(n, s):
    m = bern([n, s], 0.3)
    m[:, 0] = False  # every row keeps a key: a fully masked row is NaN in PyTorch too, but NaN gradients test nothing
    return m


f64 = torch.float64
# MultiheadAttention
mha("mha_self", 8, 2, 4, 4, 2)
mha("mha_self_batch_first_causal_kpm", 8, 2, 4, 4, 3, batch_first=True, attn_mask=causal(4).isinf(), kpm=kpm_bool(3, 4))
mha("mha_cross_float_mask_per_head", 8, 4, 3, 5, 2, same="kv", attn_mask=float_mask([3, 5]), average=False)
mha("mha_distinct_3d_bool_mask_float_kpm", 6, 3, 3, 4, 2, same="none",
    attn_mask=torch.cat([torch.zeros(6, 3, 1, dtype=torch.bool), bern([6, 3, 3])], 2), kpm=u([2, 4], -1.0, 0.0))
mha("mha_kdim_vdim_batch_first", 8, 2, 3, 5, 2, batch_first=True, kdim=5, vdim=6, same="none",
    attn_mask=float_mask([4, 3, 5]), kpm=kpm_bool(2, 5))
mha("mha_float_mask_bool_kpm", 8, 2, 4, 5, 2, same="kv", attn_mask=float_mask([4, 5]), kpm=kpm_bool(2, 5))
mha("mha_bool_mask_float_kpm", 8, 2, 4, 5, 2, same="kv", attn_mask=torch.cat([torch.zeros(4, 1, dtype=torch.bool), bern([4, 4])], 1),
    kpm=u([2, 5], -2.0, 0.0))
mha("mha_unbatched", 8, 2, 3, 5, None, same="kv", attn_mask=torch.cat([torch.zeros(3, 1, dtype=torch.bool), bern([3, 4])], 1),
    kpm=torch.tensor([False, False, True, False, True]))
mha("mha_unbatched_3d_mask_per_head", 4, 2, 3, 3, None, attn_mask=float_mask([2, 3, 3]), average=False)
mha("mha_unbatched_kdim_vdim", 4, 1, 2, 3, None, kdim=3, vdim=2, same="none")
mha("mha_no_bias", 6, 2, 3, 3, 2, bias=False)
mha("mha_no_weights", 8, 2, 4, 4, 2, batch_first=True, attn_mask=causal(4), need_weights=False)
mha("mha_head_dim_1", 4, 4, 3, 3, 2)
mha("mha_f64", 6, 3, 3, 4, 2, same="kv", attn_mask=float_mask([3, 4]), kpm=kpm_bool(2, 4), average=False, dtype=f64)
mha("mha_bias_kv_zero_attn", 8, 2, 3, 4, 2, same="kv", attn_mask=bern([3, 4]), kpm=kpm_bool(2, 4), add_bias_kv=True, add_zero_attn=True)
mha("mha_bias_kv_unbatched_per_head", 4, 2, 3, 3, None, attn_mask=float_mask([3, 3]), add_bias_kv=True, average=False)
mha("mha_zero_attn_batch_first_kdim", 4, 2, 2, 3, 2, batch_first=True, kdim=3, vdim=5, same="none", kpm=kpm_bool(2, 3), add_zero_attn=True)
mha("mha_kdim_f64", 4, 2, 3, 2, 2, kdim=3, vdim=5, same="none", dtype=f64)


def layer_config(d, h, ff, activation="relu", eps=1e-5, batch_first=False, norm_first=False):
    return {"d_model": d, "nhead": h, "dim_feedforward": ff, "activation": activation, "layer_norm_eps": eps,
            "batch_first": batch_first, "norm_first": norm_first}


def encoder_layer(name, cfg, L, N, src_mask=None, kpm=None, dtype=torch.float32, num_layers=None, final_norm=False):
    layer = nn.TransformerEncoderLayer(cfg["d_model"], cfg["nhead"], cfg["dim_feedforward"], 0.0, cfg["activation"],
                                       cfg["layer_norm_eps"], cfg["batch_first"], cfg["norm_first"])
    kind = "encoder_layer"
    config = dict(cfg)
    if num_layers is not None:
        norm = nn.LayerNorm(cfg["d_model"], eps=cfg["layer_norm_eps"]) if final_norm else None
        layer = nn.TransformerEncoder(layer, num_layers, norm, enable_nested_tensor=False)
        kind = "encoder"
        config.update(num_layers=num_layers, final_norm=final_norm)
    m = randomize(layer, dtype)
    d = cfg["d_model"]
    shape = [L, d] if N is None else ([N, L, d] if cfg["batch_first"] else [L, N, d])
    if src_mask is not None and src_mask.is_floating_point():
        src_mask = src_mask.to(dtype)

    def run(src, **masks):
        if kind == "encoder":
            return m(src, mask=masks.get("src_mask"), src_key_padding_mask=masks.get("src_key_padding_mask")), None
        return m(src, src_mask=masks.get("src_mask"), src_key_padding_mask=masks.get("src_key_padding_mask")), None

    record(name, kind, config, m, {"src": u(shape, dtype=dtype)}, {"src_mask": src_mask, "src_key_padding_mask": kpm}, {}, run)


def decoder_layer(name, cfg, T, S, N, tgt_mask=None, memory_mask=None, tgt_kpm=None, memory_kpm=None, dtype=torch.float32,
                  num_layers=None):
    layer = nn.TransformerDecoderLayer(cfg["d_model"], cfg["nhead"], cfg["dim_feedforward"], 0.0, cfg["activation"],
                                       cfg["layer_norm_eps"], cfg["batch_first"], cfg["norm_first"])
    kind = "decoder_layer"
    config = dict(cfg)
    if num_layers is not None:
        layer = nn.TransformerDecoder(layer, num_layers, nn.LayerNorm(cfg["d_model"], eps=cfg["layer_norm_eps"]))
        kind = "decoder"
        config.update(num_layers=num_layers, final_norm=True)
    m = randomize(layer, dtype)
    d = cfg["d_model"]

    def shape(seq):
        return [seq, d] if N is None else ([N, seq, d] if cfg["batch_first"] else [seq, N, d])

    masks = {"tgt_mask": tgt_mask, "memory_mask": memory_mask, "tgt_key_padding_mask": tgt_kpm, "memory_key_padding_mask": memory_kpm}
    masks = {k: (v.to(dtype) if v is not None and v.is_floating_point() else v) for k, v in masks.items()}

    def run(tgt, memory, **ms):
        return m(tgt, memory, **ms), None

    record(name, kind, config, m, {"tgt": u(shape(T), dtype=dtype), "memory": u(shape(S), dtype=dtype)}, masks, {}, run)


def transformer(name, cfg, enc, dec, S, T, N, dtype=torch.float32, **masks):
    m = nn.Transformer(cfg["d_model"], cfg["nhead"], enc, dec, cfg["dim_feedforward"], 0.0, cfg["activation"],
                       layer_norm_eps=cfg["layer_norm_eps"], batch_first=cfg["batch_first"], norm_first=cfg["norm_first"])
    m.encoder.enable_nested_tensor = False
    randomize(m, dtype)
    d = cfg["d_model"]

    def shape(seq):
        return [seq, d] if N is None else ([N, seq, d] if cfg["batch_first"] else [seq, N, d])

    config = dict(cfg, num_encoder_layers=enc, num_decoder_layers=dec)
    masks = {k: (v.to(dtype) if v is not None and v.is_floating_point() else v) for k, v in masks.items()}

    def run(src, tgt, **ms):
        return m(src, tgt, **ms), None

    record(name, "transformer", config, m, {"src": u(shape(S), dtype=dtype), "tgt": u(shape(T), dtype=dtype)}, masks, {}, run)


encoder_layer("encoder_layer_post_relu", layer_config(8, 2, 16), 5, 2, src_mask=causal(5), kpm=kpm_bool(2, 5))
encoder_layer("encoder_layer_pre_gelu_batch_first", layer_config(8, 4, 12, "gelu", 1e-3, True, True), 4, 3,
              src_mask=torch.cat([torch.zeros(4, 1, dtype=torch.bool), bern([4, 3])], 1))
encoder_layer("encoder_layer_unbatched", layer_config(6, 3, 10, "relu", 1e-5, False, True), 4, None,
              kpm=torch.tensor([False, True, False, False]))
encoder_layer("encoder_layer_no_masks_batch_first", layer_config(4, 2, 8, "gelu", 1e-5, True, False), 3, 2)
encoder_layer("encoder_layer_f64", layer_config(6, 2, 8, "gelu"), 4, 2, src_mask=causal(4), kpm=kpm_bool(2, 4), dtype=f64)
encoder_layer("encoder_two_layers_norm", layer_config(8, 2, 16), 4, 2, src_mask=causal(4), kpm=kpm_bool(2, 4), num_layers=2, final_norm=True)
encoder_layer("encoder_three_layers_pre_batch_first", layer_config(4, 2, 8, "gelu", 1e-5, True, True), 3, 2, num_layers=3)
decoder_layer("decoder_layer_post_relu", layer_config(8, 2, 16), 4, 5, 2, tgt_mask=causal(4), memory_kpm=kpm_bool(2, 5),
              tgt_kpm=kpm_bool(2, 4))
decoder_layer("decoder_layer_pre_gelu_batch_first", layer_config(8, 4, 12, "gelu", 1e-4, True, True), 3, 4, 2,
              tgt_mask=causal(3).isinf(), memory_mask=float_mask([3, 4]) * 0 + u([3, 4]))
decoder_layer("decoder_layer_unbatched", layer_config(6, 2, 8, "relu", 1e-5, False, False), 3, 2, None, tgt_mask=causal(3),
              memory_kpm=torch.tensor([False, True]))
decoder_layer("decoder_layer_f64", layer_config(4, 2, 6, "gelu", 1e-5, True, True), 3, 3, 2, tgt_mask=causal(3), dtype=f64)
decoder_layer("decoder_two_layers", layer_config(8, 2, 16), 3, 4, 2, tgt_mask=causal(3), num_layers=2)
transformer("transformer_small", layer_config(8, 2, 16), 2, 1, 5, 4, 2, src_key_padding_mask=kpm_bool(2, 5), tgt_mask=causal(4),
            memory_key_padding_mask=kpm_bool(2, 5))
transformer("transformer_batch_first_pre_gelu", layer_config(4, 2, 8, "gelu", 1e-5, True, True), 1, 2, 3, 4, 2, tgt_mask=causal(4))


def error(fn):
    try:
        fn()
    except (AssertionError, RuntimeError, ValueError) as e:
        return str(e).split("\n")[0]
    raise AssertionError("did not raise")


def mha8():
    return nn.MultiheadAttention(8, 2)


x3 = torch.zeros(3, 2, 8)
errors = {
    "not_divisible": error(lambda: nn.MultiheadAttention(6, 4)),
    "mask_2d_shape": error(lambda: mha8()(x3, x3, x3, attn_mask=torch.zeros(3, 4, dtype=torch.bool))),
    "mask_3d_shape": error(lambda: mha8()(x3, x3, x3, attn_mask=torch.zeros(2, 3, 3))),
    "mask_4d": error(lambda: mha8()(x3, x3, x3, attn_mask=torch.zeros(1, 4, 3, 3))),
    "mask_dtype": error(lambda: mha8()(x3, x3, x3, attn_mask=torch.zeros(3, 3, dtype=torch.int64))),
    "kpm_shape": error(lambda: mha8()(x3, x3, x3, key_padding_mask=torch.zeros(2, 4, dtype=torch.bool))),
    "kpm_rank": error(lambda: mha8()(x3, x3, x3, key_padding_mask=torch.zeros(2, 3, 1, dtype=torch.bool))),
    "kpm_dtype": error(lambda: mha8()(x3, x3, x3, key_padding_mask=torch.zeros(2, 3, dtype=torch.int64))),
    "query_rank": error(lambda: mha8()(torch.zeros(1, 3, 2, 8), torch.zeros(1, 3, 2, 8), torch.zeros(1, 3, 2, 8))),
    "key_rank": error(lambda: mha8()(x3, torch.zeros(3, 8), x3)),
    "unbatched_key_rank": error(lambda: mha8()(torch.zeros(3, 8), x3, torch.zeros(3, 8))),
    "unbatched_kpm_rank": error(lambda: mha8()(torch.zeros(3, 8), torch.zeros(3, 8), torch.zeros(3, 8),
                                               key_padding_mask=torch.zeros(1, 3, dtype=torch.bool))),
    "unbatched_mask_3d_shape": error(lambda: mha8()(torch.zeros(3, 8), torch.zeros(3, 8), torch.zeros(3, 8),
                                                    attn_mask=torch.zeros(4, 3, 3, dtype=torch.bool))),
    "embed_dim": error(lambda: mha8()(torch.zeros(3, 2, 6), torch.zeros(3, 2, 6), torch.zeros(3, 2, 6))),
    "key_value_shape": error(lambda: mha8()(x3, torch.zeros(4, 2, 8), torch.zeros(5, 2, 8))),
    "separate_key_value_dims": error(lambda: nn.MultiheadAttention(8, 2, kdim=5, vdim=6)(x3, torch.zeros(4, 2, 5), torch.zeros(5, 2, 6))),
    "separate_key_weight": error(lambda: nn.MultiheadAttention(8, 2, kdim=5, vdim=6)(x3, torch.zeros(4, 2, 6), torch.zeros(4, 2, 6))),
    "activation": error(lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh")),
    "encoder_kpm_dtype": error(lambda: nn.TransformerEncoderLayer(8, 2, 16)(x3, src_key_padding_mask=torch.zeros(2, 3, dtype=torch.int64))),
    "transformer_batch": error(lambda: nn.Transformer(8, 2, 1, 1, 16)(torch.zeros(3, 2, 8), torch.zeros(3, 3, 8))),
    "transformer_d_model": error(lambda: nn.Transformer(8, 2, 1, 1, 16)(torch.zeros(3, 2, 8), torch.zeros(3, 2, 6))),
}

torch.manual_seed(0)
reprs = {
    "mha": repr(nn.MultiheadAttention(8, 2)),
    "mha_kdim": repr(nn.MultiheadAttention(8, 2, kdim=5, vdim=6, bias=False)),
    "encoder_layer": repr(nn.TransformerEncoderLayer(8, 2, 16, 0.1)),
    "decoder_layer": repr(nn.TransformerDecoderLayer(8, 2, 16, 0.0, layer_norm_eps=1e-3)),
    "encoder": repr(nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 2, nn.LayerNorm(4))),
}
state_keys = {
    "mha": list(nn.MultiheadAttention(8, 2).state_dict().keys()),
    "mha_kdim": list(nn.MultiheadAttention(8, 2, kdim=5, vdim=6).state_dict().keys()),
    "mha_no_bias": list(nn.MultiheadAttention(8, 2, bias=False).state_dict().keys()),
    "encoder_layer": list(nn.TransformerEncoderLayer(8, 2, 16).state_dict().keys()),
    "decoder_layer": list(nn.TransformerDecoderLayer(8, 2, 16).state_dict().keys()),
    "encoder": list(nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 2, nn.LayerNorm(4)).state_dict().keys()),
    "transformer": list(nn.Transformer(4, 2, 1, 1, 8).state_dict().keys()),
}
masks = {str(n): encode(nn.Transformer.generate_square_subsequent_mask(n)) for n in (1, 4)}

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(FIXTURES, "transformer_cases.json")
with open(path, "w") as f:
    json.dump({"torch_version": torch.__version__, "cases": cases, "errors": errors, "reprs": reprs, "state_keys": state_keys,
               "square_subsequent_masks": masks}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
