"""Each lesson's run: compute the book's cell with the playground and check it.

A run is ``run(expected, use_tensorflow) -> LessonResult``
(:data:`~playground.book.checks.Runner`); :mod:`playground.book.lessons`
pairs each one with its cell's texts. TensorFlow is loaded lazily, through
:mod:`playground.learning.runtime`, by the runs that use it; a run given
``use_tensorflow=False`` never imports it.

>>> result = run_edge_kernel(((1, 2), [[1, -1]]), use_tensorflow=False)
>>> result.passed
True
>>> print(result.check)
K has the book's shape (1, 2) and its numbers [[1, -1]] exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from playground import conv, pooling, shapes
from playground.book.checks import LessonResult, Runner, array_result, describe, matches, show
from playground.book.inputs import EDGE_KERNEL, bars, channels_first, k2, x3, x16
from playground.i18n import N_, Message
from playground.learning.runtime import load_tensorflow

TOLERANCE = 0.05  # how close a learned kernel must come to [1, -1] and to the book's digits
LEARN_SEED, LEARN_STEPS, LEARN_LR = 0, 10, 3e-2  # the book's 10 steps and learning rate
KERAS3_WATCH_ERROR = "not tf.Tensor or tf.Variable"  # GradientTape.watch on a keras.Variable


def run_corr2d_tf(expected, use_tensorflow: bool) -> LessonResult:
    from playground.book import keras_cells

    tf = load_tensorflow()
    # int32 tensors, as the book's In [7] makes them (its corr2d casts the sums to float32)
    X, K = tf.constant([[0, 1, 2], [3, 4, 5], [6, 7, 8]]), tf.constant([[0, 1], [2, 3]])
    Y = keras_cells.book_corr2d_tf(X, K)
    detail = Message(
        N_("TensorFlow {version} prints the tf.Variable as:\n{printed}"),
        {"version": tf.__version__, "printed": show(Y)},
    )
    return array_result(Y.numpy(), expected, detail=detail)


def run_conv2d_layer(expected, use_tensorflow: bool) -> LessonResult:
    from playground.book import keras_cells

    tf = load_tensorflow()
    X = tf.constant(x3())
    layer = keras_cells.BookConv2D((2, 2))
    layer(X)  # the first call builds w and b
    layer.set_weights([k2(), np.zeros(1, np.float32)])
    value = np.asarray(layer(X))
    reference = conv.corr2d(x3(), k2())
    return LessonResult(
        value=value,
        shown=show(value),
        expected=expected,
        passed=matches(value, expected) and matches(value, reference),
        check=Message(
            N_(
                "With w = K and b = 0 the layer's output equals the playground's "
                "corr2d(X, K) and the book's {values} exactly."
            ),
            {"values": describe(expected)},
        ),
        detail=Message(
            N_("The layer built w of shape {w_shape} and b of shape {b_shape}."),
            {"w_shape": tuple(layer.w.shape), "b_shape": tuple(layer.b.shape)},
        ),
    )


def run_edge_kernel(expected, use_tensorflow: bool) -> LessonResult:
    K = np.array(EDGE_KERNEL, np.float32)
    value = (K.shape, K)
    return LessonResult(
        value=value,
        shown=show(value),
        expected=expected,
        passed=value[0] == tuple(expected[0]) and matches(K, expected[1]),
        check=Message(
            N_("K has the book's shape {shape} and its numbers {values} exactly."),
            {"shape": expected[0], "values": describe(expected[1])},
        ),
    )


def run_edge_transposed(expected, use_tensorflow: bool) -> LessonResult:
    value = conv.corr2d(bars().T, EDGE_KERNEL)
    kernel_t = conv.corr2d(bars(), np.array(EDGE_KERNEL).T)
    zeros = kernel_t.shape == (5, 8) and not kernel_t.any()
    return array_result(
        value,
        expected,
        check=N_(
            "The result has the book's shape {shape} and equals its {values} exactly; the "
            "transposed kernel on the original X must give (5, 8) zeros."
        ),
        also_passed=zeros,
        detail=Message(
            N_(
                "corr2d(X, K.T), the kernel [[1], [-1]] on the untransposed image, is all "
                "zeros (shape {shape})."
            )
            if zeros
            else N_(
                "corr2d(X, K.T), the kernel [[1], [-1]] on the untransposed image, is NOT "
                "all zeros (shape {shape})."
            ),
            {"shape": kernel_t.shape},
        ),
    )


def run_reshape_4d(expected, use_tensorflow: bool) -> LessonResult:
    value = conv.corr2d(bars(), EDGE_KERNEL).reshape(1, 6, 7, 1)
    return array_result(value, expected, shown=f"{show(value)}\n\n{value.shape}")


def _learning_runs() -> tuple:
    from playground.book import keras_cells
    from playground.learning.learn import learn_kernel

    error = keras_cells.run_book_loop_as_printed(seed=LEARN_SEED)
    fixed = keras_cells.run_book_loop_fixed(seed=LEARN_SEED, steps=LEARN_STEPS, lr=LEARN_LR)
    image = bars()
    steps = learn_kernel(
        image, conv.corr2d(image, EDGE_KERNEL), (1, 2), lr=LEARN_LR, steps=LEARN_STEPS, seed=0
    )
    return error, fixed, list(steps)[-1].kernel


def run_learn_kernel(expected, use_tensorflow: bool) -> LessonResult:
    error, fixed, engine = _learning_runs()
    losses = [(int(step), float(loss)) for step, loss in fixed.lines]
    raised = error is not None and KERAS3_WATCH_ERROR in error[1]
    falling = all(later < earlier for (_, earlier), (_, later) in itertools.pairwise(losses))
    return LessonResult(
        value=losses,
        shown="\n".join(f"batch {step}, loss {loss:.3f}" for step, loss in losses),
        expected=expected,
        passed=raised
        and falling
        and matches(fixed.kernel, expected, TOLERANCE)
        and matches(engine, expected, TOLERANCE),
        check=Message(
            N_(
                "As printed, the loop must raise Keras 3's '{error}' error; the working "
                "loop's loss must fall at every printed batch and its kernel end within "
                "{tolerance} of {values}, as must the Learn page's engine "
                "(playground.learn_kernel, same data, rate and steps). The book's 0.000 "
                "losses are not compared: they depend on its random start."
            ),
            {"error": KERAS3_WATCH_ERROR, "tolerance": TOLERANCE, "values": describe(expected)},
        ),
        detail=Message(
            N_(
                "As printed, on Keras 3: {error}\nWorking loop's kernel: {fixed}\n"
                "playground.learn_kernel's kernel: {engine}"
            )
            if error
            else N_(
                "As printed, on Keras 3, the loop ran without an error.\n"
                "Working loop's kernel: {fixed}\nplayground.learn_kernel's kernel: {engine}"
            ),
            {
                "error": f"{error[0]}: {error[1]}" if error else "",
                "fixed": show(fixed.kernel),
                "engine": show(engine),
            },
        ),
    )


def run_learned_weights(expected, use_tensorflow: bool) -> LessonResult:
    from playground.book import keras_cells

    fixed = keras_cells.run_book_loop_fixed(seed=LEARN_SEED, steps=LEARN_STEPS, lr=LEARN_LR)
    return array_result(
        np.asarray(fixed.kernel, np.float32),
        expected,
        atol=TOLERANCE,
        check=N_(
            "The result has the book's shape {shape} and equals its {values} to within "
            "{atol} in every entry (the digits depend on the random start)."
        ),
    )


def run_conv_1x1(expected, use_tensorflow: bool) -> LessonResult:
    rng = np.random.default_rng(0)  # the book draws with tf.random.uniform; any numbers do
    X = rng.random((3, 3, 3), dtype=np.float32)
    K = rng.random((2, 3, 1, 1), dtype=np.float32)
    Y1 = (K.reshape(2, 3) @ X.reshape(3, 9)).reshape(2, 3, 3)  # the book's matmul form
    Y2 = channels_first(X, K)
    norm = float(np.linalg.norm(Y1 - Y2))
    value = norm < 1e-6
    return LessonResult(
        value=value,
        shown=repr(value),
        expected=expected,
        passed=value == expected,
        check=Message(
            N_(
                "On random (3, 3, 3) input and a (2, 3, 1, 1) kernel, the matrix-product "
                "form and the playground's conv2d must agree: ‖Y1 - Y2‖ < 1e-6 is {expected} "
                "in the book."
            ),
            {"expected": expected},
        ),
        detail=Message("‖Y1 - Y2‖ = {norm}", {"norm": f"{norm:.2g}"}),  # a formula
    )


def shape_lesson(input_hw, kernel, *, strides=1, padding="valid", keras_input_hw=None) -> Runner:
    """A runner for a 5.2 shape cell: the formula, and a real Keras Conv2D when allowed.

    Keras' Conv2D takes only 'valid' and 'same'; an explicit padding is
    cross-checked as the working form does it, on an input padded beforehand
    (``keras_input_hw``) with 'valid'.
    """

    def run(expected, use_tensorflow: bool) -> LessonResult:
        value = shapes.output_shape(input_hw, kernel, strides=strides, padding=padding)
        params = {"value": value, "expected": tuple(expected), "padded_hw": keras_input_hw}
        passed, detail = value == tuple(expected), None
        check = N_(
            "playground.output_shape gives {value}; the book's is {expected} (a real Keras "
            "Conv2D joins when TensorFlow is allowed)."
        )
        if use_tensorflow:
            from playground.book import keras_cells

            params["keras"] = keras_cells.keras_conv_output_shape(
                keras_input_hw or input_hw, kernel, "valid" if keras_input_hw else padding, strides
            )
            passed = passed and params["keras"] == tuple(expected)
            check = N_(
                "playground.output_shape gives {value} and a real Keras Conv2D gives {keras}; "
                "the book's is {expected}."
            )
            detail = Message(N_("Keras Conv2D: {keras}"), params)
            if keras_input_hw:
                check = N_(
                    "playground.output_shape gives {value} and a real Keras Conv2D on X padded "
                    "by tf.pad to {padded_hw}, with 'valid', gives {keras}; the book's is "
                    "{expected}."
                )
                detail = Message(
                    N_("Keras Conv2D on X padded by tf.pad to {padded_hw}, with 'valid': {keras}"),
                    params,
                )
        return LessonResult(
            value=value,
            shown=repr(value),
            expected=expected,
            passed=passed,
            check=Message(check, params),
            detail=detail,
        )

    return run


def _keras_x16(tf):
    """The book's 5.4 input, as it builds it: int32, (1, 4, 4, 1)."""
    return tf.reshape(tf.constant(range(16)), (1, 4, 4, 1))


