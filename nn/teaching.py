"""Teaching models from before backpropagation: McCulloch–Pitts and Rosenblatt's perceptron.

These are the course's first neurons, written directly in numpy. They are NOT
gradient methods and do not use the autograd engine: the McCulloch–Pitts neuron
does not learn at all (its threshold is chosen by hand), and the perceptron
learns with Rosenblatt's error-correction rule

    w ← w + η (y − ŷ) x,    b ← b + η (y − ŷ)

which needs no derivative. (It could not be one: the step function's derivative
is 0 wherever it exists, so backpropagation through it would never change a
weight. This is why multilayer networks replaced the step by the sigmoid.)

Also here, the improvements of the perceptron's update that the course lists:
``AveragedPerceptron`` (predict with the average of the weights seen during
training) and ``MIRA`` (the smallest update that fixes the mistake).

>>> from nn.teaching import McCullochPitts, Perceptron
>>> AND = McCullochPitts([1, 1], threshold=2)
>>> AND.predict([[0, 0], [0, 1], [1, 0], [1, 1]]).tolist()
[0, 0, 0, 1]
>>> p = Perceptron(2, lr=1.0)
>>> p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1], epochs=10)[-1]   # OR: no errors left
0
"""

from __future__ import annotations

import numpy as np

from . import random as _random

__all__ = ["MIRA", "AveragedPerceptron", "McCullochPitts", "Perceptron"]


class McCullochPitts:
    """The McCulloch–Pitts neuron (1943): binary inputs, weights ±1, a hand-set threshold.

    Inputs with weight +1 are excitatory, with −1 inhibitory; the neuron fires
    (outputs 1) when the weighted sum reaches the threshold: Σ wᵢ xᵢ ≥ θ. Nothing
    is learnt: choosing θ is the design. With two excitatory inputs θ = 2 gives
    AND and θ = 1 gives OR; no choice of weights and θ gives XOR.

    The slides' "¿voy al cine hoy?" (x₁ weekend, x₂ homework to do, x₃ cinema
    closed, x₄ a new film), counting every input with θ = 2:

    >>> cinema = McCullochPitts([1, 1, 1, 1], threshold=2)
    >>> cinema.predict([1, 0, 0, 1])
    1

    and with homework and a closed cinema as inhibitory inputs:

    >>> cinema = McCullochPitts([1, -1, -1, 1], threshold=2)
    >>> cinema.predict([[1, 0, 0, 1], [1, 1, 0, 1]]).tolist()
    [1, 0]
    """

    def __init__(self, weights, threshold: float):
        w = np.asarray(weights)
        if w.ndim != 1 or w.size == 0:
            raise ValueError(f"McCullochPitts weights must be a non-empty list of +1 and -1, "
                             f"got shape {w.shape}")
        bad = np.flatnonzero((w != 1) & (w != -1))
        if bad.size:
            raise ValueError(f"McCullochPitts weights must be +1 (excitatory) or -1 "
                             f"(inhibitory); got {w[bad[0]].item()!r} at index {bad[0]}")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
            raise ValueError(f"McCullochPitts threshold must be a number, got {threshold!r}")
        self.weights = w.astype(np.int64)
        self.threshold = threshold

    def net_input(self, X) -> np.ndarray:
        """z = Σ wᵢ xᵢ for each sample (rows of X, or one sample)."""
        X = _binary_inputs(X, self.weights.size)
        return X @ self.weights

    def predict(self, X):
        """1 where Σ wᵢ xᵢ ≥ θ, else 0; an int for one sample, an array for rows."""
        z = self.net_input(X)
        out = (z >= self.threshold).astype(np.int64)
        return int(out) if out.ndim == 0 else out

    __call__ = predict

    def __repr__(self) -> str:
        return f"McCullochPitts(weights={self.weights.tolist()}, threshold={self.threshold!r})"


