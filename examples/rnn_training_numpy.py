# The same training as rnn_training.tsl, in NumPy with hand-written backpropagation through
# time: `python3 rnn_training_numpy.py` prints what rnn_training.out holds.
import numpy as np

rng = np.random.RandomState(0)
n_in, n_hid, n_steps = 3, 5, 7
W = rng.uniform(-0.5, 0.5, (n_hid, n_hid))
U = rng.uniform(-0.5, 0.5, (n_hid, n_in))
b = np.zeros(n_hid)
v = rng.uniform(-0.5, 0.5, n_hid)
lr = 0.1
data = rng.uniform(-1, 1, (n_steps, n_in))
target = np.sin(np.arange(n_steps))

for epoch in range(6):
    hs = []
    h = np.zeros(n_hid)
    for t in range(n_steps):
        h = np.tanh(W @ h + U @ data[t] + b)
        hs.append(h)
    hs = np.array(hs)
    pred = hs @ v
    loss = np.mean((pred - target) ** 2)
    dpred = 2 * (pred - target) / n_steps
    dv = hs.T @ dpred
    dW = np.zeros_like(W); dU = np.zeros_like(U); db = np.zeros_like(b)
    dh_next = np.zeros(n_hid)
    for t in reversed(range(n_steps)):
        dh = dpred[t] * v + dh_next
        dz = dh * (1 - hs[t] ** 2)
        h_prev = hs[t - 1] if t > 0 else np.zeros(n_hid)
        dW += np.outer(dz, h_prev); dU += np.outer(dz, data[t]); db += dz
        dh_next = W.T @ dz
    print('epoch %d  loss %.8f' % (epoch, loss))
    W -= lr * dW; U -= lr * dU; b -= lr * db; v -= lr * dv
print('v after training', np.round(v, 6))
