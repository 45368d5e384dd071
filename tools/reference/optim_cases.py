"""Reference trajectories of torch.optim optimizers and learning-rate schedulers (PyTorch 1.13, CPU).

Optimizers: a fixed problem (a tiny tanh MLP with fixed weights plus a separable quadratic) is run for 20 steps per
option combination, in float64 and float32. Every step records the gradients handed to the optimizer and the
parameters after ``step()``; the C# test feeds the same gradients, so the comparison isolates the update rule.
LBFGS (with and without strong_wolfe) runs on the Rosenbrock function, evaluated by the C# test itself.
Schedulers: the learning rates of two parameter groups over 30 steps. Errors: PyTorch's validation messages.
Writes tests/Autograd.Tests/Fixtures/optim_cases.json.
"""

import json
import os
import struct
import warnings

import torch

from refcases import FIXTURES, encode

warnings.filterwarnings("ignore")
STEPS = 20


def hexd(v):
    return struct.pack(">d", float(v)).hex()


def problem(dtype):
    g = torch.Generator().manual_seed(1234)

    def u(*shape, lo=-1.0, hi=1.0):
        return (torch.rand(shape, generator=g, dtype=torch.float64) * (hi - lo) + lo).to(dtype)

    data = dict(x=u(8, 3), y=u(8, 2), c=u(5, lo=0.5, hi=5.0), t=u(5))
    params = [u(4, 3).requires_grad_(), u(4).requires_grad_(), u(2, 4).requires_grad_(), u(2).requires_grad_(), u(5).requires_grad_()]
    return data, params


def loss_fn(data, params):
    w1, b1, w2, b2, q = params
    h = torch.tanh(data["x"] @ w1.T + b1)
    out = h @ w2.T + b2
    return ((out - data["y"]) ** 2).mean() + (data["c"] * (q - data["t"]) ** 2).sum()


def trajectory(make, dtype, skip_q_odd=False):
    data, params = problem(dtype)
    opt = make(params)
    case = {"dtype": "float64" if dtype == torch.float64 else "float32", "params0": [encode(p.detach()) for p in params], "steps": []}
    for step in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss_fn(data, params).backward()
        if skip_q_odd and step % 2 == 1:
            params[4].grad = None
        grads = [encode(p.grad) if p.grad is not None else None for p in params]
        opt.step()
        case["steps"].append({"grads": grads, "params": [encode(p.detach()) for p in params]})
    return case


O = torch.optim
OPTIMIZERS = {
    "sgd": lambda ps: O.SGD(ps, lr=0.1),
    "sgd_momentum": lambda ps: O.SGD(ps, lr=0.05, momentum=0.9),
    "sgd_dampening_wd": lambda ps: O.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
    "sgd_nesterov_wd": lambda ps: O.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "sgd_maximize_wd": lambda ps: O.SGD(ps, lr=0.01, weight_decay=0.1, maximize=True),
    "adam": lambda ps: O.Adam(ps, lr=0.01),
    "adam_amsgrad": lambda ps: O.Adam(ps, lr=0.01, amsgrad=True),
    "adam_wd_betas_eps": lambda ps: O.Adam(ps, lr=0.02, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1),
    "adam_maximize": lambda ps: O.Adam(ps, lr=0.01, maximize=True),
    "adamw": lambda ps: O.AdamW(ps, lr=0.01),
    "adamw_amsgrad_wd": lambda ps: O.AdamW(ps, lr=0.01, weight_decay=0.1, amsgrad=True),
    "rmsprop": lambda ps: O.RMSprop(ps, lr=0.01),
    "rmsprop_centered": lambda ps: O.RMSprop(ps, lr=0.01, centered=True),
    "rmsprop_momentum": lambda ps: O.RMSprop(ps, lr=0.01, momentum=0.9),
    "rmsprop_centered_momentum_wd": lambda ps: O.RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1),
    "rmsprop_maximize": lambda ps: O.RMSprop(ps, lr=0.001, maximize=True),
    "adagrad": lambda ps: O.Adagrad(ps, lr=0.1),
    "adagrad_decay_wd_init": lambda ps: O.Adagrad(ps, lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1),
    "adagrad_eps_maximize": lambda ps: O.Adagrad(ps, lr=0.05, eps=1e-5, maximize=True),
    "adam_groups": lambda ps: O.Adam([{"params": ps[:2], "lr": 0.02}, {"params": ps[2:], "weight_decay": 0.1}], lr=0.005),
    "sgd_groups": lambda ps: O.SGD([{"params": ps[:2], "momentum": 0.5}, {"params": ps[2:], "lr": 0.01, "nesterov": True}], lr=0.05, momentum=0.9),
}
SKIP = {"adam_skip": lambda ps: O.Adam(ps, lr=0.01), "sgd_momentum_skip": lambda ps: O.SGD(ps, lr=0.05, momentum=0.9)}