def _binary_inputs(X, n_inputs: int) -> np.ndarray:
    X = np.asarray(X)
    if X.ndim not in (1, 2) or X.shape[-1] != n_inputs:
        raise ValueError(f"McCullochPitts expects {n_inputs} inputs per sample, got shape "
                         f"{X.shape}")
    bad = np.argwhere((X != 0) & (X != 1))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        raise ValueError(f"McCullochPitts inputs must be binary (0 or 1); got "
                         f"{X[where].item()!r} at {'index' if X.ndim == 1 else 'row, column'} "
                         f"{where[0] if X.ndim == 1 else where}")
    return X.astype(np.int64)


class Perceptron:
    """Rosenblatt's perceptron (1958): z = w·x + b, ŷ = step(z), learnt by error correction.

    This is **not a gradient method**: ``fit`` applies the perceptron rule directly,

        ŷ = activation(w·x + b)
        w ← w + η (y − ŷ) x
        b ← b + η (y − ŷ)          (the threshold folded into the bias: θ = −b)

    visiting the samples in order, one update per sample (nothing changes when
    ŷ = y). ``activation="step"`` (heaviside, step(0) = 1 as on the slides) learns
    labels 0/1; ``"sign"`` (sign(0) = 0, as on the slides, which counts as an error
    for either label) learns labels −1/1. The weights start uniform in
    [−0.5, 0.5) drawn from ``seed`` (None: the run's generator); set ``weights``
    and ``bias`` to start elsewhere.

    On linearly separable data (AND, OR) the rule converges: some epoch makes no
    error, and none after it. On XOR it never does.

    ``history`` holds ``(weights, bias)`` before the first epoch and after each
    epoch of the last ``fit``, for drawing the decision line w·x + b = 0 epoch by
    epoch.

    The slides' worked example (η = 0.5, w = (−1, 0), b = −0.5, an e-mail x = (1, 5)
    that is spam, y = 1): z = −1.5, so ŷ = 0 and every weight moves by
    0.5 · (1 − 0) · xᵢ:

    >>> p = Perceptron(2, lr=0.5)
    >>> p.weights, p.bias = [-1.0, 0.0], -0.5
    >>> p.fit([[1, 5]], [1], epochs=1)
    [1]
    >>> p.weights.tolist(), p.bias
    ([-0.5, 2.5], 0.0)
    """

    def __init__(self, n_inputs: int, lr: float = 1.0, activation: str = "step",
                 seed: int | None = 0):
        if isinstance(n_inputs, bool) or not isinstance(n_inputs, (int, np.integer)) \
                or n_inputs < 1:
            raise ValueError(f"{type(self).__name__}: n_inputs must be an integer >= 1, "
                             f"got {n_inputs!r}")
        if activation not in ("step", "sign"):
            raise ValueError(f"{type(self).__name__}: activation must be 'step' (labels 0/1) "
                             f"or 'sign' (labels -1/1), got {activation!r}")
        if isinstance(lr, bool) or not isinstance(lr, (int, float, np.number)) or not lr > 0:
            raise ValueError(f"{type(self).__name__}: lr (η) must be a number > 0, got {lr!r}")
        self.n_inputs = int(n_inputs)
        self.lr = lr
        self.activation = activation
        rng = _random.generator(seed)
        self._w = rng.uniform(-0.5, 0.5, self.n_inputs)
        self._b = float(rng.uniform(-0.5, 0.5))
        self.history: list[tuple[np.ndarray, float]] = []

    # ---- the model ---------------------------------------------------------------------------
    @property
    def weights(self) -> np.ndarray:
        """w, one weight per input (a copy; assign to change it)."""
        return self._w.copy()

    @weights.setter
    def weights(self, value) -> None:
        w = np.array(value, dtype=np.float64)
        if w.shape != (self.n_inputs,):
            raise ValueError(f"{type(self).__name__} has {self.n_inputs} inputs, so weights "
                             f"must have shape ({self.n_inputs},), got {w.shape}")
        self._w = w

    @property
    def bias(self) -> float:
        """b = −θ: the threshold folded into the weighted sum."""
        return self._b

    @bias.setter
    def bias(self, value: float) -> None:
        self._b = float(value)

    def net_input(self, X) -> np.ndarray:
        """z = w·x + b for each sample (rows of X, or one sample)."""
        return self._inputs(X) @ self.weights + self.bias

    def predict(self, X):
        """step(z) (0/1) or sign(z) (−1/0/1); an int for one sample, an array for rows."""
        out = self._activate(self.net_input(X))
        return int(out) if np.ndim(out) == 0 else out

    def score(self, X, y) -> float:
        """The fraction of samples predicted correctly."""
        X, y = self._samples(X, y)
        return float(np.mean(self.predict(X) == y))

    def _activate(self, z):
        if self.activation == "step":
            return (np.asarray(z) >= 0).astype(np.int64)     # step(0) = 1
        return np.sign(z).astype(np.int64)                   # sign(0) = 0

    # ---- learning ------------------------------------------------------------------------------
    def fit(self, X, y, epochs: int = 10) -> list[int]:
        """Apply the learning rule over the samples, in order, ``epochs`` times.

        Returns the number of errors of each epoch, counted during the pass (a
        sample predicted wrongly before its own update counts). Training continues
        from the current weights; ``history`` restarts.
        """
        X, y = self._samples(X, y)
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"{type(self).__name__}.fit: epochs must be an integer >= 1, "
                             f"got {epochs!r}")
        self._begin_fit()
        self.history = [(self.weights, self.bias)]
        errors = []
        for _ in range(epochs):
            wrong = 0
            for x, target in zip(X, y, strict=True):
                z = float(x @ self._w + self._b)
                y_hat = int(self._activate(z))
                if y_hat != target:
                    wrong += 1
                self._learn(x, int(target), z, y_hat)
                self._after_sample()
            errors.append(wrong)
            self.history.append((self.weights, self.bias))
        return errors

    def _learn(self, x: np.ndarray, target: int, z: float, y_hat: int) -> None:
        step = self.lr * (target - y_hat)     # η (y − ŷ): 0 when the prediction is right
        self._w = self._w + step * x          # w ← w + η (y − ŷ) x
        self._b = self._b + step              # b ← b + η (y − ŷ)

    def _begin_fit(self) -> None:
        pass

    def _after_sample(self) -> None:
        pass

    # ---- checking data --------------------------------------------------------------------------
    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim not in (1, 2) or X.shape[-1] != self.n_inputs:
            raise ValueError(f"{type(self).__name__} expects {self.n_inputs} inputs per "
                             f"sample, got shape {X.shape}")
        return X

    def _samples(self, X, y):
        X = self._inputs(X)
        if X.ndim == 1:
            X = X[None, :]
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(X):
            raise ValueError(f"{type(self).__name__}: y must hold one label per sample: X has "
                             f"{len(X)} samples, y has shape {y.shape}")
        allowed = {0, 1} if self.activation == "step" else {-1, 1}
        found = set(np.unique(y).tolist())
        if not found <= allowed:
            other = "'sign'" if self.activation == "step" else "'step'"
            other_labels = "-1/1" if self.activation == "step" else "0/1"
            raise ValueError(f"{type(self).__name__}(activation={self.activation!r}) learns "
                             f"labels {sorted(allowed)}, got {sorted(found)}: use "
                             f"activation={other} for {other_labels} labels")
        return X, y.astype(np.int64)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n_inputs={self.n_inputs}, lr={self.lr!r}, "
                f"activation={self.activation!r}, weights={np.round(self.weights, 4).tolist()}, "
                f"bias={round(self.bias, 4)})")


