"""The compiled TensorFlow side of kernel learning: graphs, chunks, graph counts.

:func:`playground.learning.learn.learn_kernel` validates and interprets; this
module runs the steps. Training runs in one compiled ``tf.function`` per
optimizer kind (a few steps per call, in a ``tf.while_loop``) with a fixed,
shape-free input signature: every argument is a tensor (no optimizer
objects, no Python numbers that vary), so runs of any image size, kernel
size, stride or padding reuse the same graph. That keeps the number of
graphs built at one per optimizer kind and memory flat while many students
train at once (docs/facts.md: a tf.function that receives Python objects is
rebuilt per session and leaks). Optimizer state is a tuple of tensors passed
in and returned. TensorFlow is loaded (:mod:`playground.learning.runtime`)
on the first step, never at import.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from playground.learning.runtime import load_tensorflow, runtime_thread_name
from playground.validation import Pair

__all__ = ["BUCKET", "MAX_CHUNK", "StepConfig", "compiled_graph_count", "step_rows"]

MAX_CHUNK = 32  # most steps computed per call (see step_rows)
BUCKET = 16  # the input's height and width are padded to a multiple of this

_lock = threading.Lock()
_step_fns: dict = {}  # optimizer name -> its compiled tf.function, built once


@dataclass(frozen=True)
class StepConfig:
    """The checked hyperparameters of one run, as the compiled steps take them."""

    lr: float
    steps: int
    optimizer: str  # "sgd", "momentum" or "adam"
    scale: float  # 1 for the summed loss, 1 / y.size for the mean
    use_bias: bool
    clipnorm: float  # 0 = no clipping


def _compiled_steps(tf) -> dict:
    with _lock:
        if not _step_fns:
            # built while TF still starts threads: they must not inherit a run's name
            with runtime_thread_name():
                _step_fns.update(_build_step_fns(tf))
        return _step_fns


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
            # strides; the stop drops the outputs of x's bucket padding (see step_rows)
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


def compiled_graph_count() -> int:
    """Graphs built for the compiled step functions so far (0 before TensorFlow is loaded).

    One per optimizer kind used: a larger number means a step function was
    rebuilt (retraced), which leaks memory with every student.
    """
    return sum(fn.experimental_get_tracing_count() for fn in _step_fns.values())


def step_rows(
    xp: np.ndarray, y: np.ndarray, strides: Pair, kernel0: np.ndarray, config: StepConfig
) -> Iterator[np.ndarray]:
    """Run ``config.steps`` steps; yield each step's row [loss, grad_norm, bias, kernel...].

    ``xp`` is the padded input, ``y`` the target, ``kernel0`` the starting
    kernel; ``config`` is already checked. Loss and gradient norm are measured
    before the step's update, bias and kernel after it. A row that is not
    finite ends its chunk early; judging it, and stopping there, is the
    caller's job.
    """
    tf = load_tensorflow()
    run_steps = _compiled_steps(tf)[config.optimizer]
    f32 = tf.float32
    # oneDNN caches a conv primitive per input shape (an LRU of 1024 per thread,
    # ~0.1 MB each): zeros up to a multiple of BUCKET, bottom and right, make
    # runs of nearby sizes share one. They only reach outputs the step drops.
    extra = [(0, -side % BUCKET) for side in xp.shape]
    x_t, y_t = tf.constant(np.pad(xp, extra), f32), tf.constant(y, f32)
    strides_t = tf.constant(strides, tf.int32)
    hyper = tuple(
        tf.constant(value, f32)
        for value in (config.lr, config.scale, float(config.use_bias), config.clipnorm)
    )
    kernel, bias = tf.constant(kernel0), tf.constant(0.0, f32)
    zeros = (tf.zeros_like(kernel), tf.zeros_like(bias))
    slots = {"sgd": (), "momentum": zeros, "adam": zeros * 2}[config.optimizer]
    done, chunk = 0, 1
    while done < config.steps:
        # Chunks start at one step (the first point shows at once) and grow
        # while a call stays short, so a pause or stop never waits long.
        n = min(chunk, config.steps - done)
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
        yield from rows
        done += len(rows)
