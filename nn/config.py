"""Keras-style configurable objects: what initialisers, regularisers and loss classes share.

Each kind keeps a catalogue of its built-in classes by name; ``serialize`` writes
an object as ``{"class_name": ..., "config": ...}`` (as Keras does in its JSON) and
``deserialize`` rebuilds it. That is how ``model.save`` stores a layer's
initialiser or regulariser without pickling anything.
"""

from __future__ import annotations

__all__ = ["Catalog", "Configurable"]


class Configurable:
    """``get_config()`` gives the constructor arguments; ``from_config`` rebuilds the
    object from them; ``repr`` shows them.

    >>> class Scale(Configurable):
    ...     def __init__(self, factor=1.0):
    ...         self.factor = factor
    ...     def get_config(self):
    ...         return {"factor": self.factor}
    >>> Scale.from_config({"factor": 2.0})
    Scale(factor=2.0)
    """

    def get_config(self) -> dict:
        """The constructor arguments, JSON-ready (``from_config`` rebuilds from them)."""
        return {}

    @classmethod
    def from_config(cls, config: dict):
        """The object ``cls(**config)``."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Catalog:
    """The built-in classes of one kind (``"initializer"``, ``"loss"`` ...) by class name.

    >>> catalog = Catalog("scale", [Configurable])
    >>> catalog.serialize(Configurable())
    {'class_name': 'Configurable', 'config': {}}
    >>> catalog.deserialize({"class_name": "Configurable"})
    Configurable()
    """

    def __init__(self, kind: str, classes):
        self.kind = kind
        self.classes = {c.__name__: c for c in classes}

    def serialize(self, obj) -> dict:
        """``{"class_name": ..., "config": ...}``, for a built-in class only."""
        name = type(obj).__name__
        if self.classes.get(name) is not type(obj):
            raise ValueError(f"only the built-in {self.kind}s can be saved as JSON "
                             f"({', '.join(self.classes)}); got {obj!r}")
        return {"class_name": name, "config": obj.get_config()}

    def deserialize(self, config: dict):
        """The object a :meth:`serialize` dict describes."""
        name = config.get("class_name") if isinstance(config, dict) else None
        if name not in self.classes:
            raise ValueError(f"unknown {self.kind} config {config!r}; known classes: "
                             f"{', '.join(sorted(self.classes))}")
        return self.classes[name].from_config(config.get("config", {}))
