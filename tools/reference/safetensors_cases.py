"""Checkpoint fixtures for tests/Autograd.Tests/Serialization (PyTorch 1.13, system interpreter, no safetensors package).

Writes under tests/Autograd.Tests/Fixtures/serialization/:

* ``torch_state_dict.pt``   torch.save of an OrderedDict covering float32/float64/int64/int32/bool/float16/bfloat16,
                            a transposed (non-contiguous) view, a strided slice, two tensors sharing one storage at
                            different offsets, a 0-d tensor and an empty tensor.
* ``torch_module.pt``       torch.save(model.state_dict()) of a small nn.Sequential (carries the ``_metadata`` BUILD).
* ``torch_parameters.pt``   torch.save of a dict of nn.Parameter (``torch._utils._rebuild_parameter``).
* ``all_dtypes.safetensors`` a safetensors file of every supported dtype written by ``write_safetensors`` below, a
                            hand-written copy of the reference writer (8-byte little-endian header length, compact JSON
                            header with ``__metadata__`` first, tensors ordered by descending dtype alignment then name,
                            header padded with spaces to a multiple of 8, then the raw little-endian data).
* ``expected.json``         for every tensor of every file: dtype, shape and the row-major little-endian bytes in hex,
                            so the C# tests compare bit for bit.

It also *verifies* ``csharp_written.safetensors``, which the C# test ``SafeTensorsTests.WriterMatchesCommittedFile``
produces from ``csharp_dict()`` (set AUTOGRAD_WRITE_FIXTURES=1 when running that test to regenerate it): the file is
read here with torch (``torch.frombuffer`` over the parsed offsets), its values must equal ``csharp_dict()``, and its
bytes must equal what ``write_safetensors`` writes for the same dict. The C# side checks the same bytes, so the C#
writer, this writer and torch's reading of the data agree.
"""

import collections
import json
import os
import struct

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Autograd.Tests", "Fixtures", "serialization")

SAFE = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32", torch.bool: "BOOL",
        torch.float16: "F16", torch.bfloat16: "BF16"}
TORCH = {v: k for k, v in SAFE.items()}
# The reference implementation's Dtype enum order (increasing alignment), restricted to the supported dtypes.
ALIGNMENT = {"BOOL": 0, "F16": 1, "BF16": 2, "I32": 3, "F32": 4, "F64": 5, "I64": 6}
NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.int32: "int32",
         torch.bool: "bool", torch.float16: "float16", torch.bfloat16: "bfloat16"}


def raw_bytes(t):
    """Row-major little-endian bytes of t."""
    t = t.detach().contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def write_safetensors(tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-ALIGNMENT[SAFE[kv[1].dtype]], kv[0].encode("utf-8")))
    header = {}
    if metadata is not None:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata, key=lambda k: k.encode("utf-8"))}
    offset, blobs = 0, []
    for name, t in items:
        data = raw_bytes(t)
        header[name] = {"dtype": SAFE[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def read_safetensors(blob):
    """torch tensors from safetensors bytes (order of the data), checking contiguity as the format requires."""
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", None)
    data = blob[8 + n:]
    out, expected = collections.OrderedDict(), 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, end = info["data_offsets"]
        assert begin == expected, name
        expected = end
        dtype = TORCH[info["dtype"]]
        if end > begin:
            t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype)
        else:
            t = torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    assert expected == len(data)
    return out, metadata


def expected_entry(t):
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "hex": raw_bytes(t).hex()}


def state_dict():
    g = torch.Generator().manual_seed(1234)
    sd = collections.OrderedDict()
    base = torch.randn(3, 4, generator=g)
    sd["weight"] = base
    sd["weight_t"] = base.t()                                   # non-contiguous view of the same storage
    sd["row1"] = base[1]                                        # shares the storage at offset 4
    sd["strided"] = torch.arange(20, dtype=torch.float64).reshape(4, 5)[::2, 1::2]   # offset 1, strides (10, 2)
    sd["special"] = torch.tensor([0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e-45, 3.4e38])
    sd["long"] = torch.tensor([[-(2 ** 62), -1, 0], [1, 2 ** 40, 2 ** 63 - 1]], dtype=torch.int64)
    sd["int"] = torch.tensor([-2147483648, 0, 2147483647], dtype=torch.int32)
    sd["mask"] = torch.tensor([[True, False, True], [False, False, True]])
    sd["half"] = torch.tensor([1.0, -2.5, 65504.0, 6e-8, float("inf")], dtype=torch.float16)
    sd["bf16"] = torch.tensor([1.0, -2.5, 3.0e38, 1e-30, float("nan")], dtype=torch.bfloat16)
    sd["scalar"] = torch.tensor(2.5, dtype=torch.float64)
    sd["empty"] = torch.zeros(0, 3)
    sd["count"] = torch.tensor(7)
    return sd


