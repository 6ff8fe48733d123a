"""``make demo`` (``python -m nn.demo``): the course's workflow from start to end.

1. An MLP (64 → 64 relu → 10 softmax) learns the bundled 8x8 hand-written digits
   with the Keras workflow: ``Sequential``, ``summary``, ``compile``, ``fit``
   (a progress bar per epoch, 20% of the training digits held out for validation).
2. It prints the accuracy on the test digits (a quarter of the set, never seen in
   training) and their confusion matrix.
3. It writes ``out/curves.png``, the loss and accuracy per epoch on the training and
   validation digits, and ``out/neuron.svg``, the computation graph of one neuron
   (micrograd's o = tanh(x1·w1 + x2·w2 + b)) with every gradient of backpropagation
   drawn on it by ``autograd.draw_graph``.

``python -m nn.demo --epochs 5 --out /tmp/demo`` for a shorter run elsewhere.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import nn

__all__ = ["draw_neuron", "main", "plot_curves"]


def draw_neuron(path: str) -> str | None:
    """Draw one neuron's graph, after backward, to the SVG file ``path``; returns the
    path, or None (with a message) when drawing is not available here.

    >>> import os, tempfile
    >>> path = draw_neuron(os.path.join(tempfile.mkdtemp(), "neuron.svg"))
    >>> path is None or open(path).read().lstrip().startswith("<?xml")
    True
    """
    import autograd
    from autograd import Value

    if not hasattr(autograd, "draw_graph"):
        print("(autograd.draw_graph is not available: out/neuron.svg not written)")
        return None
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    try:
        svg = autograd.draw_graph(o).pipe(format="svg")
    except Exception as e:          # graphviz's dot program missing: say so, keep going
        print(f"(could not render the neuron's graph: {e})")
        return None
    with open(path, "wb") as f:
        f.write(svg)
    return path


def plot_curves(history: dict, path: str) -> str:
    """Loss and accuracy per epoch, training and validation, side by side, to ``path``.

    >>> import os, tempfile
    >>> h = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8],
    ...      "val_accuracy": [0.4, 0.7]}
    >>> os.path.exists(plot_curves(h, os.path.join(tempfile.mkdtemp(), "curves.png")))
    True
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key, title in ((ax_loss, "loss", "Loss (categorical cross-entropy)"),
                           (ax_acc, "accuracy", "Accuracy")):
        ax.plot(epochs, history[key], label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], label="validation")
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle("MLP 64-64-10 on the 8x8 digits")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def main(out_dir: str = "out", epochs: int = 60, seed: int = 0, verbose: int = 1) -> dict:
    """Train, evaluate, print and write the pictures; returns the figures measured.

    >>> result = main(out_dir="out", epochs=60)      # doctest: +SKIP
    >>> result["test_accuracy"] >= 0.95                # doctest: +SKIP
    True
    """
    started = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)
    nn.set_random_seed(seed)
    nn.clear_session()

    X, y = nn.data.load_digits()
    X = X / 16.0                                  # pixel intensities 0..16 -> 0..1
    X_train, X_test, y_train, y_test = nn.data.train_test_split(X, y, test_size=0.25,
                                                                stratify=True, seed=seed)
    T_train = nn.data.one_hot(y_train, 10)

    model = nn.Sequential([nn.Input(shape=[64]),
                           nn.Dense(64, activation="relu", name="oculta"),
                           nn.Dense(10, activation="softmax", name="salida")])
    if verbose:
        model.summary()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(X_train, T_train, epochs=epochs, batch_size=32,
                        validation_split=0.2, verbose=verbose)

    probabilities = model.predict(X_test, verbose=0)
    predicted = probabilities.argmax(axis=1)
    accuracy = float(np.mean(predicted == y_test))
    matrix = nn.metrics.confusion_matrix(y_test, predicted, num_classes=10)
    train_seconds = time.perf_counter() - started

    curves = plot_curves(history.history, os.path.join(out_dir, "curves.png"))
    neuron = draw_neuron(os.path.join(out_dir, "neuron.svg"))
    seconds = time.perf_counter() - started
    if verbose:
        print(f"\ntest accuracy: {accuracy:.4f} ({int((predicted == y_test).sum())} of "
              f"{len(y_test)} test digits)")
        print(f"confusion matrix (rows: true digit, columns: predicted):\n{matrix}")
        print(f"wrote {curves}" + (f" and {neuron}" if neuron else ""))
        print(f"{len(history.epoch)} epochs in {train_seconds:.1f} s; {seconds:.1f} s in all")
    return {"test_accuracy": accuracy, "confusion_matrix": matrix,
            "history": history.history, "files": [f for f in (curves, neuron) if f],
            "seconds": seconds}


def _cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m nn.demo", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--out", default="out", help="folder for curves.png and neuron.svg")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(out_dir=args.out, epochs=args.epochs, seed=args.seed)


if __name__ == "__main__":
    _cli()
