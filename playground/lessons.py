"""The book's cells (D2L 5.1-5.4, TF2 edition), run by the playground and checked.

A :class:`Lesson` joins one or a few of the book's cells (their texts live in
:mod:`playground.lesson_cells`) with a ``run`` that computes the cell's
result with the playground and compares it with the book's printed numbers.
The Lessons page only renders the fields; every computation lives here.

TensorFlow is imported lazily, through :mod:`playground.book_tf` and
:mod:`playground.learn`. Lessons with ``needs_tensorflow`` import it when
they run; lessons with ``keras_cross_check`` compute with numpy and, when
TensorFlow is allowed, also ask a real Keras layer. ``run_all(
include_tensorflow=False)`` never imports it, so a page can show most
lessons at once and the rest after the ~5 s import.

For an array, ``shown`` is numpy's repr of the result in the book's layout.
That is the very text the book prints after ``numpy=`` inside its TensorFlow
repr, so a student can compare the two line by line, and it leaves out the
wrapper's version-dependent parts (TF 2.0 printed ``id=145``; today's TF
prints none). Shapes show as Python tuples, the learning loop as the book's
``batch n, loss x.xxx`` lines.

>>> result = run_lesson("corr2d", include_tensorflow=False)
>>> print(result.shown)
array([[19., 25.],
       [37., 43.]], dtype=float32)
>>> result.passed
True
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from playground import conv, shapes
from playground.lesson_cells import CELLS

TOLERANCE = 0.05  # how close a learned kernel must come to [1, -1] and to the book's digits
LEARN_SEED, LEARN_STEPS, LEARN_LR = 0, 10, 3e-2  # the book's 10 steps and learning rate
KERAS3_WATCH_ERROR = "not tf.Tensor or tf.Variable"  # GradientTape.watch on a keras.Variable

# numpy's default print options, pinned: another module or a notebook may change
# them process-wide, and the page must print exactly like the book.
_PRINT_OPTIONS = {"precision": 8, "threshold": 1000, "edgeitems": 3, "linewidth": 75}


@dataclass(frozen=True, eq=False)  # eq=False: numpy fields make == ambiguous
class LessonResult:
    """What one lesson's run produced and how it compares with the book.

    Attributes
    ----------
    value : object
        The result: a numpy array, a shape tuple, a list of (step, loss) or a bool.
    shown : str
        The result as the page should print it, formatted like the book's output.
    expected : object
        The book's values, as Python/numpy data.
    passed : bool
        Whether the check held.
    check : str
        One sentence: what was compared, and how.
    detail : str
        Optional extra text, e.g. the error the book's code raises on Keras 3.
    """

    value: Any
    shown: str
    expected: Any
    passed: bool
    check: str
    detail: str = ""


Runner = Callable[[Any, bool], LessonResult]  # (expected, use_tensorflow) -> result


@dataclass(frozen=True, eq=False)
class Lesson:
    """One lesson: the book's code and output, a plain explanation and a run.

    Use :meth:`execute` (or :func:`run_lesson`) rather than calling ``run``.

    Attributes
    ----------
    key : str
        Stable id, e.g. "corr2d", "learn_kernel", "padding_same".
    section, title, source : str
        "5.1" to "5.4"; a short title; the edition and cells quoted.
    explanation : str
        Two to four plain sentences for a student.
    book_code, book_output : str
        The code and its printed output exactly as the book has them.
    expected : object
        The book's values as Python/numpy data, in the book's layout.
    run : callable
        ``run(expected, use_tensorflow) -> LessonResult``.
    needs_tensorflow : bool
        The lesson cannot run without TensorFlow.
    keras_cross_check : bool
        The lesson runs without TensorFlow, and also asks Keras when allowed.
    note, working_code : str
        Why the book's code differs on Keras 3 (or in TensorFlow), and the
        form that works; empty when the book's code runs as printed.
    """

    key: str
    section: str
    title: str
    source: str
    explanation: str
    book_code: str
    book_output: str
    expected: Any
    run: Runner = field(repr=False)
    needs_tensorflow: bool = False
    keras_cross_check: bool = False
    note: str = ""
    working_code: str = ""

    def execute(self, *, include_tensorflow: bool = True) -> LessonResult:
        """Run the lesson and compare with the book.

        Parameters
        ----------
        include_tensorflow : bool
            Allow TensorFlow: required by ``needs_tensorflow`` lessons, and
            adds the Keras cross-check of ``keras_cross_check`` lessons.

        Returns
        -------
        LessonResult
            A lesson whose code raises comes back failed, with the error in
            ``shown``, so one broken lesson cannot take the page down.
        """
        if not isinstance(include_tensorflow, bool):
            raise TypeError(
                f"include_tensorflow must be True or False; got {include_tensorflow!r}."
            )
        if self.needs_tensorflow and not include_tensorflow:
            raise ValueError(
                f"Lesson {self.key!r} needs TensorFlow, but include_tensorflow=False was "
                "given. Run it with include_tensorflow=True, or skip lessons whose "
                "needs_tensorflow is True."
            )
        try:
            return self.run(self.expected, include_tensorflow)
        except Exception as exc:  # shown as a failed lesson, not a crashed page
            return LessonResult(
                value=None,
                shown=f"{type(exc).__name__}: {exc}",
                expected=self.expected,
                passed=False,
                check="The lesson raised an error before its result could be compared.",
            )


# ---- formatting and comparing ---------------------------------------------


def _show(value) -> str:
    with np.printoptions(**_PRINT_OPTIONS):
        return repr(value)


def _number(x) -> str:
    # float32's shortest repr: the book's 0.9999567 stays 0.9999567, not 0.99995673
    return str(int(x)) if float(x).is_integer() else str(np.float32(x))


def _describe(expected) -> str:
    """The book's numbers as a short nested list, or just their shape when there are many."""
    array = np.asarray(expected)
    if array.size > 8:
        return f"{array.shape} array"
    if array.ndim == 4 and array.shape[0] == array.shape[-1] == 1:
        array = array[0, :, :, 0]  # one sample, one channel: (1, 2, 2, 1) reads as 2x2

    def nested(a):
        return _number(a) if a.ndim == 0 else "[" + ", ".join(nested(row) for row in a) + "]"

    return nested(array)


