"""Reference cases for the recurrent layers nn.RNN, nn.LSTM, nn.GRU and their cells (tests/Autograd.Tests/NN/RecurrentTests.cs).

Each case runs one torch module whose parameters are replaced by the case's leaves (so their gradients are
recorded): the inputs are the sequence, then the initial state when the case has one (h0, then c0 for an LSTM),
then the parameters in torch's registration order, whose names are listed under "params". The recorded output is
cat(output.flatten(), h_n.flatten()[, c_n.flatten()]) (a cell: its new h[, c]), so the gradients of
sum(upstream · that) are those of a scalar loss over every output and final state. The file also holds "reprs"
(repr(module)) and the torch error messages of invalid calls as ordinary error cases.
"""

import json
import os
import sys

import torch
import torch.nn as nn

from refcases import FIXTURES, Cases

C = Cases(20261211)
f64 = torch.float64
meta = {}


def load(m, params):
    """Puts the leaves in as m's parameters (RNNBase keeps a second list of them, _flat_weights, in sync)."""
    for k, v in params.items():
        m._parameters[k] = v
    if hasattr(m, "_flat_weights_names"):
        m._flat_weights = [getattr(m, wn) for wn in m._flat_weights_names]


def run(name, make, x, state=(), dtype=torch.float32, eval_mode=False, second_order=False):
    """One forward of make() on x (and the initial state), with freshly drawn weights in U(±0.5)."""
    m = make().to(dtype)
    names = [k for k, _ in m.named_parameters()]
    params = [C.uniform(p.shape, -0.5, 0.5, dtype) for _, p in m.named_parameters()]
    state = [s.to(dtype) for s in state]
    meta[name] = {"params": names, "inputs": 1 + len(state)}
    is_cell = isinstance(m, nn.RNNCellBase)
    is_lstm = isinstance(m, (nn.LSTM, nn.LSTMCell))

    def fn(*leaves):
        mod = make().to(dtype)
        if eval_mode:
            mod.eval()
        load(mod, dict(zip(names, leaves[1 + len(state):])))
        hx = None
        if state:
            hx = (leaves[1], leaves[2]) if is_lstm else leaves[1]
        result = mod(leaves[0], hx)
        if is_cell:
            parts = list(result) if is_lstm else [result]
        else:
            out, hn = result
            parts = [out] + (list(hn) if is_lstm else [hn])
        return torch.cat([p.reshape(-1) for p in parts])

    C.case(name, fn, x.to(dtype), *state, *params, second_order=second_order)


u = C.uniform
T, N, I, H = 5, 2, 3, 4
for dt, tag in ((torch.float32, "f32"), (f64, "f64")):
    so = dt == f64
    # RNN
    run(f"rnn_tanh_{tag}", lambda: nn.RNN(I, H), u([T, N, I]), dtype=dt, second_order=so)
    run(f"rnn_tanh_2layer_h0_{tag}", lambda: nn.RNN(I, H, num_layers=2), u([T, N, I]), [u([2, N, H])], dtype=dt)
    run(f"rnn_relu_bidir_h0_{tag}", lambda: nn.RNN(I, H, nonlinearity="relu", bidirectional=True), u([T, N, I]), [u([2, N, H])], dtype=dt)
    run(f"rnn_nobias_batchfirst_{tag}", lambda: nn.RNN(I, H, bias=False, batch_first=True), u([N, T, I]), dtype=dt)
    run(f"rnn_unbatched_2layer_h0_{tag}", lambda: nn.RNN(I, H, num_layers=2), u([T, I]), [u([2, H])], dtype=dt)
    run(f"rnn_relu_2layer_bidir_batchfirst_{tag}", lambda: nn.RNN(I, H, num_layers=2, nonlinearity="relu", bidirectional=True, batch_first=True),
        u([N, T, I]), dtype=dt)
    # LSTM
    run(f"lstm_{tag}", lambda: nn.LSTM(I, H), u([T, N, I]), dtype=dt, second_order=so)
    run(f"lstm_2layer_bidir_h0_{tag}", lambda: nn.LSTM(I, H, num_layers=2, bidirectional=True), u([T, N, I]), [u([4, N, H]), u([4, N, H])], dtype=dt,
        second_order=so)
    run(f"lstm_nobias_batchfirst_{tag}", lambda: nn.LSTM(I, H, bias=False, batch_first=True), u([N, T, I]), dtype=dt)
    run(f"lstm_unbatched_h0_{tag}", lambda: nn.LSTM(I, H), u([T, I]), [u([1, H]), u([1, H])], dtype=dt)
    run(f"lstm_unbatched_bidir_batchfirst_{tag}", lambda: nn.LSTM(I, H, bidirectional=True, batch_first=True), u([T, I]), dtype=dt)
    run(f"lstm_2layer_dropout_eval_{tag}", lambda: nn.LSTM(I, H, num_layers=2, dropout=0.5), u([T, N, I]), dtype=dt, eval_mode=True)
    # GRU
    run(f"gru_{tag}", lambda: nn.GRU(I, H), u([T, N, I]), dtype=dt, second_order=so)
    run(f"gru_2layer_bidir_h0_{tag}", lambda: nn.GRU(I, H, num_layers=2, bidirectional=True), u([T, N, I]), [u([4, N, H])], dtype=dt,
        second_order=so)
    run(f"gru_nobias_batchfirst_h0_{tag}", lambda: nn.GRU(I, H, bias=False, batch_first=True), u([N, T, I]), [u([1, N, H])], dtype=dt)
    run(f"gru_unbatched_2layer_{tag}", lambda: nn.GRU(I, H, num_layers=2), u([T, I]), dtype=dt)
    # Cells
    run(f"rnncell_tanh_h_{tag}", lambda: nn.RNNCell(I, H), u([N, I]), [u([N, H])], dtype=dt, second_order=so)
    run(f"rnncell_relu_{tag}", lambda: nn.RNNCell(I, H, nonlinearity="relu"), u([N, I]), dtype=dt)
    run(f"rnncell_unbatched_nobias_h_{tag}", lambda: nn.RNNCell(I, H, bias=False), u([I]), [u([H])], dtype=dt)
    run(f"lstmcell_h_{tag}", lambda: nn.LSTMCell(I, H), u([N, I]), [u([N, H]), u([N, H])], dtype=dt, second_order=so)
    run(f"lstmcell_{tag}", lambda: nn.LSTMCell(I, H), u([N, I]), dtype=dt)
    run(f"lstmcell_unbatched_nobias_h_{tag}", lambda: nn.LSTMCell(I, H, bias=False), u([I]), [u([H]), u([H])], dtype=dt)
    run(f"grucell_h_{tag}", lambda: nn.GRUCell(I, H), u([N, I]), [u([N, H])], dtype=dt, second_order=so)
    run(f"grucell_{tag}", lambda: nn.GRUCell(I, H), u([N, I]), dtype=dt)
    run(f"grucell_unbatched_nobias_h_{tag}", lambda: nn.GRUCell(I, H, bias=False), u([I]), [u([H])], dtype=dt)


