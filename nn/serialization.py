"""Files of arrays plus a JSON document: how weights and models are saved.

One file is a numpy ``.npz`` archive holding the named arrays and one more
entry, ``__gradiente__``, a plain string array with the JSON header (format,
version, the names of the arrays, and the caller's document: architecture,
metadata). Loading never unpickles (``allow_pickle=False``) and the structure
is JSON, so opening an untrusted file cannot run code.

    write_file("model.npz", {"dense.kernel": w}, {"kind": "weights"})
    arrays, document = read_file("model.npz")

Writes are atomic: the archive is written to a temporary file in the same
directory and then renamed over the target (``os.replace``), so a crash
mid-write leaves the previous file as it was. The path is used exactly as
given: no ``.npz`` is appended.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping

import numpy as np

__all__ = ["FORMAT", "VERSION", "read_file", "write_file"]

FORMAT = "gradiente"
VERSION = 1
_HEADER = "__gradiente__"


def write_file(path: str | os.PathLike, arrays: Mapping[str, np.ndarray],
               document: dict | None = None) -> None:
    """Write ``arrays`` (name -> numeric array) and a JSON-able ``document`` to exactly
    ``path``, atomically.

    >>> import os, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> p = os.path.join(folder.name, "w")
    >>> write_file(p, {"kernel": np.ones((2, 3))}, {"kind": "weights"})
    >>> arrays, doc = read_file(p)
    >>> arrays["kernel"].shape, doc
    ((2, 3), {'kind': 'weights'})
    >>> folder.cleanup()
    """
    path = os.fspath(path)
    payload = {}
    for name, a in arrays.items():
        name = str(name)
        if name == _HEADER:
            raise ValueError(f"{_HEADER!r} is reserved for the file header")
        a = np.asarray(a)
        if a.dtype.kind not in "fiub":
            raise ValueError(f"array {name!r} holds {a.dtype}; only numeric arrays can be saved")
        payload[name] = a
    header = {"format": FORMAT, "version": VERSION, "arrays": list(payload),
              "document": {} if document is None else document}
    text = json.dumps(header)           # fails here, before any file is touched
    payload[_HEADER] = np.array(text)   # a unicode string array: no pickle needed

    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a saved file is not
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **payload)       # a file object: numpy adds no extension
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_file(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    """``(arrays, document)`` from a file written by :func:`write_file`.

    Raises FileNotFoundError when there is no file, and ValueError naming the file
    when it is not one of ours, is truncated or corrupt, or holds pickled objects.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "w.npz")
    >>> write_file(path, {"kernel": np.ones((2, 3))}, {"kind": "weights"})
    >>> arrays, document = read_file(path)
    >>> arrays["kernel"].shape, document["kind"]
    ((2, 3), 'weights')
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no such file: {path!r}")

    def bad(why: str) -> ValueError:
        return ValueError(f"{path!r} is not a gradiente weights/model file ({why})")

    try:
        archive = np.load(path, allow_pickle=False)
    except ValueError as e:              # numpy's refusal to unpickle, or garbage
        raise bad(f"numpy could not read it safely: {e}") from None
    except Exception as e:               # truncated zip, bad magic, ...
        raise bad(f"{type(e).__name__}: {e}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise bad("it is a single .npy array, not an archive")
    with archive:
        try:
            if _HEADER not in archive.files:
                raise bad("it has no gradiente header")
            header = json.loads(str(archive[_HEADER]))
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise bad("its header is not a gradiente header")
            if header.get("version") != VERSION:
                raise bad(f"format version {header.get('version')!r}, this gradiente reads "
                          f"version {VERSION}")
            names = header.get("arrays")
            if not isinstance(names, list) or set(names) != set(archive.files) - {_HEADER}:
                raise bad("the arrays listed in its header are not the arrays it holds")
            arrays = {}
            for name in names:
                a = archive[name]        # reads and CRC-checks the member
                if a.dtype.kind not in "fiub":
                    raise bad(f"array {name!r} holds {a.dtype}, not numbers")
                arrays[name] = a
        except ValueError as e:
            if str(e).startswith(repr(path)):
                raise
            raise bad(f"{type(e).__name__}: {e}") from None
        except Exception as e:           # corrupt members: BadZipFile, EOFError, zlib errors
            raise bad(f"{type(e).__name__}: {e}") from None
    document = header.get("document", {})
    if not isinstance(document, dict):
        raise bad("its document is not a JSON object")
    return arrays, document
