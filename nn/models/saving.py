"""``model.save(path)`` and ``load_model(path)``: a whole model in one safe file.

The file (written by ``nn.serialization``) holds the weights as numpy arrays
and, as JSON, the architecture (each layer's class name and ``get_config()``)
and the compile settings (optimizer class and hyper-parameters, loss, metrics),
so that ``load_model`` gives back a model that predicts identically and is
ready to train again (the optimiser's moment estimates are not saved: it
restarts from its hyper-parameters). Nothing is pickled: loading reads arrays
and JSON, and only builds the layer classes of this library (plus those you
pass in ``custom_objects``), so an untrusted file cannot run code. The write is
atomic and the path is used exactly as given (``model.save("miModelo")``).

    model.save("miModelo")
    model = load_model("miModelo")
"""

from __future__ import annotations

import os
import warnings

import optim

from .. import layers as _layers
from .. import losses as _losses
from .. import metrics as _metrics
from .. import serialization

__all__ = ["load_model", "model_config", "model_from_config", "save_model"]

_OPTIMIZERS = {cls.__name__: cls for cls in (optim.SGD, optim.RMSprop, optim.Adam, optim.AdamW)}


def _registry(custom_objects: dict | None = None) -> dict[str, type]:
    from .functional import Model
    from .sequential import Sequential
    known = {name: getattr(_layers, name) for name in _layers.__all__
             if isinstance(getattr(_layers, name), type)
             and issubclass(getattr(_layers, name), _layers.Layer)}
    known.update(Model=Model, Sequential=Sequential)
    known.update(custom_objects or {})
    return known


# ---- architecture ------------------------------------------------------------------------

def _layer_entry(layer) -> dict:
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def model_config(model) -> dict:
    """The architecture of a Sequential or functional model as JSON-ready data.

    >>> from nn import Dense, Input, Sequential
    >>> config = model_config(Sequential([Input(shape=[4]), Dense(2)], name="s"))
    >>> [entry["class_name"] for entry in config["layers"]], config["input"]["class_name"]
    (['Dense'], 'Input')
    """
    from .sequential import Sequential
    if model._nodes is None:
        raise ValueError(f"{model._what()} is a subclassed model: its architecture is Python "
                         f"code, which cannot be saved as data. Save its weights "
                         f"(save_weights) and rebuild it from your class")
    config = {"name": model.name,
              "input": None if model._input is None else _layer_entry(model._input),
              "build_input_shape": (None if model.build_input_shape is None
                                    else list(model.build_input_shape))}
    if isinstance(model, Sequential):
        config["layers"] = [_layer_entry(layer) for layer in model.layers]
        return config
    unique = model._unique_layers()
    position = {id(layer): i for i, layer in enumerate(unique)}
    config["layers"] = [_layer_entry(layer) for layer in unique]
    config["nodes"] = [[position[id(layer)], kwargs] for layer, kwargs in model._nodes]
    return config


def _build_layer(entry, known: dict):
    if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
        raise ValueError(f"a layer entry must be {{'class_name': ..., 'config': ...}}, got "
                         f"{entry!r}")
    name = entry["class_name"]
    cls = known.get(name)
    if cls is None:
        raise ValueError(f"unknown layer class {name!r}: load_model builds the layers of "
                         f"this library ({', '.join(sorted(known))}); pass your own classes "
                         f"as custom_objects={{{name!r}: {name}}}")
    config = entry.get("config", {})
    if not isinstance(config, dict):
        raise ValueError(f"the config of a {name} layer must be a dict, got {config!r}")
    if name in ("Sequential", "Model"):
        return model_from_config(entry, known)
    return cls.from_config(dict(config))


def model_from_config(entry: dict, known: dict | None = None):
    """A new model (fresh weights) from ``{"class_name": "Sequential" | "Model", "config":
    model_config(model)}``.

    >>> import nn
    >>> m = nn.Sequential([nn.Input(shape=[4]), nn.Dense(2, name="oculta")])
    >>> copy = model_from_config({"class_name": "Sequential", "config": model_config(m)})
    >>> [layer.name for layer in copy.layers], copy.count_params()
    (['oculta'], 10)
    """
    from .functional import Model
    from .sequential import Sequential
    known = known or _registry()
    name, config = entry.get("class_name"), entry.get("config")
    if not isinstance(config, dict):
        raise ValueError(f"a model config must be a dict, got {config!r}")
    layer_entries = config.get("layers", [])
    if not isinstance(layer_entries, list):
        raise ValueError("a model config's 'layers' must be a list")
    inp = None if config.get("input") is None else _build_layer(config["input"], known)
    built_layers = [_build_layer(e, known) for e in layer_entries]
    if name == "Sequential":
        model = Sequential(name=config.get("name"))
        for layer in ([inp] if inp is not None else []) + built_layers:
            model.add(layer)
        shape = config.get("build_input_shape")
        if not model.built and shape is not None:
            model.build(tuple(shape))
        return model
    if name == "Model":
        if inp is None:
            raise ValueError("a functional model config needs its input")
        t = inp
        for node in config.get("nodes", []):
            if not (isinstance(node, list) and len(node) == 2 and isinstance(node[0], int)
                    and 0 <= node[0] < len(built_layers) and isinstance(node[1], dict)):
                raise ValueError(f"bad node {node!r} in a functional model config")
            t = built_layers[node[0]](t, **node[1])
        return Model(inputs=inp, outputs=t, name=config.get("name"))
    raise ValueError(f"unknown model class {name!r} (Sequential or Model)")