def _matches(value, expected, atol: float = 0.0) -> bool:
    """Same shape, and every number equal (atol=0) or within atol; dtypes may differ."""
    value, expected = np.asarray(value), np.asarray(expected)
    return value.shape == expected.shape and bool(np.allclose(value, expected, rtol=0, atol=atol))


def _array_result(
    value,
    expected,
    *,
    atol: float = 0.0,
    shown: str | None = None,
    also: tuple[str, bool] = ("", True),
    detail: str = "",
) -> LessonResult:
    """Compare an array with the book's; ``also`` adds (a clause to the check, its outcome)."""
    how = "exactly" if atol == 0 else f"to within {atol:g} in every entry"
    clause, also_passed = also
    return LessonResult(
        value=value,
        shown=_show(value) if shown is None else shown,
        expected=expected,
        passed=_matches(value, expected, atol) and also_passed,
        check=(
            f"The result has the book's shape {np.shape(expected)} and equals its "
            f"{_describe(expected)} {how}{clause}."
        ),
        detail=detail,
    )


# ---- the book's inputs -------------------------------------------------------

EDGE_KERNEL = ((1.0, -1.0),)


def _x3() -> np.ndarray:
    return np.arange(9, dtype=np.float32).reshape(3, 3)


def _k2() -> np.ndarray:
    return np.arange(4, dtype=np.float32).reshape(2, 2)


def _bars() -> np.ndarray:
    """The book's 6x8 image: ones with a band of zeros in columns 2 to 5."""
    x = np.ones((6, 8), np.float32)
    x[:, 2:6] = 0
    return x


def _x16() -> np.ndarray:
    return np.arange(16, dtype=np.float32).reshape(4, 4)


def _channels_first(X, K) -> np.ndarray:
    """conv2d on the book's channels-first arrays: X (c_i, h, w), K (c_o, c_i, kh, kw).

    The playground (like Keras) keeps channels last, so move them there and back.
    """
    out = conv.conv2d(np.moveaxis(X, 0, -1), np.transpose(K, (2, 3, 1, 0)))
    return np.moveaxis(out, -1, 0)


def _multi_in() -> np.ndarray:
    """The book's two-channel X (2, 3, 3) with its kernel K (2, 2, 2): one output map."""
    X = np.stack([_x3(), _x3() + 1])
    K = np.stack([_k2(), _k2() + 1])
    return _channels_first(X, K[None])[0]


