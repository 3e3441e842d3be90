"""The book's TensorFlow cells (D2L 5.1-5.2, TF2 edition), runnable on Keras 3.

For the Lessons page: each function mirrors one or more of the book's cells
(numbered as in the book's notebook, ``In [n]``) and returns plain data;
nothing here prints. TensorFlow and Keras are imported on first use.

On Keras 3 two of the book's cells do not work as printed:

- ``Conv2D.build(self, kernel_size)`` (In [8]): Keras calls ``build`` with
  the *input's* shape, so the book's layer gets a kernel as large as the
  whole image. :class:`BookConv2D` takes the kernel size in ``__init__``.
- The learning loop (In [22]) calls ``g.watch(conv2d.weights[0])``; a
  Keras 3 weight is a ``keras.Variable`` wrapping a ``tf.Variable``, which
  ``GradientTape.watch`` refuses. :func:`run_book_loop_as_printed` shows the
  error, :func:`run_book_loop_fixed` watches ``conv2d.kernel.value``.
"""

from __future__ import annotations

import contextlib
import io
from typing import NamedTuple

import numpy as np

from playground.book.inputs import bars
from playground.learning.runtime import load_keras, load_tensorflow
from playground.shapes import output_shape
from playground.validation import as_pair


def book_corr2d_tf(X, K):
    """The book's ``corr2d`` in TensorFlow, as printed (In [5]; In [7] calls it).

    A ``tf.Variable`` filled one cell at a time with ``assign``: readable,
    and very slow (seconds for 64x64), which is the lesson.

    >>> tf = load_tensorflow()
    >>> book_corr2d_tf(tf.constant([[0, 1, 2], [3, 4, 5], [6, 7, 8]]),
    ...                tf.constant([[0, 1], [2, 3]])).numpy()
    array([[19., 25.],
           [37., 43.]], dtype=float32)
    """
    tf = load_tensorflow()
    h, w = K.shape
    Y = tf.Variable(tf.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1)))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j].assign(tf.cast(tf.reduce_sum(X[i : i + h, j : j + w] * K), dtype=tf.float32))
    return Y


def _book_conv2d_class():
    keras = load_keras()

    class BookConv2D(keras.layers.Layer):
        """The book's custom layer (In [8]) on Keras 3: ``corr2d(X, w) + b``.

        ``BookConv2D(kernel_size, seed=None)``; weights ``w`` (kernel_size) and
        ``b`` (1,), both drawn from N(0, 0.05^2) as the book's
        ``random_normal_initializer``. Takes a 2D tensor X.
        """

        def __init__(self, kernel_size, *, seed: int | None = None, **kwargs):
            super().__init__(**kwargs)
            self.kernel_size = as_pair(kernel_size, "kernel_size")
            self.seed = seed

        def build(self, input_shape):
            # The book writes build(self, kernel_size), but Keras (2 and 3) passes
            # the input's shape here, so its kernel came out as large as the image
            # (a (6, 8) input gave a (6, 8) kernel and a 1x1 output). The kernel
            # size comes from __init__ instead; the input's shape is not needed.
            del input_shape
            init = keras.initializers.RandomNormal(stddev=0.05, seed=self.seed)
            self.w = self.add_weight(name="w", shape=self.kernel_size, initializer=init)
            self.b = self.add_weight(name="b", shape=(1,), initializer=init)

        def call(self, inputs):
            return book_corr2d_tf(inputs, self.w) + self.b

    return BookConv2D


def __getattr__(name: str):
    # BookConv2D subclasses keras.layers.Layer, so it can only exist once Keras
    # is imported: build it on first access (PEP 562), keeping import cheap.
    if name == "BookConv2D":
        globals()[name] = _book_conv2d_class()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _book_data(seed: int):
    """X, Y and the Keras layer of In [9]-[17], in 4D as In [16] reshapes them."""
    tf, keras = load_tensorflow(), load_keras()
    X = bars()
    Y = X[:, :-1] - X[:, 1:]  # corr2d(X, [[1, -1]]) of In [15]
    conv2d = keras.layers.Conv2D(
        1, (1, 2), kernel_initializer=keras.initializers.GlorotUniform(seed=seed)
    )
    return tf.reshape(X, (1, 6, 8, 1)), tf.reshape(Y, (1, 6, 7, 1)), conv2d