class AveragedPerceptron(Perceptron):
    """The averaged perceptron: trained by the perceptron rule, predicting with the
    average of the weights over every sample visited.

    The running weights w_t change exactly as :class:`Perceptron`'s (and errors
    are counted with them); after ``fit`` the model's ``weights`` and ``bias`` are

        w̄ = (1/T) Σₜ w_t,    b̄ = (1/T) Σₜ b_t      (t over the T sample visits of the fit)

    so a weight vector that survived many samples without a mistake counts more
    than one that lasted a single sample. This smooths the effect of the last few
    updates and usually generalises better on data that is not separable.

    >>> p = AveragedPerceptron(2, seed=1)
    >>> errors = p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1], epochs=20)
    >>> p.predict([[0, 0], [0, 1], [1, 0], [1, 1]]).tolist()       # AND
    [0, 0, 0, 1]
    """

    def __init__(self, n_inputs: int, lr: float = 1.0, activation: str = "step",
                 seed: int | None = 0):
        super().__init__(n_inputs, lr, activation, seed)
        self._avg: tuple[np.ndarray, float] | None = None

    @property
    def weights(self) -> np.ndarray:
        """w̄, the averaged weights after a fit (the running weights before any)."""
        return (self._w if self._avg is None else self._avg[0]).copy()

    @weights.setter
    def weights(self, value) -> None:
        Perceptron.weights.fset(self, value)
        self._avg = None

    @property
    def bias(self) -> float:
        """b̄, the averaged bias after a fit (the running bias before any)."""
        return self._b if self._avg is None else self._avg[1]

    @bias.setter
    def bias(self, value: float) -> None:
        self._b = float(value)
        self._avg = None

    def _begin_fit(self) -> None:
        self._sum_w = np.zeros(self.n_inputs)
        self._sum_b = 0.0
        self._visits = 0
        self._avg = None

    def _after_sample(self) -> None:
        self._sum_w += self._w
        self._sum_b += self._b
        self._visits += 1
        self._avg = (self._sum_w / self._visits, self._sum_b / self._visits)