def _multi_in_out() -> np.ndarray:
    """The same X with the kernels K, K + 1, K + 2 stacked: three output maps."""
    X = np.stack([_x3(), _x3() + 1])
    K = np.stack([_k2(), _k2() + 1])
    return _channels_first(X, np.stack([K, K + 1, K + 2]))


def _tf():
    # through playground.learn: TF is imported once, with the gc freeze that keeps
    # Streamlit's reruns fast (FACTS.md), exactly as the rest of the package does
    from playground.learn import _tf as import_tensorflow

    return import_tensorflow()


# ---- runners -------------------------------------------------------------------


def _computed(compute: Callable[[], np.ndarray]) -> Runner:
    """A runner for a lesson whose result is one array, compared exactly."""

    def run(expected, use_tensorflow: bool) -> LessonResult:
        return _array_result(compute(), expected)

    return run


def _run_corr2d_tf(expected, use_tensorflow: bool) -> LessonResult:
    from playground import book_tf

    tf = _tf()
    # int32 tensors, as the book's In [7] makes them (its corr2d casts the sums to float32)
    X, K = tf.constant([[0, 1, 2], [3, 4, 5], [6, 7, 8]]), tf.constant([[0, 1], [2, 3]])
    Y = book_tf.book_corr2d_tf(X, K)
    detail = f"TensorFlow {tf.__version__} prints the tf.Variable as:\n{_show(Y)}"
    return _array_result(Y.numpy(), expected, detail=detail)


def _run_conv2d_layer(expected, use_tensorflow: bool) -> LessonResult:
    from playground import book_tf

    tf = _tf()
    X = tf.constant(_x3())
    layer = book_tf.BookConv2D((2, 2))
    layer(X)  # the first call builds w and b
    layer.set_weights([_k2(), np.zeros(1, np.float32)])
    value = np.asarray(layer(X))
    reference = conv.corr2d(_x3(), _k2())
    return LessonResult(
        value=value,
        shown=_show(value),
        expected=expected,
        passed=_matches(value, expected) and _matches(value, reference),
        check=(
            "With w = K and b = 0 the layer's output equals the playground's corr2d(X, K) "
            f"and the book's {_describe(expected)} exactly."
        ),
        detail=f"The layer built w of shape {tuple(layer.w.shape)} and b of shape "
        f"{tuple(layer.b.shape)}.",
    )


def _run_edge_kernel(expected, use_tensorflow: bool) -> LessonResult:
    K = np.array(EDGE_KERNEL, np.float32)
    value = (K.shape, K)
    return LessonResult(
        value=value,
        shown=_show(value),
        expected=expected,
        passed=value[0] == tuple(expected[0]) and _matches(K, expected[1]),
        check=f"K has the book's shape {expected[0]} and its numbers "
        f"{_describe(expected[1])} exactly.",
    )


def _run_edge_transposed(expected, use_tensorflow: bool) -> LessonResult:
    value = conv.corr2d(_bars().T, EDGE_KERNEL)
    kernel_t = conv.corr2d(_bars(), np.array(EDGE_KERNEL).T)
    zeros = kernel_t.shape == (5, 8) and not kernel_t.any()
    return _array_result(
        value,
        expected,
        also=("; the transposed kernel on the original X must give (5, 8) zeros", zeros),
        detail=(
            "corr2d(X, K.T), the kernel [[1], [-1]] on the untransposed image, "
            f"{'is' if zeros else 'is NOT'} all zeros (shape {kernel_t.shape})."
        ),
    )


def _run_reshape_4d(expected, use_tensorflow: bool) -> LessonResult:
    value = conv.corr2d(_bars(), EDGE_KERNEL).reshape(1, 6, 7, 1)
    return _array_result(value, expected, shown=f"{_show(value)}\n\n{value.shape}")


def _learning_runs() -> tuple:
    from playground import book_tf
    from playground.learn import learn_kernel

    error = book_tf.run_book_loop_as_printed(seed=LEARN_SEED)
    fixed = book_tf.run_book_loop_fixed(seed=LEARN_SEED, steps=LEARN_STEPS, lr=LEARN_LR)
    bars = _bars()
    steps = learn_kernel(
        bars, conv.corr2d(bars, EDGE_KERNEL), (1, 2), lr=LEARN_LR, steps=LEARN_STEPS, seed=0
    )
    return error, fixed, list(steps)[-1].kernel


