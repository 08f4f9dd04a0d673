# Reproduces examples/conv_pool.out independently of TSL: NumPy/SciPy forward pass, gradients
# by central finite differences, one SGD step. Run: python3 examples/conv_pool_numpy.py
import numpy as np
from scipy.signal import convolve2d
data = ((np.arange(2*1*8*8) * 37 % 17 - 8) / 8.0).reshape(2,1,8,8)
labels = np.array([0,1])
W1 = ((np.arange(27) * 5 % 7 - 3) / 10.0).reshape(3,1,3,3)
b1 = np.array([0.1,-0.1,0.05])
W2 = ((np.arange(54) * 11 % 13 - 6) / 30.0).reshape(27,2)
b2 = np.zeros(2)
def forward(W1,b1,W2,b2):
    conv = np.zeros((2,3,6,6))
    for n in range(2):
        for o in range(3):
            conv[n,o] = convolve2d(data[n,0], W1[o,0], 'valid')
    h = np.tanh(conv + b1[None,:,None,None])
    pooled = h.reshape(2,3,3,2,3,2).max(axis=(3,5))
    f = pooled.reshape(2,27)
    z = f @ W2 + b2
    e = np.exp(z - z.max(1, keepdims=True)); p = e / e.sum(1, keepdims=True)
    return -np.mean(np.log(p[np.arange(2), labels])), p
params = [W1,b1,W2,b2]
loss, p = forward(*params)
print('loss before: %.10f' % loss); print('probabilities', ' '.join('%.8f' % v for v in p.ravel()))
new = []
for i, P in enumerate(params):
    g = np.zeros_like(P)
    for k in np.ndindex(*P.shape):
        for s in (1, -1):
            Q = [q.copy() for q in params]; Q[i][k] += s*1e-6
            g[k] += s * forward(*Q)[0] / 2e-6
    new.append(P - 0.5*g)
print('loss after: %.10f' % forward(*new)[0])
for name, v in [('W1[0, 0]', new[0][0,0].ravel()), ('b1', new[1]), ('W2[:3]', new[2][:3].ravel()), ('b2', new[3])]:
    print(name, ' '.join('%.8f' % x for x in v))