class MIRA(Perceptron):
    """MIRA (Crammer & Singer's margin infused relaxed algorithm) for one neuron.

    On a mistake the perceptron adds η·x whatever the size of the mistake; MIRA
    makes the *smallest* change of (w, b) after which the sample is on the right
    side with margin 1, capped by ``C``:

        s = +1 for the positive class, −1 for the other    (label 1 vs 0, or 1 vs −1)
        τ = min(C, (1 − s·z) / (‖x‖² + 1))                 (z = w·x + b, before the update)
        w ← w + τ s x,    b ← b + τ s

    τ plays the part of the learning rate η, chosen per sample (the +1 counts the
    bias's constant input). Samples predicted correctly change nothing, as in the
    perceptron. A small ``C`` keeps single noisy samples from dragging the line.

    >>> m = MIRA(2, C=10.0)
    >>> m.weights, m.bias = [0.0, 0.0], -1.0
    >>> m.fit([[1, 1]], [1], epochs=1)       # z = -1, so τ = (1 + 1) / (2 + 1)
    [1]
    >>> round(float(m.net_input([1, 1])), 12)    # now exactly on the margin
    1.0
    """

    def __init__(self, n_inputs: int, C: float = 1.0, activation: str = "step",
                 seed: int | None = 0):
        if isinstance(C, bool) or not isinstance(C, (int, float, np.number)) or not C > 0:
            raise ValueError(f"MIRA: C (the largest step τ) must be a number > 0, got {C!r}")
        super().__init__(n_inputs, 1.0, activation, seed)
        self.C = C

    def _learn(self, x: np.ndarray, target: int, z: float, y_hat: int) -> None:
        if y_hat == target:
            return
        s = 1 if target == 1 else -1
        tau = min(self.C, (1 - s * z) / (x @ x + 1))   # τ = min(C, (1 − s·z) / (‖x‖² + 1))
        self._w = self._w + tau * s * x                # w ← w + τ s x
        self._b = self._b + tau * s                    # b ← b + τ s

    def __repr__(self) -> str:
        return super().__repr__().replace(f"lr={self.lr!r}", f"C={self.C!r}")