def _run_learn_kernel(expected, use_tensorflow: bool) -> LessonResult:
    error, fixed, engine = _learning_runs()
    losses = [(int(step), float(loss)) for step, loss in fixed.lines]
    raised = error is not None and KERAS3_WATCH_ERROR in error[1]
    falling = all(later < earlier for (_, earlier), (_, later) in itertools.pairwise(losses))
    as_printed = f"{error[0]}: {error[1]}" if error else "the loop ran without an error"
    return LessonResult(
        value=losses,
        shown="\n".join(f"batch {step}, loss {loss:.3f}" for step, loss in losses),
        expected=expected,
        passed=raised
        and falling
        and _matches(fixed.kernel, expected, TOLERANCE)
        and _matches(engine, expected, TOLERANCE),
        check=(
            f"As printed, the loop must raise Keras 3's '{KERAS3_WATCH_ERROR}' error; the "
            f"working loop's loss must fall at every printed batch and its kernel end within "
            f"{TOLERANCE} of {_describe(expected)}, as must the Learn page's engine "
            "(playground.learn_kernel, same data, rate and steps). The book's 0.000 losses "
            "are not compared: they depend on its random start."
        ),
        detail=(
            f"As printed, on Keras 3: {as_printed}\n"
            f"Working loop's kernel: {_show(fixed.kernel)}\n"
            f"playground.learn_kernel's kernel: {_show(engine)}"
        ),
    )


def _run_learned_weights(expected, use_tensorflow: bool) -> LessonResult:
    from playground import book_tf

    fixed = book_tf.run_book_loop_fixed(seed=LEARN_SEED, steps=LEARN_STEPS, lr=LEARN_LR)
    return _array_result(
        np.asarray(fixed.kernel, np.float32),
        expected,
        atol=TOLERANCE,
        also=(" (the digits depend on the random start)", True),
    )


def _run_conv_1x1(expected, use_tensorflow: bool) -> LessonResult:
    rng = np.random.default_rng(0)  # the book draws with tf.random.uniform; any numbers do
    X = rng.random((3, 3, 3), dtype=np.float32)
    K = rng.random((2, 3, 1, 1), dtype=np.float32)
    Y1 = (K.reshape(2, 3) @ X.reshape(3, 9)).reshape(2, 3, 3)  # the book's matmul form
    Y2 = _channels_first(X, K)
    norm = float(np.linalg.norm(Y1 - Y2))
    value = norm < 1e-6
    return LessonResult(
        value=value,
        shown=repr(value),
        expected=expected,
        passed=value == expected,
        check=(
            "On random (3, 3, 3) input and a (2, 3, 1, 1) kernel, the matrix-product form "
            f"and the playground's conv2d must agree: ‖Y1 - Y2‖ < 1e-6 is {expected} in the book."
        ),
        detail=f"‖Y1 - Y2‖ = {norm:.2g}",
    )


def _shape_lesson(
    input_hw, kernel, *, strides=1, padding="valid", keras_input_hw=None, keras_how=""
) -> Runner:
    """A runner for a 5.2 shape cell: the formula, and a real Keras Conv2D when allowed.

    Keras' Conv2D takes only 'valid' and 'same'; an explicit padding is
    cross-checked as the working form does it, on an input padded beforehand
    (``keras_input_hw``) with 'valid'.
    """

    def run(expected, use_tensorflow: bool) -> LessonResult:
        value = shapes.output_shape(input_hw, kernel, strides=strides, padding=padding)
        found = [f"playground.output_shape gives {value}"]
        passed = value == tuple(expected)
        detail = ""
        if use_tensorflow:
            from playground import book_tf

            keras_padding = "valid" if keras_input_hw else padding
            keras_shape = book_tf.keras_conv_output_shape(
                keras_input_hw or input_hw, kernel, keras_padding, strides
            )
            found.append(f"a real Keras Conv2D{keras_how} gives {keras_shape}")
            passed = passed and keras_shape == tuple(expected)
            detail = f"Keras Conv2D{keras_how}: {keras_shape}"
        missing = (
            "" if use_tensorflow else " (a real Keras Conv2D joins when TensorFlow is allowed)"
        )
        return LessonResult(
            value=value,
            shown=repr(value),
            expected=expected,
            passed=passed,
            check=f"{' and '.join(found)}; the book's is {tuple(expected)}{missing}.",
            detail=detail,
        )

    return run