def run_book_loop_as_printed(seed: int = 0) -> tuple[str, str] | None:
    """Run the book's learning loop (In [22]) verbatim; return the error it raises.

    Returns ``(error type name, message)``, or None where the loop works (the
    tf.keras 2 the book used). Its ``print`` output is swallowed.
    """
    tf = load_tensorflow()
    X, Y, conv2d = _book_data(seed)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            Y_hat = conv2d(X)
            for i in range(10):
                with tf.GradientTape(watch_accessed_variables=False) as g:
                    g.watch(conv2d.weights[0])
                    Y_hat = conv2d(X)
                    l = (abs(Y_hat - Y)) ** 2  # noqa: E741
                    dl = g.gradient(l, conv2d.weights[0])
                    lr = 3e-2
                    update = tf.multiply(lr, dl)
                    updated_weights = conv2d.get_weights()
                    updated_weights[0] = conv2d.weights[0] - update
                    conv2d.set_weights(updated_weights)

                    if (i + 1) % 2 == 0:
                        print("batch %d, loss %.3f" % (i + 1, tf.reduce_sum(l)))  # noqa: UP031
    except Exception as exc:  # the lesson is which error Keras 3 raises
        return type(exc).__name__, str(exc)
    return None


class BookLoop(NamedTuple):
    """The fixed loop's printed lines as data, and the learned (1, 2) kernel."""

    lines: list[tuple[int, float]]
    kernel: np.ndarray


def run_book_loop_fixed(
    seed: int = 0, steps: int = 10, lr: float = 3e-2, *, every: int = 2
) -> BookLoop:
    """The book's loop (In [22]-[23]) corrected for Keras 3; prints nothing.

    The tape watches ``conv2d.kernel.value``, the ``tf.Variable`` inside the
    Keras 3 variable, and the gradient is taken after the tape's block
    rather than inside it; the rest is the book's. ``lines`` holds the
    ``(step, loss)`` pairs the book prints as ``"batch %d, loss %.3f"``
    (every ``every`` steps); ``kernel`` is In [23]'s reshaped kernel.
    """
    tf = load_tensorflow()
    X, Y, conv2d = _book_data(seed)
    conv2d(X)  # builds the layer, as the book's first Y_hat = conv2d(X)
    lines = []
    for i in range(steps):
        with tf.GradientTape(watch_accessed_variables=False) as g:
            g.watch(conv2d.kernel.value)
            Y_hat = conv2d(X)
            l = (abs(Y_hat - Y)) ** 2  # noqa: E741 (the book's name)
        dl = g.gradient(l, conv2d.kernel.value)
        updated_weights = conv2d.get_weights()
        updated_weights[0] = conv2d.kernel.value - tf.multiply(lr, dl)
        conv2d.set_weights(updated_weights)
        if (i + 1) % every == 0:
            lines.append((i + 1, float(tf.reduce_sum(l))))
    kernel = np.reshape(conv2d.get_weights()[0], (1, 2))
    return BookLoop(lines, kernel)


def keras_conv_output_shape(
    input_hw, kernel_size, padding: str = "valid", strides=1
) -> tuple[int, int]:
    """Output (h, w) of a real Keras Conv2D on a random input (In [24]-[33]).

    The book's ``comp_conv2d``: reshape to (1, h, w, 1), apply the layer,
    read the spatial shape. The book's cells give (8, 8), (4, 4), (2, 1).

    >>> keras_conv_output_shape((8, 8), (3, 5), "valid", (3, 4))
    (2, 1)
    """
    tf, keras = load_tensorflow(), load_keras()
    if padding not in ("valid", "same"):
        raise ValueError(
            f"padding must be 'valid' or 'same' (the two a Keras Conv2D takes); "
            f"got {padding!r}. Use playground.output_shape for other paddings."
        )
    n, k, s = as_pair(input_hw, "input_hw"), as_pair(kernel_size, "kernel_size"), strides
    output_shape(n, k, strides=s, padding=padding)  # a clear error before Keras' own
    conv2d = keras.layers.Conv2D(1, kernel_size=k, padding=padding, strides=as_pair(s, "strides"))
    X = tf.constant(np.random.default_rng(0).random(n, dtype=np.float32))
    Y = conv2d(tf.reshape(X, (1, *X.shape, 1)))
    return tuple(int(d) for d in Y.shape[1:3])