# ---- compile settings --------------------------------------------------------------------

def _jsonable(v):
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if hasattr(v, "item") and callable(v.item):       # numpy scalars
        return v.item()
    return v


def _compile_config(model) -> dict | None:
    if not model.compiled:
        return None
    opt = model.optimizer
    group = opt.param_groups[0] if opt.param_groups else opt.defaults
    if type(opt).__name__ not in _OPTIMIZERS:
        problem = f"its optimizer {type(opt).__name__} is not a built-in one"
    else:
        problem = None
    try:
        loss = model.loss if isinstance(model.loss, str) else _losses.serialize(model._loss_fn)
    except ValueError:
        problem = problem or f"its loss {model.loss!r} is not a built-in one"
    metrics = []
    for m in model._metric_specs:
        if isinstance(m, str):
            metrics.append(m)
        elif isinstance(m, _metrics.Metric) and type(m).__name__ in _metrics._CLASSES:
            metrics.append(type(m).__name__)
        elif isinstance(m, type) and m.__name__ in _metrics._CLASSES:
            metrics.append(m.__name__)
        else:
            problem = problem or f"its metric {m!r} is not a built-in one"
    if problem:
        warnings.warn(f"saving {model._what()} without its compile settings: {problem}; "
                      f"compile the loaded model again", stacklevel=3)
        return None
    return {"optimizer": {"class_name": type(opt).__name__,
                          "config": {k: _jsonable(v) for k, v in group.items()
                                     if k != "params"}},
            "loss": loss, "metrics": metrics}


def _compile_from(model, config: dict) -> None:
    opt_entry = config["optimizer"]
    cls = _OPTIMIZERS.get(opt_entry.get("class_name"))
    if cls is None:
        raise ValueError(f"unknown optimizer {opt_entry.get('class_name')!r}")
    hyper = dict(opt_entry.get("config", {}))
    if "betas" in hyper:
        hyper["betas"] = tuple(hyper["betas"])
    loss = config["loss"]
    model.compile(optimizer=cls(**hyper),
                  loss=loss if isinstance(loss, str) else _losses.deserialize(loss),
                  metrics=list(config.get("metrics", [])))


# ---- files -------------------------------------------------------------------------------

def save_model(model, filepath, overwrite: bool = True) -> None:
    """Write ``model`` to one file at exactly ``filepath``: what ``model.save`` does.

    >>> import os, tempfile, nn
    >>> m = nn.Sequential([nn.Input(shape=[4]), nn.Dense(3)])
    >>> path = os.path.join(tempfile.mkdtemp(), "miModelo")
    >>> save_model(m, path)
    >>> os.path.exists(path), nn.load_model(path).count_params()
    (True, 15)
    """
    path = os.fspath(filepath)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path!r} exists and overwrite=False")
    document = {"kind": "model", "class_name": type(model).__name__,
                "config": model_config(model), "compile_config": _compile_config(model)}
    serialization.write_file(path, model.state_dict(), document)


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True):
    """The model saved by ``model.save(filepath)``: same architecture, same weights (it
    predicts identically) and, when it was compiled, compiled again with the same
    optimizer settings, loss and metrics (``compile=False`` skips that).

    Raises FileNotFoundError for a missing file and ValueError naming the file for one
    that is not a gradiente model (a weights-only file, a foreign or truncated file).

    >>> import os, tempfile, numpy as np
    >>> from nn import Dense, Input, Sequential
    >>> model = Sequential([Input(shape=[4]), Dense(3, activation="softmax")])
    >>> model.compile(optimizer="adam", loss="categorical_crossentropy")
    >>> folder = tempfile.TemporaryDirectory(); path = os.path.join(folder.name, "miModelo")
    >>> model.save(path); again = load_model(path)
    >>> x = np.ones((2, 4))
    >>> bool(np.array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0)))
    True
    >>> again.loss, type(again.optimizer).__name__
    ('categorical_crossentropy', 'Adam')
    >>> folder.cleanup()
    """
    path = os.fspath(filepath)
    arrays, document = serialization.read_file(path)
    kind = document.get("kind")
    if kind == "weights":
        raise ValueError(f"{path!r} holds only weights (written by save_weights): define the "
                         f"model and call model.load_weights({path!r})")
    if kind != "model" or not isinstance(document.get("config"), dict):
        raise ValueError(f"{path!r} is not a saved gradiente model (no architecture in it)")
    try:
        model = model_from_config({"class_name": document.get("class_name"),
                                   "config": document["config"]}, _registry(custom_objects))
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise ValueError(f"{path!r}: the architecture in it cannot be rebuilt: {e}") from None
    try:
        model.load_state_dict(arrays)
    except ValueError as e:
        raise ValueError(f"{path!r}: its weights do not fit its architecture: {e}") from None
    compile_config = document.get("compile_config")
    if compile and compile_config:
        try:
            _compile_from(model, compile_config)
        except (TypeError, ValueError, KeyError, AttributeError) as e:
            raise ValueError(f"{path!r}: its compile settings cannot be restored: {e}") \
                from None
    return model
