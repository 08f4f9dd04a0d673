"""NumPy/SciPy values of OpMatrixTest's value cases (run: python3 op_matrix_values.py)."""
import numpy as np
from scipy.special import logsumexp, softmax, log_softmax
A = np.array([[1.5, -2, 0.25], [3, 0.5, -1]])
B = np.array([[1, -0.5], [2, 0.25], [-1.5, 3]])
V3 = np.array([0.5, -1, 2]); V2 = np.array([2, -0.5])
T3 = (np.arange(12) / 4 - 1).reshape(2, 2, 3)
T3b = (np.arange(12) / 8 - 0.5).reshape(2, 3, 2)
IMG = ((np.arange(16) * 5 % 16) / 8 - 1).reshape(1, 1, 4, 4)
FIL = np.array([[1, -0.5], [0.25, 2]]).reshape(1, 1, 2, 2)
def conv(x, w):  # valid cross-correlation flipped = true convolution, as Theano's conv2d (filter_flip=True)
    wf = w[:, :, ::-1, ::-1]; n, c, h, ww = x.shape; f, _, kh, kw = w.shape
    out = np.zeros((n, f, h - kh + 1, ww - kw + 1))
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            out[:, :, i, j] = np.tensordot(x[:, :, i:i+kh, j:j+kw], wf, ([1, 2, 3], [1, 2, 3]))
    return out
def pool(x, mode):
    r = x.reshape(1, 1, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(1, 1, 2, 2, 4)
    return r.max(-1) if mode == 'max' else r.mean(-1)
cases = {
 'sum None': A.sum(), 'sum axis 1 keepdims': A.sum(1, keepdims=True), 'sum axes (0, 2)': T3.sum((0, 2)),
 'prod axis 0': A.prod(0), 'max axis 1': A.max(1), 'min None': A.min(), 'mean axis (0,)': A.mean(0),
 'var axis 1': A.var(1), 'std None': A.std(), 'logsumexp axis 1': logsumexp(A, 1),
 'all axis 0': np.all(A, 0), 'any None keepdims': np.any(A > 2, keepdims=True),
 'argmax axis 1': A.argmax(1), 'argmin None': A.argmin(), 'argmax axis 0 keepdims': A.argmax(0)[None],
 'dot mm': A @ B, 'dot mv': A @ V3, 'dot vm': V3 @ B, 'dot vv': V3 @ V3, 'outer': np.outer(V3, V2),
 'tensordot': np.tensordot(T3, B, 1), 'matmul 3d': T3 @ T3b, 'batched_dot': T3 @ T3b,
 'gemm': 0.5 * (np.ones((2, 2))) + 2 * (A @ B), 'gemv': -1 * V2 + 0.5 * (A @ V3),
 'reshape (3,-1)': A.reshape(3, -1), 'flatten': T3.reshape(2, -1),
 'dimshuffle 1 x 0': A.T[:, None, :], 'transpose': A.T,
 'concatenate axis 1': np.concatenate([A, B.T], 1), 'stack': np.stack([V3, V3 * 2]),
 'repeat': np.repeat(V3, [1, 2, 0]), 'repeat axis 0': np.repeat(A, 2, 0), 'tile': np.tile(V3, 2),
 'alloc': np.broadcast_to(V3, (2, 3)), 'zeros_like': np.zeros_like(A), 'ones_like': np.ones_like(A),
 'arange': np.arange(0.5, 3, 0.75), 'eye': np.eye(3, 4, 1),
 'shape': np.array(A.shape), 'sort axis 1': np.sort(A, 1), 'sort None': np.sort(A, None), 'argsort': np.argsort(A, 1),
 'cumsum axis 1': np.cumsum(A, 1), 'cumprod None': np.cumprod(A), 'diff': np.diff(A),
 'basic slice': A[1:, ::-1], 'negative index': A[-1, -2], 'advanced int': A[[1, 0, 1]], 'mask': A[A > 0.3],
 'set_subtensor': (lambda a: (a.__setitem__((0, slice(1, None)), [9, 8]), a)[1])(A.copy()),
 'inc_subtensor': (lambda a: (a.__setitem__((slice(None), 0), a[:, 0] + 1), a)[1])(A.copy()),
 'advanced inc': (lambda v: (np.add.at(v, [0, 2, 0], [1, 2, 3]), v)[1])(V3.copy()),
 'advanced set': (lambda v: (v.__setitem__([2, 0], [7, 6]), v)[1])(V3.copy()),
 'nonzero': np.nonzero(A - 0.5)[1], 'softmax': softmax(A, 1), 'log_softmax': log_softmax(A, 1),
 'conv2d': conv(IMG, FIL), 'max pool': pool(IMG, 'max'), 'average pool': pool(IMG, 'avg'),
 'specify_shape': A, 'ifelse then': A * 2, 'ifelse else': A - 1, 'scan cumsum': np.cumsum(A, 0),
}
for k, v in cases.items():
    v = np.asarray(v)
    print('%-24s %-10s %s' % (k, str(v.shape).replace(' ', ''), ', '.join(repr(float(x)) for x in v.ravel())))
print('conv grads:')
# d sum(conv2d(x, w)^2)/dx and /dw via finite formulas: autograd-free: use numpy by linearity
c = conv(IMG, FIL); g = 2 * c
gx = np.zeros_like(IMG); gw = np.zeros_like(FIL)
wf = FIL[:, :, ::-1, ::-1]
for i in range(3):
    for j in range(3):
        gx[0, 0, i:i+2, j:j+2] += g[0, 0, i, j] * wf[0, 0]
        gw[0, 0, ::-1, ::-1][...] += 0
        gw[0, 0] += (g[0, 0, i, j] * IMG[0, 0, i:i+2, j:j+2])[::-1, ::-1]
print('conv grad x', ', '.join(repr(float(x)) for x in gx.ravel()))
print('conv grad w', ', '.join(repr(float(x)) for x in gw.ravel()))
p = pool(IMG, 'max'); gp = np.zeros_like(IMG)
for i in range(2):
    for j in range(2):
        blk = IMG[0, 0, 2*i:2*i+2, 2*j:2*j+2]; k = np.argmax(blk); gp[0, 0, 2*i + k // 2, 2*j + k % 2] = 2 * p[0, 0, i, j]
print('maxpool grad', ', '.join(repr(float(x)) for x in gp.ravel()))
pa = pool(IMG, 'avg'); ga = np.repeat(np.repeat(2 * pa / 4, 2, 2), 2, 3)
print('avgpool grad', ', '.join(repr(float(x)) for x in ga.ravel()))
print('IMG', ', '.join(repr(float(x)) for x in IMG.ravel()))
def num(f, x):
    g = np.zeros_like(x); h = 1e-6
    for i in np.ndindex(x.shape):
        xp = x.copy(); xp[i] += h; xm = x.copy(); xm[i] -= h; g[i] = (f(xp) - f(xm)) / (2 * h)
    return g
print('num grad x', ', '.join('%.6f' % v for v in num(lambda x: (conv(x, FIL) ** 2).sum(), IMG).ravel()))
print('num grad w', ', '.join('%.6f' % v for v in num(lambda w: (conv(IMG, w) ** 2).sum(), FIL).ravel()))
