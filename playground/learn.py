"""Learning a kernel from data by gradient descent (D2L 5.1.4), one step at a time.

``learn_kernel`` validates its arguments at once (no TensorFlow needed for
that) and returns an iterator of :class:`LearnStep`; the page decides how to
draw them. TensorFlow is imported on the first step, never at import.

Training runs in one compiled ``tf.function`` per optimizer kind (a few
steps per call, in a ``tf.while_loop``) with a fixed, shape-free input
signature: every argument is a tensor (no optimizer objects, no Python
numbers that vary), so runs of any image size, kernel size, stride or
padding reuse the same graph. That keeps the trace count at one per
optimizer kind and memory flat while many students train at once
(FACTS.md: a tf.function that receives Python objects retraces per session
and leaks). Optimizer state is a tuple of tensors passed in and returned.
"""

from __future__ import annotations

import contextlib
import gc
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from playground.shapes import as_pair, normalize_padding, output_shape, padding_amounts

OPTIMIZERS = ("sgd", "momentum", "adam")
LOSSES = ("sum", "mean")
INIT_STDDEV = 0.05  # the book's tf.random_normal_initializer() default
MAX_CHUNK = 32  # most steps computed per call (see _run)
BUCKET = 16  # the input's height and width are padded to a multiple of this

_lock = threading.Lock()
_state: dict = {}  # "tf" -> module, "steps" -> {optimizer: tf.function}


class Diverged(ArithmeticError):
    """Training produced an infinite or NaN loss, gradient or kernel.

    An ArithmeticError (not a ValueError): the arguments were valid, the
    arithmetic blew up. The message is one sentence for a student.
    """


@dataclass(frozen=True)
class LearnStep:
    """One gradient step: the loss that produced it and the weights after it.

    ``loss`` and ``grad_norm`` are measured with the weights before the
    update (as the book prints them); ``kernel`` and ``bias`` are after it.
    """

    step: int
    loss: float
    kernel: np.ndarray
    bias: float
    grad_norm: float


def _tf():
    """Import TensorFlow once, then freeze the gc (see FACTS.md) and set threads."""
    with _lock:
        if "tf" not in _state:
            import tensorflow as tf

            # ~300k long-lived objects arrive with TF; Streamlit's clear_session
            # after every rerun would walk them all (~280 ms). Freezing moves them
            # out of the collector's sight (~5 ms).
            gc.freeze()
            # Small convolutions gain nothing from several threads per op, and
            # concurrent student runs then share the cores fairly. Raises once TF
            # has run an op in this process: keep the setting it has then.
            with contextlib.suppress(RuntimeError):
                tf.config.threading.set_intra_op_parallelism_threads(1)
            _state["tf"] = tf
            _state["steps"] = _build_step_fns(tf)
        return _state["tf"]