def module():
    torch.manual_seed(7)
    return torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2), torch.nn.Linear(2, 1))


def parameters():
    torch.manual_seed(11)
    return {"w": torch.nn.Parameter(torch.randn(2, 2)), "b": torch.nn.Parameter(torch.zeros(2), requires_grad=False)}


def all_dtypes():
    g = torch.Generator().manual_seed(99)
    t = collections.OrderedDict()
    t["f32"] = torch.randn(2, 3, generator=g)
    t["f64"] = torch.randn(3, generator=g, dtype=torch.float64)
    t["i64"] = torch.tensor([[-5, 6], [7, 2 ** 50]], dtype=torch.int64)
    t["i32"] = torch.tensor([1, -2, 3], dtype=torch.int32)
    t["bool"] = torch.tensor([True, False, True, True, False])
    t["f16"] = torch.tensor([0.5, -1.25, 1024.0], dtype=torch.float16)
    t["bf16"] = torch.tensor([0.5, -1.25, 1e20], dtype=torch.bfloat16)
    t["a_scalar"] = torch.tensor(-3.5)
    t["z_empty"] = torch.zeros(2, 0, dtype=torch.float64)
    t["non_contig"] = torch.arange(6, dtype=torch.float32).reshape(2, 3).t()
    return t


ALL_DTYPES_METADATA = {"format": "pt", "note": "quote \" backslash \\ tab \t newline \n", "unicode": "héllo ✓"}


def csharp_dict():
    """The dict that SafeTensorsTests.CSharpDict builds (same values, same names)."""
    t = collections.OrderedDict()
    t["layer.weight"] = (torch.arange(12, dtype=torch.float32).reshape(3, 4) - 5.5) / 4
    t["layer.bias"] = torch.tensor([0.25, -0.5, 1.0], dtype=torch.float64)
    t["steps"] = torch.tensor(42, dtype=torch.int64)
    t["ids"] = torch.tensor([3, -1, 7], dtype=torch.int32)
    t["mask"] = torch.tensor([True, False, True])
    t["half"] = torch.tensor([1.5, -0.25], dtype=torch.float16)
    t["bhalf"] = torch.tensor([1.5, -0.25], dtype=torch.bfloat16)
    return t


CSHARP_METADATA = {"written_by": "Autograd"}


def same(a, b):
    return a.dtype == b.dtype and list(a.shape) == list(b.shape) and raw_bytes(a) == raw_bytes(b)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    sd = state_dict()
    path = os.path.join(OUT, "torch_state_dict.pt")
    torch.save(sd, path)
    expected["torch_state_dict.pt"] = {k: expected_entry(v) for k, v in sd.items()}
    assert all(same(torch.load(path)[k], v) for k, v in sd.items())

    m = module()
    with torch.no_grad():
        m[1].running_mean.copy_(torch.tensor([0.5, -0.5]))
        m[1].running_var.copy_(torch.tensor([2.0, 3.0]))
        m[1].num_batches_tracked.fill_(3)
    msd = m.state_dict()
    torch.save(msd, os.path.join(OUT, "torch_module.pt"))
    expected["torch_module.pt"] = {k: expected_entry(v) for k, v in msd.items()}

    p = parameters()
    torch.save(p, os.path.join(OUT, "torch_parameters.pt"))
    expected["torch_parameters.pt"] = {k: dict(expected_entry(v), requires_grad=v.requires_grad) for k, v in p.items()}

    t = all_dtypes()
    blob = write_safetensors(t, ALL_DTYPES_METADATA)
    with open(os.path.join(OUT, "all_dtypes.safetensors"), "wb") as f:
        f.write(blob)
    back, meta = read_safetensors(blob)
    assert meta == ALL_DTYPES_METADATA and all(same(back[k], v) for k, v in t.items())
    expected["all_dtypes.safetensors"] = {k: expected_entry(back[k]) for k in back}   # in file (data) order
    expected["all_dtypes.metadata"] = ALL_DTYPES_METADATA

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")

    written = os.path.join(OUT, "csharp_written.safetensors")
    if os.path.exists(written):
        with open(written, "rb") as f:
            blob = f.read()
        back, meta = read_safetensors(blob)
        ref = csharp_dict()
        assert meta == CSHARP_METADATA, meta
        assert list(back) == sorted(ref, key=lambda k: (-ALIGNMENT[SAFE[ref[k].dtype]], k)), list(back)
        assert all(same(back[k], ref[k]) for k in ref)
        assert blob == write_safetensors(ref, CSHARP_METADATA), "csharp_written.safetensors differs from the Python writer"
        print("csharp_written.safetensors: loads in torch with the expected values, bytes equal the Python writer")
    else:
        print("csharp_written.safetensors absent: run the C# test WriterMatchesCommittedFile with AUTOGRAD_WRITE_FIXTURES=1")


if __name__ == "__main__":
    main()