def pool_lesson(pool_size, keras_pool: Callable, *, strides=None, padding="valid") -> Runner:
    """A runner for a Keras pooling cell on the book's 4x4 input.

    ``keras_pool(tf, X)`` runs the book's Keras code on its int32 X; the
    playground's float32 result is reshaped to the book's (1, h, w, 1).
    """

    def run(expected, use_tensorflow: bool) -> LessonResult:
        out = pooling.pool2d(x16(), pool_size, strides=strides, padding=padding, mode="max")
        value = out.reshape(1, *out.shape, 1)
        if not use_tensorflow:
            return array_result(value, expected)
        keras_value = np.asarray(keras_pool(load_tensorflow(), _keras_x16(load_tensorflow())))
        return array_result(
            value,
            expected,
            check=N_(
                "The result has the book's shape {shape} and equals its {values} exactly; so "
                "must the book's Keras code, run on Keras 3."
            ),
            also_passed=matches(keras_value, expected),
            detail=Message(
                N_("The book's Keras code on Keras 3 gives:\n{printed}"),
                {"printed": show(keras_value)},
            ),
        )

    return run


TWO_CHANNELS = ((10, 11), (14, 15)), ((11, 12), (15, 16))  # pooled X and X + 1, by channel


def run_pool_channels(expected, use_tensorflow: bool) -> LessonResult:
    x4 = x16().reshape(1, 4, 4, 1)
    # the book's cell in numpy: stack on a new axis 3, then reshape (both C order, as TF)
    mixed = np.stack([x4, x4 + 1], axis=3).reshape(2, 4, 4, 1)
    value = np.stack([pooling.pool2d(item, 3, strides=2, padding="same") for item in mixed])
    channels = pooling.pool2d(np.concatenate([x4, x4 + 1], axis=3)[0], 3, strides=2, padding="same")
    channels = np.moveaxis(channels, -1, 0)
    passed = matches(value, expected) and matches(channels, TWO_CHANNELS)
    detail = Message(
        N_("The working form, tf.concat([X, X+1], axis=3), pools two real channels:\n{printed}"),
        {"printed": show(channels)},
    )
    params = {
        "shape": np.shape(expected),
        "values": describe(np.asarray(expected)[:, :, :, 0]),
        "channels": describe(TWO_CHANNELS),
    }
    check = N_(
        "As printed, the result has the book's shape {shape} and numbers {values} exactly; "
        "pooling the two channels gives {channels}."
    )
    if use_tensorflow:
        tf = load_tensorflow()
        X = _keras_x16(tf)
        pool = tf.keras.layers.MaxPool2D(3, padding="same", strides=2)
        as_printed = np.asarray(pool(tf.reshape(tf.stack([X, X + 1], axis=3), (2, 4, 4, 1))))
        working = np.moveaxis(np.asarray(pool(tf.concat([X, X + 1], axis=3)))[0], -1, 0)
        passed = passed and matches(as_printed, expected) and matches(working, TWO_CHANNELS)
        check = N_(
            "As printed, the result has the book's shape {shape} and numbers {values} "
            "exactly; pooling the two channels gives {channels}; Keras 3 gives the same for "
            "both forms."
        )
    return LessonResult(
        value=value,
        shown=f"{mixed.shape}\n\n{show(value)}",
        expected=expected,
        passed=passed,
        check=Message(check, params),
        detail=detail,
    )