def _build_step_fns(tf) -> dict:
    """One compiled function per optimizer running ``n`` steps in a tf.while_loop.

    Several steps per call because calling a tf.function costs ~0.3 ms, more
    than a whole step on a small image. Each step writes a row [loss,
    grad_norm, bias, kernel...]; the loop stops early at a non-finite row.
    """
    scalar, matrix = tf.TensorSpec([], tf.float32), tf.TensorSpec([None, None], tf.float32)
    head = [matrix, matrix, tf.TensorSpec([2], tf.int32), matrix, scalar]
    # first step number t0, step count n, lr, loss scale, use_bias (0/1), clipnorm (0 = off)
    tail = [scalar, tf.TensorSpec([], tf.int32), *[scalar] * 4]

    def grads(x, y, strides, kernel, bias, scale, use_bias, clipnorm):
        with tf.GradientTape() as tape:
            tape.watch([kernel, bias])
            full = tf.nn.conv2d(x[None, :, :, None], kernel[:, :, None, None], 1, "VALID")
            # strides as a tensor slice, not a conv attribute: one graph for all
            # strides; the stop drops the outputs of x's bucket padding (see _run)
            stop = (tf.shape(y) - 1) * strides + 1
            y_hat = full[0, : stop[0] : strides[0], : stop[1] : strides[1], 0] + bias
            loss = tf.reduce_sum(tf.square(y_hat - y)) * scale
        g_k, g_b = tape.gradient(loss, [kernel, bias])
        g_b = g_b * use_bias
        # scaled by the largest entry: squares of finite float32 gradients (1e20)
        # would overflow, and clipping would then turn a big step into none
        big = tf.maximum(tf.reduce_max(tf.abs(g_k)), tf.abs(g_b))
        unit_k, unit_b = tf.math.divide_no_nan(g_k, big), tf.math.divide_no_nan(g_b, big)
        norm = big * tf.sqrt(tf.reduce_sum(tf.square(unit_k)) + tf.square(unit_b))
        factor = tf.where((clipnorm > 0) & (norm > clipnorm), clipnorm / norm, 1.0)
        return loss, norm, g_k * factor, g_b * factor

    def sgd(kernel, bias, slots, g_k, g_b, lr, t):
        return kernel - lr * g_k, bias - lr * g_b, ()

    def momentum(kernel, bias, slots, g_k, g_b, lr, t):
        # Keras SGD(momentum=0.9): v = 0.9 v - lr g; w = w + v
        v_k, v_b = 0.9 * slots[0] - lr * g_k, 0.9 * slots[1] - lr * g_b
        return kernel + v_k, bias + v_b, (v_k, v_b)

    def adam(kernel, bias, slots, g_k, g_b, lr, t):
        # Keras Adam defaults: beta_1 0.9, beta_2 0.999, epsilon 1e-7
        m_k, m_b, v_k, v_b = slots
        m_k, m_b = m_k + (g_k - m_k) * 0.1, m_b + (g_b - m_b) * 0.1
        v_k, v_b = v_k + (g_k * g_k - v_k) * 0.001, v_b + (g_b * g_b - v_b) * 0.001
        alpha = lr * tf.sqrt(1 - tf.pow(0.999, t)) / (1 - tf.pow(0.9, t))
        kernel = kernel - alpha * m_k / (tf.sqrt(v_k) + 1e-7)
        bias = bias - alpha * m_b / (tf.sqrt(v_b) + 1e-7)
        return kernel, bias, (m_k, m_b, v_k, v_b)

    def compile_steps(update, slot_specs):
        def run(x, y, strides, kernel, bias, slots, t0, n, lr, scale, use_bias, clipnorm):
            def body(i, ok, kernel, bias, slots, rows):
                loss, norm, g_k, g_b = grads(x, y, strides, kernel, bias, scale, use_bias, clipnorm)
                t = t0 + tf.cast(i, tf.float32)  # Adam's bias correction
                kernel, bias, slots = update(kernel, bias, slots, g_k, g_b, lr, t)
                row = tf.concat([tf.stack([loss, norm, bias]), tf.reshape(kernel, [-1])], 0)
                ok = tf.reduce_all(tf.math.is_finite(row))
                return i + 1, ok, kernel, bias, slots, rows.write(i, row)

            rows = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=[None])
            start = (tf.constant(0), tf.constant(True), kernel, bias, slots, rows)
            _, _, kernel, bias, slots, rows = tf.while_loop(
                lambda i, ok, *_: (i < n) & ok, body, start
            )
            return rows.stack(), kernel, bias, slots

        signature = [*head, slot_specs, *tail]
        return tf.function(run, input_signature=signature, reduce_retracing=True)

    return {
        "sgd": compile_steps(sgd, ()),
        "momentum": compile_steps(momentum, (matrix, scalar)),
        "adam": compile_steps(adam, (matrix, scalar) * 2),
    }


def trace_count() -> int:
    """Total traces of the compiled step functions so far (0 before TF is loaded)."""
    steps = _state.get("steps", {})
    return sum(fn.experimental_get_tracing_count() for fn in steps.values())


