"""``InputLayer``: the first layer of a functional model (Keras's ``keras.layers.InputLayer``)."""

from __future__ import annotations

from .input import Input

__all__ = ["InputLayer"]


class InputLayer(Input):
    """An :class:`Input` as a functional model lists it: ``Model(inputs=I, ...)`` turns
    its ``Input`` into an ``InputLayer`` of the same name and shape, which is
    ``model.layers[0]`` and the "(InputLayer)" row of ``model.summary()``, as in
    Keras 3. It can also start a Sequential model, as ``Input`` does.

    >>> from nn import Input
    >>> layer = InputLayer.from_input(Input(shape=[4], name="Entrada"))
    >>> layer.name, layer.shape
    ('Entrada', (None, 4))
    """

    @classmethod
    def from_input(cls, inp: Input) -> InputLayer:
        """The InputLayer standing for ``inp`` (``inp`` itself if it is one)."""
        if isinstance(inp, cls):
            return inp
        return cls(shape=inp.shape[1:], batch_size=inp.shape[0], name=inp.name,
                   dtype=inp.dtype)
