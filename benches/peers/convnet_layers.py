"""The book's SimpleConvNet (section 7.5) in NumPy, written from the math, im2col style.

Shapes: images N x C x H x W (N x 1 x 28 x 28), 30 filters of 5 x 5 (stride 1,
no padding: N x 30 x 24 x 24), ReLU, 2 x 2 max pooling with stride 2
(N x 30 x 12 x 12), flattened to 4320, Affine 4320->100, ReLU, Affine 100->10,
softmax with cross-entropy, Adam (lr 0.001, beta1 0.9, beta2 0.999, eps 1e-7).

* im2col: every 5 x 5 patch as one row of `col` ((N*24*24) x 25), so that the
  convolution is one product: Y = col · Wᵀ + b, one row a position, then turned
  into N x 30 x 24 x 24. Backward: dW = dYᵀ · col, db = Σ dY, and (not for the
  first layer, whose input is data) dX = col2im(dY · W).
* max pooling: each 2 x 2 window's largest value, its position remembered;
  backward sends each gradient to that position.

Each layer allocates its outputs, as the book's code does. The first layer's dX
is not computed (the crate skips it too): the same work. Only NumPy is imported.
"""

import numpy as np

from book_layers import Affine, Relu, SoftmaxWithLoss


def im2col(x, fh, fw):
    """(N, C, H, W) -> (N*OH*OW, C*FH*FW) for stride 1 and no padding."""
    n, c, h, w = x.shape
    oh, ow = h - fh + 1, w - fw + 1
    windows = np.lib.stride_tricks.sliding_window_view(x, (fh, fw), axis=(2, 3))
    # windows: (N, C, OH, OW, FH, FW) -> (N, OH, OW, C, FH, FW), copied into rows.
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * fh * fw)


class Convolution:
    """Y = W * X + b for 30 filters (stride 1, no padding), by im2col and one product."""

    def __init__(self, w, b):
        self.w = w  # (FN, C, FH, FW)
        self.b = b  # (FN,)
        self.x_shape = None
        self.col = None
        self.dw = None
        self.db = None

    def forward(self, x):
        fn, _, fh, fw = self.w.shape
        n, _, h, w = x.shape
        oh, ow = h - fh + 1, w - fw + 1
        self.x_shape = x.shape
        self.col = im2col(x, fh, fw)
        y = self.col @ self.w.reshape(fn, -1).T + self.b
        return y.reshape(n, oh, ow, fn).transpose(0, 3, 1, 2)

    def backward(self, dy):
        """dW and db only: the data needs no gradient."""
        fn = self.w.shape[0]
        dy = dy.transpose(0, 2, 3, 1).reshape(-1, fn)
        self.db = dy.sum(axis=0)
        self.dw = (dy.T @ self.col).reshape(self.w.shape)


class MaxPooling:
    """The largest value of each 2 x 2 window (stride 2)."""

    def __init__(self):
        self.x_shape = None
        self.arg = None

    def forward(self, x):
        n, c, h, w = x.shape
        windows = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5)
        windows = windows.reshape(-1, 4)
        self.x_shape = x.shape
        self.arg = windows.argmax(axis=1)
        # The maximum picked by its index: NumPy's max over an axis of 4 takes six times
        # as long as this gather here.
        top = windows[np.arange(windows.shape[0]), self.arg]
        return top.reshape(n, c, h // 2, w // 2)

    def backward(self, dy):
        n, c, h, w = self.x_shape
        dwin = np.zeros((dy.size, 4), dtype=dy.dtype)
        dwin[np.arange(dy.size), self.arg] = dy.ravel()
        dwin = dwin.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5)
        return dwin.reshape(n, c, h, w)


class Adam:
    """Adam with the book's constants; one state per parameter array."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m = {}
        self.v = {}

    def step(self, pairs):
        """pairs: (key, parameter, gradient); parameters are updated in place."""
        self.t += 1
        lr_t = self.lr * np.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)
        for key, p, g in pairs:
            if key not in self.m:
                self.m[key] = np.zeros_like(p)
                self.v[key] = np.zeros_like(p)
            m, v = self.m[key], self.v[key]
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g * g - v)
            p -= (lr_t * m / (np.sqrt(v) + self.eps)).astype(p.dtype)


class SimpleConvNet:
    """conv 30x5x5 - ReLU - pool 2x2 - Affine 4320->100 - ReLU - Affine 100->10."""

    def __init__(self, rng, dtype, std=0.01):
        def normal(*shape):
            return (std * rng.standard_normal(shape)).astype(dtype)

        self.conv = Convolution(normal(30, 1, 5, 5), np.zeros(30, dtype=dtype))
        self.relu1 = Relu()
        self.pool = MaxPooling()
        self.affine1 = Affine(normal(4320, 100), np.zeros(100, dtype=dtype))
        self.relu2 = Relu()
        self.affine2 = Affine(normal(100, 10), np.zeros(10, dtype=dtype))
        self.last = SoftmaxWithLoss()
        self.adam = Adam()

    def predict(self, x):
        y = self.pool.forward(self.relu1.forward(self.conv.forward(x)))
        y = y.reshape(y.shape[0], -1)
        return self.affine2.forward(self.relu2.forward(self.affine1.forward(y)))

    def train_step(self, x, t):
        """Forward, loss, backward (no dX for the convolution), Adam. Returns the loss."""
        loss = self.last.forward(self.predict(x), t)
        d = self.affine2.backward(self.last.backward())
        d = self.affine1.backward(self.relu2.backward(d))
        d = self.relu1.backward(self.pool.backward(d.reshape(-1, 30, 12, 12)))
        self.conv.backward(d)
        self.adam.step([
            (k, layer.w if k[-1] == "w" else layer.b, layer.dw if k[-1] == "w" else layer.db)
            for layer, name in ((self.conv, "conv"), (self.affine1, "a1"), (self.affine2, "a2"))
            for k in (name + ".w", name + ".b")
        ])
        return loss
