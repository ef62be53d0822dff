"""The book's chapter-5 layers and TwoLayerNet, written from the math in NumPy.

Shapes: X is N x 784, W1 784 x 50, W2 50 x 10, labels are N class indices.

* Affine:   Y = X W + b;  dX = dY Wᵀ,  dW = Xᵀ dY,  db = Σ_rows dY
* ReLU:     Y = max(X, 0); dX = dY where X > 0, else 0 (a stored mask)
* SoftmaxWithLoss: y = softmax(a) with each row's max subtracted first
  (the same value, no overflow in exp); L = -(1/N) Σ_n ln(y[n, t_n] + 1e-7);
  dA = (y - onehot(t)) / N.
* SGD: p <- p - lr * dp.

Written in the direct style of the book (each layer allocates its outputs), since
this is the program the crate is compared with. One departure by default: the first
Affine's dX, which nothing uses, is not computed (the crate skips it too);
TwoLayerNet(..., book_dx=True) computes it as the book does. Only NumPy is imported
here.
"""

import numpy as np

# Added inside the log so that a probability that rounds to 0 gives a large finite loss.
LOG_FLOOR = 1e-7


class Affine:
    """Y = X W + b."""

    def __init__(self, w, b):
        self.w = w
        self.b = b
        self.x = None
        self.dw = None
        self.db = None

    def forward(self, x):
        self.x = x
        return x @ self.w + self.b

    def backward(self, dy, need_dx=True):
        """dW and db; dX too unless need_dx is False (the first layer's is never used)."""
        self.dw = self.x.T @ dy
        self.db = dy.sum(axis=0)
        return dy @ self.w.T if need_dx else None


class Relu:
    """Y = max(X, 0), remembering where X <= 0."""

    def __init__(self):
        self.off = None

    def forward(self, x):
        self.off = x <= 0
        y = x.copy()
        y[self.off] = 0
        return y

    def backward(self, dy):
        dy[self.off] = 0
        return dy


class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy of the class labels."""

    def __init__(self):
        self.y = None
        self.t = None

    def forward(self, a, t):
        shifted = a - a.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        self.y = e / e.sum(axis=1, keepdims=True)
        self.t = t
        n = a.shape[0]
        return -np.log(self.y[np.arange(n), t] + LOG_FLOOR).sum() / n

    def backward(self):
        n = self.y.shape[0]
        onehot = np.zeros_like(self.y)
        onehot[np.arange(n), self.t] = 1
        return (self.y - onehot) / n


class TwoLayerNet:
    """Affine 784->50, ReLU, Affine 50->10, SoftmaxWithLoss, trained by plain SGD."""

    def __init__(self, rng, dtype, input_size=784, hidden=50, classes=10, std=0.01,
                 book_dx=False):
        # book_dx: also compute the first Affine's dX, as the book's backward pass does.
        self.book_dx = book_dx
        w1 = (std * rng.standard_normal((input_size, hidden))).astype(dtype)
        w2 = (std * rng.standard_normal((hidden, classes))).astype(dtype)
        self.affine1 = Affine(w1, np.zeros(hidden, dtype=dtype))
        self.relu = Relu()
        self.affine2 = Affine(w2, np.zeros(classes, dtype=dtype))
        self.last = SoftmaxWithLoss()

    def predict(self, x):
        return self.affine2.forward(self.relu.forward(self.affine1.forward(x)))

    def loss(self, x, t):
        return self.last.forward(self.predict(x), t)

    def accuracy(self, x, t):
        return float((self.predict(x).argmax(axis=1) == t).mean())

    def gradient(self, x, t):
        """Forward and loss, then the backward pass through every layer; returns the loss."""
        loss = self.loss(x, t)
        d = self.last.backward()
        d = self.affine2.backward(d)
        d = self.relu.backward(d)
        # The book runs backward through every layer in turn, so it also computes the
        # first Affine's dX = dY·W1ᵀ (100x50 · 50x784, 7.8 MFLOP) although no one uses
        # it. By default it is skipped, as the crate (`backward_params`) and autograd
        # skip it: the same work. book_dx=True keeps it: the book's own step.
        self.affine1.backward(d, need_dx=self.book_dx)
        return loss

    def sgd(self, lr):
        for layer in (self.affine1, self.affine2):
            layer.w -= lr * layer.dw
            layer.b -= lr * layer.db

    def train_step(self, x, t, lr):
        """One training step: forward, loss, backward, SGD update. Returns the loss."""
        loss = self.gradient(x, t)
        self.sgd(lr)
        return loss