def _as_image(value: ArrayLike, name: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a 2D array of real numbers; got {type(value).__name__}."
        ) from None
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{name} must be a non-empty 2D array (H, W); got shape {array.shape}.")
    bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
    if bad:
        raise ValueError(
            f"{name} contains NaN or infinite values at {bad} positions; every entry must "
            "be a finite number. Replace them first (e.g. with np.nan_to_num)."
        )
    return array


def _as_tuple(value):
    # as_pair wants a sequence: accept lists, arrays and TensorShapes too
    return value if isinstance(value, str) or np.ndim(value) == 0 else tuple(value)


def _positive(value, name: str, hint: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number; got {value!r}.")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number greater than 0; got {value!r}. {hint}")
    return float(value)


def _choice(value, name: str, options: tuple[str, ...]) -> str:
    if value not in options:
        allowed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}.")
    return value


def learn_kernel(
    x: ArrayLike,
    y: ArrayLike,
    kernel_shape: int | tuple[int, int],
    *,
    lr: float = 0.03,
    steps: int = 100,
    optimizer: str = "sgd",
    loss: str = "sum",
    use_bias: bool = False,
    seed: int | None = 0,
    clipnorm: float | None = None,
    strides: int | tuple[int, int] = 1,
    padding: str | int | tuple = "valid",
) -> Iterator[LearnStep]:
    """Learn a kernel K (and optionally a bias) so that conv2d(x, K) matches y.

    Parameters
    ----------
    x : array_like, shape (H, W)
        The input image.
    y : array_like, shape (OH, OW)
        The target map: the shape ``conv2d(x, K, strides=..., padding=...)`` has.
    kernel_shape : int or (kh, kw)
    lr : float
        Learning rate, > 0. The book's 3e-2 with ``loss="sum"`` and SGD.
    steps : int
        Number of gradient steps, >= 1.
    optimizer : {"sgd", "momentum", "adam"}
        Plain SGD, SGD with momentum 0.9, or Adam with Keras' defaults.
    loss : {"sum", "mean"}
        Summed squared error (the book's) or its mean (for large images).
    use_bias : bool
        Also learn a scalar bias added to every output cell.
    seed : int or None
        Seed of the initial kernel, drawn from N(0, 0.05^2) as the book's
        ``random_normal_initializer``. The same seed gives the same run.
    clipnorm : float or None
        Clip the gradient to this global norm before each update.
    strides, padding
        As in :func:`playground.conv2d`.

    Returns
    -------
    Iterator[LearnStep]
        One step per update; nothing non-finite is ever yielded.

    Raises
    ------
    ValueError, TypeError
        At call time, for invalid arguments.
    Diverged
        While iterating, when the loss, gradient or weights become infinite or NaN.

    Examples
    --------
    >>> x = np.ones((6, 8)); x[:, 2:6] = 0
    >>> y = np.diff(-x, axis=1)  # the book's edge map: corr2d(x, [[1, -1]])
    >>> last = list(learn_kernel(x, y, (1, 2), steps=60))[-1]
    >>> np.round(last.kernel, 2)
    array([[ 1., -1.]], dtype=float32)
    """
    lr = _positive(lr, "lr", "Try 0.03 (the book's learning rate) or 0.001.")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer):
        raise TypeError(f"steps must be a whole number; got {steps!r}.")
    if steps < 1:
        raise ValueError(f"steps must be at least 1; got {steps}. Try 100.")
    optimizer = _choice(optimizer, "optimizer", OPTIMIZERS)
    loss = _choice(loss, "loss", LOSSES)
    if clipnorm is not None:
        clipnorm = _positive(clipnorm, "clipnorm", "Try 1.0, or None for no clipping.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise TypeError(f"seed must be a whole number or None; got {seed!r}.")
    x = _as_image(x, "x")
    k = as_pair(_as_tuple(kernel_shape), "kernel_shape")
    s = as_pair(strides, "strides")
    padding = normalize_padding(padding)
    # only "valid" and explicit amounts can leave the kernel larger than the
    # padded input ("same" and "full" always fit it): say so with our names
    fixed = ((0, 0), (0, 0)) if padding == "valid" else padding
    if not isinstance(fixed, str):
        padded = (x.shape[0] + sum(fixed[0]), x.shape[1] + sum(fixed[1]))
        if k[0] > padded[0] or k[1] > padded[1]:
            raise ValueError(
                f"kernel_shape {k} is larger than the padded input {padded} (x has shape "
                f"{x.shape}, padding={padding!r}). Use padding='same' or a smaller kernel_shape."
            )
    pads = padding_amounts(x.shape, k, strides=s, padding=padding)
    y = _as_image(y, "y")
    expected = output_shape(x.shape, k, strides=s, padding=padding)
    if y.shape != expected:
        raise ValueError(
            f"y has shape {y.shape}, but x of shape {x.shape} with kernel_shape {k}, "
            f"strides {s} and padding={padding!r} gives an output of shape {expected}. "
            "Make y with the same settings, or change kernel_shape, strides or padding."
        )
    xp = np.pad(x, pads)
    kernel0 = np.random.default_rng(seed).normal(0.0, INIT_STDDEV, k).astype(np.float32)
    config = {
        "lr": lr,
        "steps": int(steps),
        "optimizer": optimizer,
        "scale": 1.0 if loss == "sum" else 1.0 / y.size,
        "use_bias": bool(use_bias),
        "clipnorm": clipnorm or 0.0,
    }
    return _run(xp, y, s, kernel0, config)


def _problem(name: str, value: np.ndarray) -> str | None:
    if np.isnan(value).any():
        return f"the {name} became NaN (not a number)"
    if np.isinf(value).any():
        return f"the {name} became infinite"
    return None


def _diverged(step: int, problem: str, config: dict) -> Diverged:
    way_out = "lower the clipnorm" if config["clipnorm"] else "turn on gradient clipping"
    return Diverged(
        f"Training diverged at step {step}: {problem}. Lower the learning rate "
        f"(try {config['lr'] / 10:.3g}) or {way_out}."
    )


def _run(xp, y, strides, kernel0, config) -> Iterator[LearnStep]:
    tf = _tf()
    run_steps = _state["steps"][config["optimizer"]]
    f32 = tf.float32
    # oneDNN caches a conv primitive per input shape (an LRU of 1024 per thread,
    # ~0.1 MB each): zeros up to a multiple of BUCKET, bottom and right, make
    # runs of nearby sizes share one. They only reach outputs the step drops.
    extra = [(0, -side % BUCKET) for side in xp.shape]
    x_t, y_t = tf.constant(np.pad(xp, extra), f32), tf.constant(y, f32)
    strides_t = tf.constant(strides, tf.int32)
    hyper = tuple(tf.constant(config[key], f32) for key in ("lr", "scale", "use_bias", "clipnorm"))
    kernel, bias = tf.constant(kernel0), tf.constant(0.0, f32)
    zeros = (tf.zeros_like(kernel), tf.zeros_like(bias))
    slots = {"sgd": (), "momentum": zeros, "adam": zeros * 2}[config["optimizer"]]
    done, chunk = 0, 1
    while done < config["steps"]:
        # Chunks start at one step (the first point shows at once) and grow
        # while a call stays short, so a pause or stop never waits long.
        n = min(chunk, config["steps"] - done)
        started = time.perf_counter()
        rows, kernel, bias, slots = run_steps(
            x_t, y_t, strides_t, kernel, bias, slots, tf.constant(done + 1, f32),
            tf.constant(n), *hyper,
        )  # fmt: skip
        rows = rows.numpy()  # one device->host copy per chunk
        took = time.perf_counter() - started
        if took < 0.025:
            chunk = min(chunk * 2, MAX_CHUNK)
        elif took > 0.1:
            chunk = max(chunk // 2, 1)
        for values in rows:
            done += 1
            for name, part in (
                ("loss", values[:1]),
                ("gradient", values[1:2]),
                ("kernel", values[2:]),
            ):
                if problem := _problem(name, part):
                    raise _diverged(done, problem, config)
            kernel_np = values[3:].reshape(kernel0.shape).copy()
            yield LearnStep(done, float(values[0]), kernel_np, float(values[2]), float(values[1]))
