"""The work of TSL's CudaBench in PyTorch, printed as the same "key: value" lines."""
import time

import torch


def timed(fn, warm=2, reps=9):
    for _ in range(warm):
        fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2]


dev = torch.device("cuda")
print(f"torch: {torch.__version__} on {torch.cuda.get_device_name(0)}")
n = 100_000_000
x = torch.rand(n, device=dev) - 0.5
y = torch.rand(n, device=dev) - 0.5
s = timed(lambda: x + y)
print(f"torch_elemwise_add_1e8_f32: {s * 1e3:.3f} ms, {12 * n / s / 1e9:.1f} GB/s")
s = timed(lambda: torch.sigmoid(x))
print(f"torch_elemwise_sigmoid_1e8_f32: {s * 1e3:.3f} ms, {8 * n / s / 1e9:.1f} GB/s")
s = timed(lambda: (torch.exp(x) * y + torch.tanh(x - y)).sum().item(), reps=7)
print(f"torch_graph_sum_exp_mul_tanh_1e8_f32 (eager, unfused): {s * 1e3:.3f} ms per call")
del x, y
torch.backends.cuda.matmul.allow_tf32 = False
m = 8192
a = torch.rand(m, m, device=dev) - 0.5
b = torch.rand(m, m, device=dev) - 0.5
s = timed(lambda: a @ b, warm=1, reps=5)
print(f"torch_sgemm_{m} (fp32, TF32 off): {s * 1e3:.2f} ms, {2 * m ** 3 / s / 1e12:.2f} TFLOP/s")
del a, b
batch, nin, hid, nout = 4096, 1024, 1024, 10
g = torch.Generator(device="cpu").manual_seed(0)
X = (torch.rand(batch, nin, generator=g) - 0.5).to(dev)
Y = torch.nn.functional.one_hot(torch.arange(batch) % nout, nout).float().to(dev)
w1 = ((torch.rand(nin, hid, generator=g) - 0.5) * 0.05).to(dev).requires_grad_()
b1 = torch.zeros(hid, device=dev, requires_grad=True)
w2 = ((torch.rand(hid, nout, generator=g) - 0.5) * 0.05).to(dev).requires_grad_()
b2 = torch.zeros(nout, device=dev, requires_grad=True)
params = [w1, b1, w2, b2]


def step():
    h = torch.relu(X @ w1 + b1)
    p = torch.softmax(h @ w2 + b2, dim=1)
    cost = (-(Y * torch.log(p)).sum(1)).mean()
    grads = torch.autograd.grad(cost, params)
    with torch.no_grad():
        for q, gq in zip(params, grads):
            q -= 0.1 * gq
    return cost.item()


s = timed(step, warm=2, reps=10)
print(f"torch_mlp_step_{batch}x{nin}x{hid}x{nout}_f32: {s * 1e3:.3f} ms per step")
