"""End to end, PyTorch style: Module + optim + nn.functional on the bundled data sets."""

import numpy as np

import nn
import optim
from nn.data import StandardScaler, batches, load_digits, load_iris, train_test_split


class Net(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.hidden, self.out = nn.Linear(n_in, n_hidden), nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.out(self.hidden(x).relu())


def accuracy(net, X, y):
    net.eval()
    from autograd import no_grad
    with no_grad():
        return float((net(X).data.argmax(axis=1) == y).mean())


def train(net, X, y, epochs, lr, batch_size, seed=0):
    opt = optim.Adam(net.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        net.train()
        total = 0.0
        for xb, yb in batches(X, y, batch_size, shuffle=True, seed=rng):
            loss = nn.functional.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(yb)
        losses.append(total / len(y))
    return losses


def test_pytorch_style_loop_fits_iris():
    nn.set_random_seed(0)
    X, y = load_iris()
    X = StandardScaler().fit_transform(X)
    net = Net(4, 16, 3)
    losses = train(net, X, y, epochs=60, lr=0.02, batch_size=16)
    assert losses[-1] < 0.3 * losses[0]
    assert accuracy(net, X, y) >= 0.95


def test_pytorch_style_loop_fits_digits_and_generalises():
    nn.set_random_seed(0)
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=True,
                                                        seed=0)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    net = Net(64, 64, 10)
    train(net, X_train, y_train, epochs=8, lr=3e-3, batch_size=32)
    assert accuracy(net, X_test, y_test) >= 0.95
