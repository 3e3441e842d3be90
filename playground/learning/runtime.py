"""TensorFlow's runtime: the one place TensorFlow and Keras are imported and configured.

Importing TensorFlow costs ~5 s and ~550 MB (docs/facts.md), so nothing
imports it at module level; everything that needs it calls
:func:`load_tensorflow` (or :func:`load_keras`), which imports and sets it up
once per process, thread-safely:

- ``gc.freeze()`` right after the import. ~300k long-lived objects arrive
  with TF; Streamlit's ``keras.backend.clear_session()`` after every rerun
  would walk them all in a full collection (~280 ms added to EVERY rerun).
  Frozen, they are out of the collector's sight (~5 ms).
- Keras' ``clear_session`` is patched to ``free_memory=False``. Streamlit
  still calls it after every run once Keras is loaded, and by default it
  runs a full ``gc.collect()``: measured as 45% of server time with 60
  students. The patch keeps its reset of Keras' global state and skips the
  collection.
- One intra-op thread per op: small convolutions gain nothing from more,
  and concurrent student runs then share the cores fairly.
- The first op runs here, so TensorFlow's runtime threads start under the
  thread name "tf-runtime", never mistaken for a training run ("train-N").

:func:`import_pandas_first` is the other half of importing TF from a
background thread; see its docstring.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Iterator
from types import ModuleType

from setproctitle import getthreadtitle, setthreadtitle

__all__ = [
    "import_pandas_first",
    "load_keras",
    "load_tensorflow",
    "runtime_thread_name",
    "tensorflow_loaded",
]

_lock = threading.Lock()
_modules: dict[str, ModuleType] = {}  # "tensorflow", "keras": imported and set up


def load_tensorflow() -> ModuleType:
    """TensorFlow, imported and configured once per process (see the module docstring)."""
    with _lock:
        if "tensorflow" not in _modules:
            with runtime_thread_name():
                _modules["tensorflow"] = _import_tensorflow()
        return _modules["tensorflow"]


def tensorflow_loaded() -> bool:
    """True once :func:`load_tensorflow` has finished in this process (a run starts at once)."""
    return "tensorflow" in _modules


@contextlib.contextmanager
def runtime_thread_name() -> Iterator[None]:
    """Name the calling OS thread "tf-runtime" while TensorFlow starts threads of its own.

    TF's import, its first op and its first graphs start long-lived runtime
    threads, and Linux names a new thread after the one that creates it:
    under this name they are not mistaken for a training run ("train-N") in
    `top -H` or /proc (the load test counts those).
    """
    caller = getthreadtitle()
    setthreadtitle("tf-runtime")
    try:
        yield
    finally:
        setthreadtitle(caller)


def _import_tensorflow() -> ModuleType:
    import tensorflow as tf

    gc.freeze()  # see the module docstring: ~280 ms -> ~5 ms per rerun
    import keras

    keras.backend.clear_session = functools.partial(keras.backend.clear_session, free_memory=False)
    # Raises once TF has run an op in this process: keep the setting it has then.
    with contextlib.suppress(RuntimeError):
        tf.config.threading.set_intra_op_parallelism_threads(1)
    (tf.zeros([1]) + 1).numpy()  # the first op starts the runtime's threads
    return tf


def load_keras() -> ModuleType:
    """Keras, after :func:`load_tensorflow`, with its own long-lived objects frozen too."""
    load_tensorflow()
    with _lock:
        if "keras" not in _modules:
            import keras

            gc.freeze()  # Keras' objects built since TF's import join TF's, out of the gc's walk
            _modules["keras"] = keras
        return _modules["keras"]


def import_pandas_first() -> None:
    """Import pandas in the calling (script) thread, before a training thread imports TF.

    TensorFlow's import also imports pandas. When that first happens in a
    training thread, other sessions' threads can meet a half-initialised
    pandas in ``sys.modules`` and Plotly fails there ("partially initialized
    module 'pandas' has no attribute 'Series'"). Call this on the thread that
    starts a run; after the first call it costs a dict lookup.
    """
    import pandas  # noqa: F401