cases = {"trajectories": {}, "lbfgs": {}, "schedulers": {}, "errors": {}}
for dtype in (torch.float64, torch.float32):
    suffix = "_f64" if dtype == torch.float64 else "_f32"
    for name, make in OPTIMIZERS.items():
        cases["trajectories"][name + suffix] = trajectory(make, dtype)
    for name, make in SKIP.items():
        cases["trajectories"][name + suffix] = trajectory(make, dtype, skip_q_odd=True)


def rosenbrock_case(**kwargs):
    x = torch.tensor([-1.5], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([2.0], dtype=torch.float64, requires_grad=True)
    opt = O.LBFGS([x, y], **kwargs)

    def closure():
        opt.zero_grad()
        a = 1 - x
        b = y - x * x
        loss = (a * a + 100 * (b * b)).sum()
        loss.backward()
        return loss

    steps = []
    for _ in range(10):
        loss = opt.step(closure)
        steps.append({"loss": hexd(loss.item()), "x": hexd(x.item()), "y": hexd(y.item()),
                      "func_evals": opt.state[x]["func_evals"], "n_iter": opt.state[x]["n_iter"]})
    return steps


cases["lbfgs"]["plain"] = rosenbrock_case(lr=1, max_iter=5)
cases["lbfgs"]["plain_lr_history"] = rosenbrock_case(lr=0.5, max_iter=4, history_size=3)
cases["lbfgs"]["strong_wolfe"] = rosenbrock_case(lr=1, max_iter=5, line_search_fn="strong_wolfe")
cases["lbfgs"]["strong_wolfe_defaults"] = rosenbrock_case(line_search_fn="strong_wolfe")

S = torch.optim.lr_scheduler


def sched_optimizer(kind="sgd"):
    a = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    if kind == "adam":
        return O.Adam([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1)
    return O.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1, momentum=0.9)


def schedule(make, kind="sgd", steps=30, metrics=None, epochs=None):
    opt = sched_optimizer(kind)
    sched = make(opt)
    lrs = [[hexd(v) for v in sched.get_last_lr()]] if metrics is None else []
    moms = []
    for i in range(steps):
        opt.step()
        if metrics is not None:
            sched.step(metrics[i])
        elif epochs is not None:
            sched.step(epochs[i])
        else:
            sched.step()
        lrs.append([hexd(g["lr"]) for g in opt.param_groups])
        moms.append([hexd(g["betas"][0] if "betas" in g else g["momentum"]) for g in opt.param_groups])
    return {"lrs": lrs, "momenta": moms}


plateau_metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7,
                   0.7, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
SCHED = {
    "step": lambda o: S.StepLR(o, step_size=4, gamma=0.5),
    "multistep": lambda o: S.MultiStepLR(o, milestones=[3, 8, 8, 20], gamma=0.3),
    "constant": lambda o: S.ConstantLR(o, factor=0.25, total_iters=6),
    "exponential": lambda o: S.ExponentialLR(o, gamma=0.9),
    "cosine": lambda o: S.CosineAnnealingLR(o, T_max=10),
    "cosine_eta_min": lambda o: S.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
    "linear": lambda o: S.LinearLR(o, start_factor=0.1, total_iters=8),
    "linear_end": lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=12),
    "lambda": lambda o: S.LambdaLR(o, lr_lambda=lambda e: 0.95 ** e + 0.01 * e),
    "lambda_per_group": lambda o: S.LambdaLR(o, lr_lambda=[lambda e: 1.0 / (1 + e), lambda e: 0.5 * (e % 3)]),
    "onecycle_cos": lambda o: S.OneCycleLR(o, max_lr=0.2, total_steps=30),
    "onecycle_linear": lambda o: S.OneCycleLR(o, max_lr=[0.2, 0.4], total_steps=30, anneal_strategy="linear", pct_start=0.4),
    "onecycle_three_phase": lambda o: S.OneCycleLR(o, max_lr=0.3, epochs=3, steps_per_epoch=10, three_phase=True, div_factor=10.0, final_div_factor=100.0),
    "onecycle_no_momentum": lambda o: S.OneCycleLR(o, max_lr=0.2, total_steps=40, cycle_momentum=False),
    "sequential_warmup_cosine": lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5), S.CosineAnnealingLR(o, T_max=25)], milestones=[5]),
    "sequential_three": lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=4), S.ExponentialLR(o, gamma=0.9), S.StepLR(o, step_size=3, gamma=0.5)], milestones=[4, 15]),
    "chained": lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.5, total_iters=4), S.ExponentialLR(o, gamma=0.9)]),
}
for name, make in SCHED.items():
    cases["schedulers"][name] = schedule(make)
