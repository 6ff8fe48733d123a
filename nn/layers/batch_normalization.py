"""``BatchNormalization``: normalise each feature over the batch, Keras semantics."""

from __future__ import annotations

import numpy as np

from autograd import Value

from .. import initializers, regularizers
from .base import Layer

__all__ = ["BatchNormalization"]


class BatchNormalization(Layer):
    """y = gamma · (x - mean) / sqrt(var + epsilon) + beta, per feature (``axis``).

    Training mode: mean and var are the batch's (var biased, dividing by n, as Keras),
    and the moving statistics follow them:
    moving = momentum · moving + (1 - momentum) · batch. Eval mode
    (``model.eval()``): the moving statistics are used instead. Defaults as Keras:
    momentum 0.99, epsilon 1e-3 (PyTorch's BatchNorm1d uses momentum 0.1 for the *new*
    value, eps 1e-5, and the unbiased variance for its running estimate).

    gamma and beta are trained; moving_mean and moving_variance are state
    (``requires_grad=False``): saved with the weights, untouched by optimisers.
    ``get_weights()`` order: gamma, beta, moving_mean, moving_variance.

    >>> import numpy as np
    >>> bn = BatchNormalization()
    >>> y = bn(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> np.round(y.data, 4)                           # (x - mean) / sqrt(var + 0.001)
    array([[-0.9995, -1.    ],
           [ 0.9995,  1.    ]], dtype=float32)
    >>> bn.moving_mean.data.round(2)                  # 0.99 * 0 + 0.01 * (2, 20)
    array([0.02, 0.2 ], dtype=float32)
    """

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, *, name: str | None = None, dtype="float32",
                 input_shape=None):
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(f"BatchNormalization axis must be an integer, got {axis!r}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"BatchNormalization momentum must be in [0, 1], got {momentum!r}")
        if not epsilon > 0:
            raise ValueError(f"BatchNormalization epsilon must be > 0, got {epsilon!r}")
        super().__init__(name=name, dtype=dtype, input_shape=input_shape)
        self.axis, self.momentum, self.epsilon = axis, float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        # in get_weights order (attribute order is discovery order)
        self.gamma: Value | None = None
        self.beta: Value | None = None
        self.moving_mean: Value | None = None
        self.moving_variance: Value | None = None
        self._build_declared()

    def build(self, input_shape: tuple) -> None:
        """Create the per-feature weights for the size of ``input_shape[axis]``."""
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim or ndim < 1:
            raise ValueError(f"{self._what()} normalises axis {self.axis}, but its input "
                             f"shape {input_shape} has no such axis")
        axis = self.axis % ndim
        n = input_shape[axis]
        if n is None:
            raise ValueError(f"{self._what()} needs the size of axis {self.axis}; got input "
                             f"shape {input_shape}")
        if self.scale:
            self.add_weight("gamma", (n,), self.gamma_initializer, self.gamma_regularizer)
        if self.center:
            self.add_weight("beta", (n,), self.beta_initializer, self.beta_regularizer)
        self.add_weight("moving_mean", (n,), self.moving_mean_initializer, trainable=False)
        self.add_weight("moving_variance", (n,), self.moving_variance_initializer,
                        trainable=False)
        self._input_ndim = ndim
        self._input_axes = {axis: n}

    def call(self, x: Value, training: bool | None = None) -> Value:
        training = self.training if training is None else training
        axis = self.axis % x.ndim
        others = tuple(i for i in range(x.ndim) if i != axis)
        per_feature = tuple(x.shape[i] if i == axis else 1 for i in range(x.ndim))
        if training:
            mean = x.mean(axis=others, keepdims=True)
            centered = x - mean
            var = (centered * centered).mean(axis=others, keepdims=True)
            self._update_moving_statistics(mean.data, var.data)
            y = centered / (var + self.epsilon).sqrt()
        else:
            mean = self.moving_mean.data.reshape(per_feature)
            inv_std = 1.0 / np.sqrt(self.moving_variance.data.reshape(per_feature)
                                    + self.epsilon)
            y = (x - mean) * inv_std
        last = axis == x.ndim - 1            # (n,) broadcasts along the last axis as it is
        if self.gamma is not None:
            y = y * (self.gamma if last else self.gamma.reshape(per_feature))
        if self.beta is not None:
            y = y + (self.beta if last else self.beta.reshape(per_feature))
        return y

    def _update_moving_statistics(self, mean: np.ndarray, var: np.ndarray) -> None:
        m = self.momentum
        for stat, batch in ((self.moving_mean, mean), (self.moving_variance, var)):
            stat.data[...] = m * stat.data + (1.0 - m) * np.reshape(batch, stat.shape)

    def _input_shape_from_weights(self, weights):
        first = weights[0] if weights else None
        return (None, first.shape[0]) if getattr(first, "ndim", 0) == 1 else None

    def get_config(self) -> dict:
        config = super().get_config()
        ser = initializers.serialize
        config.update(
            axis=self.axis, momentum=self.momentum, epsilon=self.epsilon, center=self.center,
            scale=self.scale, beta_initializer=ser(self.beta_initializer),
            gamma_initializer=ser(self.gamma_initializer),
            moving_mean_initializer=ser(self.moving_mean_initializer),
            moving_variance_initializer=ser(self.moving_variance_initializer),
            beta_regularizer=(None if self.beta_regularizer is None
                              else regularizers.serialize(self.beta_regularizer)),
            gamma_regularizer=(None if self.gamma_regularizer is None
                               else regularizers.serialize(self.gamma_regularizer)),
        )
        return config

    def extra_repr(self) -> str:
        return f"name={self.name!r}, axis={self.axis}, momentum={self.momentum}, " \
               f"epsilon={self.epsilon}"