def _keras_x16(tf):
    """The book's 5.4 input, as it builds it: int32, (1, 4, 4, 1)."""
    return tf.reshape(tf.constant(range(16)), (1, 4, 4, 1))


def _pool_lesson(pool_size, keras_pool: Callable, *, strides=None, padding="valid") -> Runner:
    """A runner for a Keras pooling cell on the book's 4x4 input.

    ``keras_pool(tf, X)`` runs the book's Keras code on its int32 X; the
    playground's float32 result is reshaped to the book's (1, h, w, 1).
    """

    def run(expected, use_tensorflow: bool) -> LessonResult:
        out = conv.pool2d(_x16(), pool_size, strides=strides, padding=padding, mode="max")
        value = out.reshape(1, *out.shape, 1)
        if not use_tensorflow:
            return _array_result(value, expected)
        keras_value = np.asarray(keras_pool(_tf(), _keras_x16(_tf())))
        return _array_result(
            value,
            expected,
            also=(
                "; so must the book's Keras code, run on Keras 3",
                _matches(keras_value, expected),
            ),
            detail=f"The book's Keras code on Keras 3 gives:\n{_show(keras_value)}",
        )

    return run


TWO_CHANNELS = ((10, 11), (14, 15)), ((11, 12), (15, 16))  # pooled X and X + 1, by channel


def _run_pool_channels(expected, use_tensorflow: bool) -> LessonResult:
    x4 = _x16().reshape(1, 4, 4, 1)
    # the book's cell in numpy: stack on a new axis 3, then reshape (both C order, as TF)
    mixed = np.stack([x4, x4 + 1], axis=3).reshape(2, 4, 4, 1)
    value = np.stack([conv.pool2d(item, 3, strides=2, padding="same") for item in mixed])
    channels = conv.pool2d(np.concatenate([x4, x4 + 1], axis=3)[0], 3, strides=2, padding="same")
    channels = np.moveaxis(channels, -1, 0)
    passed = _matches(value, expected) and _matches(channels, TWO_CHANNELS)
    detail = (
        "The working form, tf.concat([X, X+1], axis=3), pools two real channels:\n"
        f"{_show(channels)}"
    )
    check = (
        f"As printed, the result has the book's shape {np.shape(expected)} and numbers "
        f"{_describe(np.asarray(expected)[:, :, :, 0])} exactly; pooling the two channels "
        f"gives {_describe(TWO_CHANNELS)}"
    )
    if use_tensorflow:
        tf = _tf()
        X = _keras_x16(tf)
        pool = tf.keras.layers.MaxPool2D(3, padding="same", strides=2)
        as_printed = np.asarray(pool(tf.reshape(tf.stack([X, X + 1], axis=3), (2, 4, 4, 1))))
        working = np.moveaxis(np.asarray(pool(tf.concat([X, X + 1], axis=3)))[0], -1, 0)
        passed = passed and _matches(as_printed, expected) and _matches(working, TWO_CHANNELS)
        check += "; Keras 3 gives the same for both forms"
    return LessonResult(
        value=value,
        shown=f"{mixed.shape}\n\n{_show(value)}",
        expected=expected,
        passed=passed,
        check=check + ".",
        detail=detail,
    )


# ---- the lessons, in the book's order ---------------------------------------------


def _lesson(key: str, run: Runner, **flags) -> Lesson:
    cell = CELLS[key]
    return Lesson(
        key=key, run=run, **flags, **{f.name: getattr(cell, f.name) for f in fields(cell)}
    )


_TF = {"needs_tensorflow": True}
_KERAS = {"keras_cross_check": True}