# Invalid calls: (name, module, input shape, state shapes); modules are LSTM(10, 20, 2), GRU/RNN(10, 20) and cells(10, 20).
def error(name, make, x, *state):
    m = make()
    meta[name] = {"params": [], "inputs": 1 + len(state)}
    tensors = [torch.zeros(x)] + [torch.zeros(s) for s in state]

    def fn(*t):
        hx = None
        if len(t) == 3:
            hx = (t[1], t[2])
        elif len(t) == 2:
            hx = t[1]
        return m(t[0], hx)

    C.error(name, fn, *tensors)


lstm = lambda: nn.LSTM(10, 20, num_layers=2)  # noqa: E731
error("error_lstm_input_size", lstm, [4, 3, 7])
error("error_lstm_h0_shape", lstm, [4, 3, 10], [1, 3, 20], [2, 3, 20])
error("error_lstm_c0_shape", lstm, [4, 3, 10], [2, 3, 20], [2, 3, 2])
error("error_lstm_4d_input", lstm, [4, 3, 2, 10])
error("error_lstm_unbatched_3d_state", lstm, [4, 10], [2, 3, 20], [2, 3, 20])
error("error_lstm_batched_2d_state", lstm, [4, 3, 10], [2, 20], [2, 20])
error("error_gru_h0_shape", lambda: nn.GRU(10, 20), [4, 3, 10], [1, 2, 20])
error("error_gru_4d_input", lambda: nn.GRU(10, 20), [4, 3, 2, 10])
error("error_gru_input_size", lambda: nn.GRU(10, 20, batch_first=True), [3, 4, 9])
error("error_rnn_h0_2d", lambda: nn.RNN(10, 20), [4, 3, 10], [3, 20])
error("error_rnn_h0_shape_bidir", lambda: nn.RNN(10, 20, bidirectional=True), [4, 3, 10], [1, 3, 20])
error("error_rnn_unbatched_h0_3d", lambda: nn.RNN(10, 20), [4, 10], [1, 1, 20])
error("error_rnn_1d_input", lambda: nn.RNN(10, 20), [10])
error("error_lstmcell_input_size", lambda: nn.LSTMCell(10, 20), [3, 7])
error("error_lstmcell_h_batch", lambda: nn.LSTMCell(10, 20), [3, 10], [2, 20], [3, 20])
error("error_lstmcell_h_size", lambda: nn.LSTMCell(10, 20), [3, 10], [3, 5], [3, 20])
error("error_lstmcell_c_size", lambda: nn.LSTMCell(10, 20), [3, 10], [3, 20], [3, 5])
error("error_lstmcell_3d", lambda: nn.LSTMCell(10, 20), [2, 3, 10])
error("error_grucell_1d_h", lambda: nn.GRUCell(10, 20), [3, 10], [20])
error("error_rnncell_unbatched_2d_h", lambda: nn.RNNCell(10, 20), [10], [1, 20])
error("error_rnncell_input_size", lambda: nn.RNNCell(10, 20, nonlinearity="relu"), [3, 11], [3, 20])
error("error_grucell_3d", lambda: nn.GRUCell(10, 20), [1, 3, 10])

reprs = {
    "lstm": repr(nn.LSTM(10, 20, num_layers=2, batch_first=True)),
    "rnn": repr(nn.RNN(3, 4, num_layers=2, nonlinearity="relu", bias=False, dropout=0.5, bidirectional=True)),
    "gru": repr(nn.GRU(3, 4)),
    "gru_dropout": repr(nn.GRU(3, 4, num_layers=3, dropout=0.25)),
    "rnncell": repr(nn.RNNCell(3, 4)),
    "rnncell_relu": repr(nn.RNNCell(3, 4, bias=False, nonlinearity="relu")),
    "lstmcell": repr(nn.LSTMCell(3, 4, bias=False)),
    "grucell": repr(nn.GRUCell(3, 4)),
}

C.write("rnn_cases.json")
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(FIXTURES, "rnn_cases.json")
with open(path) as f:
    data = json.load(f)
data.update(meta=meta, reprs=reprs)
with open(path, "w") as f:
    json.dump(data, f, separators=(",", ":"))
    f.write("\n")