cases["schedulers"]["onecycle_adam"] = schedule(lambda o: S.OneCycleLR(o, max_lr=0.01, total_steps=30), kind="adam")
cases["schedulers"]["closed_step"] = schedule(lambda o: S.StepLR(o, step_size=3, gamma=0.5), steps=6, epochs=[2, 3, 7, 9, 1, 12])
cases["schedulers"]["closed_exponential"] = schedule(lambda o: S.ExponentialLR(o, gamma=0.8), steps=4, epochs=[3, 5, 0, 10])
cases["schedulers"]["closed_cosine"] = schedule(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.01), steps=4, epochs=[3, 10, 15, 4])
cases["schedulers"]["closed_multistep"] = schedule(lambda o: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.5), steps=4, epochs=[1, 2, 5, 9])
cases["schedulers"]["closed_linear"] = schedule(lambda o: S.LinearLR(o, start_factor=0.25, total_iters=4), steps=4, epochs=[1, 3, 4, 8])
PLATEAU = {
    "plateau_min_rel": lambda o: S.ReduceLROnPlateau(o, patience=2),
    "plateau_min_abs_cooldown": lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=1, threshold=0.05, threshold_mode="abs", cooldown=2, min_lr=0.003),
    "plateau_max_rel": lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.5, patience=0, min_lr=[0.01, 0.02]),
    "plateau_max_abs": lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.2, patience=3, threshold=0.01, threshold_mode="abs", eps=1e-3),
}
for name, make in PLATEAU.items():
    cases["schedulers"][name] = schedule(make, metrics=plateau_metrics)


def error(name, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        cases["errors"][name] = str(e)
        return
    raise AssertionError(name + " did not raise")


p = [torch.zeros(2, requires_grad=True)]
error("sgd_lr", lambda: O.SGD(p, lr=-1.0))
error("sgd_momentum", lambda: O.SGD(p, lr=0.1, momentum=-0.5))
error("sgd_weight_decay", lambda: O.SGD(p, lr=0.1, weight_decay=-0.01))
error("sgd_nesterov_no_momentum", lambda: O.SGD(p, lr=0.1, nesterov=True))
error("sgd_nesterov_dampening", lambda: O.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True))
error("adam_lr", lambda: O.Adam(p, lr=-0.001))
error("adam_eps", lambda: O.Adam(p, eps=-1e-8))
error("adam_beta0", lambda: O.Adam(p, betas=(1.0, 0.999)))
error("adam_beta1", lambda: O.Adam(p, betas=(0.9, -0.5)))
error("adam_weight_decay", lambda: O.Adam(p, weight_decay=-1.0))
error("adamw_beta0", lambda: O.AdamW(p, betas=(-0.1, 0.999)))
error("rmsprop_alpha", lambda: O.RMSprop(p, alpha=-0.99))
error("rmsprop_momentum", lambda: O.RMSprop(p, momentum=-0.9))
error("rmsprop_eps", lambda: O.RMSprop(p, eps=-1e-05))
error("adagrad_lr_decay", lambda: O.Adagrad(p, lr_decay=-0.1))
error("adagrad_initial_accumulator", lambda: O.Adagrad(p, initial_accumulator_value=-1.0))
error("adagrad_eps", lambda: O.Adagrad(p, eps=-1e-10))
error("empty", lambda: O.SGD([], lr=0.1))
error("non_leaf", lambda: O.SGD([p[0] * 2], lr=0.1))
error("duplicate_group", lambda: O.SGD([{"params": p}, {"params": p}], lr=0.1))
error("lbfgs_groups", lambda: O.LBFGS([{"params": [torch.zeros(1, requires_grad=True)]}, {"params": [torch.zeros(1, requires_grad=True)]}]))
error("plateau_factor", lambda: S.ReduceLROnPlateau(O.SGD(p, lr=0.1), factor=1.0))
error("plateau_mode", lambda: S.ReduceLROnPlateau(O.SGD(p, lr=0.1), mode="middle"))
error("plateau_threshold_mode", lambda: S.ReduceLROnPlateau(O.SGD(p, lr=0.1), threshold_mode="pct"))
error("linear_start", lambda: S.LinearLR(O.SGD(p, lr=0.1), start_factor=1.5))
error("onecycle_none", lambda: S.OneCycleLR(O.SGD(p, lr=0.1), max_lr=0.1))
error("onecycle_total", lambda: S.OneCycleLR(O.SGD(p, lr=0.1), max_lr=0.1, total_steps=0))
error("onecycle_anneal", lambda: S.OneCycleLR(O.SGD(p, lr=0.1), max_lr=0.1, total_steps=10, anneal_strategy="exp"))
error("onecycle_momentum", lambda: S.OneCycleLR(O.Adagrad(p, lr=0.1), max_lr=0.1, total_steps=10))


def sequential_milestones():
    opt = O.SGD(p, lr=0.1)
    S.SequentialLR(opt, [S.StepLR(opt, 2)], milestones=[3])


error("sequential_milestones", sequential_milestones)


def overstep():
    opt = O.SGD(p, lr=0.1, momentum=0.9)
    s = S.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    for _ in range(4):
        s.step()


error("onecycle_overstep", overstep)

with open(os.path.join(FIXTURES, "optim_cases.json"), "w") as f:
    json.dump(cases, f, indent=None, separators=(",", ":"))
print(len(cases["trajectories"]), "trajectories,", len(cases["schedulers"]), "schedules,", len(cases["errors"]), "errors")