LESSONS: tuple[Lesson, ...] = (
    _lesson("corr2d", _computed(lambda: conv.corr2d(_x3(), _k2()))),
    _lesson("corr2d_tf", _run_corr2d_tf, **_TF),
    _lesson("conv2d_layer", _run_conv2d_layer, **_TF),
    _lesson("edge_image", _computed(_bars)),
    _lesson("edge_kernel", _run_edge_kernel),
    _lesson("edge_detect", _computed(lambda: conv.corr2d(_bars(), EDGE_KERNEL))),
    _lesson("edge_transposed", _run_edge_transposed),
    _lesson("reshape_4d", _run_reshape_4d),
    _lesson("learn_kernel", _run_learn_kernel, **_TF),
    _lesson("learned_weights", _run_learned_weights, **_TF),
    _lesson("padding_same", _shape_lesson((8, 8), 3, padding="same"), **_KERAS),
    _lesson("stride_2", _shape_lesson((8, 8), 3, padding="same", strides=2), **_KERAS),
    _lesson("stride_3_4", _shape_lesson((8, 8), (3, 5), strides=(3, 4)), **_KERAS),
    _lesson(
        "padding_explicit",
        _shape_lesson(
            (8, 8),
            (3, 5),
            strides=(3, 4),
            padding=(0, 1),
            keras_input_hw=(8, 10),
            keras_how=" on X padded by tf.pad to (8, 10), with 'valid'",
        ),
        **_KERAS,
    ),
    _lesson("multi_in", _computed(_multi_in)),
    _lesson("multi_in_out", _computed(_multi_in_out)),
    _lesson("conv_1x1", _run_conv_1x1),
    _lesson("pool2d_max", _computed(lambda: conv.pool2d(_x3(), 2, strides=1))),
    _lesson("pool2d_avg", _computed(lambda: conv.pool2d(_x3(), 2, strides=1, mode="avg"))),
    _lesson(
        "maxpool_default",
        _pool_lesson(3, lambda tf, X: tf.keras.layers.MaxPool2D(pool_size=[3, 3])(X)),
        **_KERAS,
    ),
    _lesson(
        "maxpool_same_stride2",
        _pool_lesson(
            3,
            lambda tf, X: tf.keras.layers.MaxPool2D(pool_size=[3, 3], padding="same", strides=2)(X),
            strides=2,
            padding="same",
        ),
        **_KERAS,
    ),
    _lesson(
        "maxpool_2x3",
        _pool_lesson(
            (2, 3),
            lambda tf, X: tf.keras.layers.MaxPool2D(
                pool_size=[2, 3], padding="valid", strides=(2, 3)
            )(tf.pad(X, [[0, 0], [0, 0], [1, 1], [0, 0]])),
            strides=(2, 3),
            padding="same",
        ),
        **_KERAS,
    ),
    _lesson("pool_channels", _run_pool_channels, **_KERAS),
)

_BY_KEY = {lesson.key: lesson for lesson in LESSONS}


def get_lesson(key: str) -> Lesson:
    """The lesson with this key; ValueError naming the known keys otherwise."""
    try:
        return _BY_KEY[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"key must be one of the lesson keys ({', '.join(_BY_KEY)}); got {key!r}."
        ) from None


def run_lesson(key: str, *, include_tensorflow: bool = True) -> LessonResult:
    """Run one lesson by key and compare its result with the book.

    Parameters
    ----------
    key : str
        A lesson's ``key``, e.g. "corr2d" or "learn_kernel".
    include_tensorflow : bool
        Allow TensorFlow (imported on first use, ~5 s). Required by lessons
        with ``needs_tensorflow`` (ValueError otherwise); adds the Keras
        cross-check to lessons with ``keras_cross_check``.

    Returns
    -------
    LessonResult
    """
    return get_lesson(key).execute(include_tensorflow=include_tensorflow)


def run_all(include_tensorflow: bool = True) -> dict[str, LessonResult]:
    """Run every lesson in order; without TensorFlow, skip those that need it.

    Returns
    -------
    dict[str, LessonResult]
        Keyed by lesson key, in the book's order.

    Examples
    --------
    >>> results = run_all(include_tensorflow=False)
    >>> all(result.passed for result in results.values())
    True
    """
    return {
        lesson.key: lesson.execute(include_tensorflow=include_tensorflow)
        for lesson in LESSONS
        if include_tensorflow or not lesson.needs_tensorflow
    }


__all__ = [
    "KERAS3_WATCH_ERROR",
    "LESSONS",
    "Lesson",
    "LessonResult",
    "get_lesson",
    "run_all",
    "run_lesson",
]
