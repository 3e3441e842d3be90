"""Tests for playground.conv: the book's numbers, TensorFlow/Keras as oracles, every error."""

from __future__ import annotations

import re
import tracemalloc
from unittest import mock

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from playground import planes
from playground.conv import conv2d, corr2d, pad2d
from playground.pooling import pool2d
from playground.shapes import output_shape, padding_amounts
from playground.validation import as_float_array

# TensorFlow is a hard dependency and the oracle here, so it is imported at
# module level (once per test process, ~5 s) rather than skipped when absent.

RTOL, ATOL = 1e-5, 1e-4

X33 = np.arange(9, dtype=np.float32).reshape(3, 3)
K22 = np.array([[0, 1], [2, 3]], dtype=np.float32)


def bars_image() -> np.ndarray:
    """The book's 6x8 image: ones with a black band in columns 2..5."""
    X = np.ones((6, 8), dtype=np.float32)
    X[:, 2:6] = 0
    return X


# ---------------------------------------------------------------- the book's numbers


def test_corr2d_book_example():
    """corr2d of the book's 3x3 input and 2x2 kernel is [[19, 25], [37, 43]]."""
    assert_array_equal(corr2d(X33, K22), [[19, 25], [37, 43]])


def test_conv2d_book_example():
    """conv2d gives the same [[19, 25], [37, 43]] as the book's loop."""
    assert_array_equal(conv2d(X33, K22), [[19, 25], [37, 43]])


def test_corr2d_returns_float32():
    """corr2d returns float32 even for integer lists, like the book's tf.Variable."""
    assert corr2d([[1, 2], [3, 4]], [[1]]).dtype == np.float32


@pytest.mark.parametrize("fn", [corr2d, conv2d], ids=["corr2d", "conv2d"])
def test_book_edge_detection(fn):
    """[[1, -1]] on the bars image marks 1 at column 1, -1 at column 5, 0 elsewhere."""
    Y = fn(bars_image(), [[1, -1]])
    expected = np.zeros((6, 7), dtype=np.float32)
    expected[:, 1] = 1
    expected[:, 5] = -1
    assert Y.shape == (6, 7)
    assert_array_equal(Y, expected)


@pytest.mark.parametrize("fn", [corr2d, conv2d], ids=["corr2d", "conv2d"])
def test_book_transposed_edge_kernel_sees_nothing(fn):
    """The transposed kernel [[1], [-1]] finds no horizontal edge in the bars: all zeros."""
    Y = fn(bars_image(), [[1], [-1]])
    assert Y.shape == (5, 8)
    assert_array_equal(Y, np.zeros((5, 8)))


@pytest.mark.parametrize(
    ("kernel", "kwargs", "expected"),
    [
        ((3, 3), {"padding": "same"}, (8, 8)),
        ((3, 3), {"padding": "same", "strides": 2}, (4, 4)),
        ((3, 5), {"padding": "valid", "strides": (3, 4)}, (2, 1)),
        ((3, 5), {"padding": (0, 1), "strides": (3, 4)}, (2, 2)),
    ],
    ids=["k3-same", "k3-same-s2", "k35-valid-s34", "k35-pad01-s34"],
)
def test_book_layer_shapes_from_conv2d(kernel, kwargs, expected):
    """conv2d on an 8x8 input has the output shapes of the book's layers."""
    x = np.random.default_rng(0).random((8, 8), dtype=np.float32)
    assert conv2d(x, np.ones(kernel), **kwargs).shape == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kernel", "kwargs", "expected"),
    [
        (3, {"padding": "same"}, (8, 8)),
        (3, {"padding": "same", "strides": 2}, (4, 4)),
        ((3, 5), {"padding": "valid", "strides": (3, 4)}, (2, 1)),
    ],
    ids=["k3-same", "k3-same-s2", "k35-valid-s34"],
)
def test_book_layer_shapes_match_keras(kernel, kwargs, expected):
    """The book's three Keras layers give the same shapes as output_shape."""
    layer = keras.layers.Conv2D(1, kernel, **kwargs)
    out = layer(tf.random.uniform((1, 8, 8, 1)))
    assert tuple(out.shape[1:3]) == expected
    assert output_shape((8, 8), layer.kernel_size, **kwargs) == expected


def two_channel_example():
    """The book's 5.3 example in channels-last layout: x (3, 3, 2), K (2, 2, 2)."""
    X = np.stack([X33, X33 + 1])  # (C_in, H, W) as printed in the book
    K = np.stack([K22, K22 + 1])  # (C_in, kh, kw)
    return X.transpose(1, 2, 0), K


def test_multi_input_channels_book_example():
    """Two input channels summed: the book's [[56, 72], [104, 120]]."""
    x, K = two_channel_example()
    kernel = K.transpose(1, 2, 0)[:, :, :, None]  # (kh, kw, C_in, 1)
    Y = conv2d(x, kernel)
    assert Y.shape == (2, 2, 1)
    assert_array_equal(Y[:, :, 0], [[56, 72], [104, 120]])


def test_multi_output_channels_book_example():
    """Stacking K, K+1, K+2 gives three output channels with the book's values."""
    x, K = two_channel_example()
    stacked = np.stack([K, K + 1, K + 2])  # (C_out, C_in, kh, kw)
    Y = conv2d(x, stacked.transpose(2, 3, 1, 0))
    assert Y.shape == (2, 2, 3)
    assert_array_equal(Y[:, :, 0], [[56, 72], [104, 120]])
    assert_array_equal(Y[:, :, 1], [[76, 100], [148, 172]])
    assert_array_equal(Y[:, :, 2], [[96, 128], [192, 224]])


def test_one_by_one_conv_is_matmul_over_channels():
    """A 1x1 convolution is a matrix product over the channel axis at every pixel."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4, 3)).astype(np.float32)
    kernel = rng.standard_normal((1, 1, 3, 2)).astype(np.float32)
    assert_allclose(conv2d(x, kernel), x @ kernel[0, 0], rtol=RTOL, atol=ATOL)


# ---------------------------------------------------------------- pooling (book 5.4)


def test_max_pool_book_example():
    """2x2 max pooling with stride 1 of the 3x3 example gives [[4, 5], [7, 8]]."""
    assert_array_equal(pool2d(X33, 2, strides=1), [[4, 5], [7, 8]])


def test_avg_pool_book_example():
    """2x2 average pooling with stride 1 of the 3x3 example gives [[2, 3], [5, 6]]."""
    assert_array_equal(pool2d(X33, 2, strides=1, mode="avg"), [[2, 3], [5, 6]])


X16 = np.arange(16, dtype=np.float32).reshape(4, 4)


def test_max_pool_default_strides_equal_pool_size():
    """A 3x3 max pool with default strides (= pool size, as Keras) on arange(16) is [[10]]."""
    assert_array_equal(pool2d(X16, (3, 3)), [[10]])


def test_max_pool_same_stride_two():
    """A 3x3 'same' max pool with stride 2 on arange(16) is [[10, 11], [14, 15]]."""
    assert_array_equal(pool2d(X16, (3, 3), strides=2, padding="same"), [[10, 11], [14, 15]])


def test_max_pool_non_square_same():
    """A (2, 3) 'same' max pool with strides (2, 3) on arange(16) is [[5, 7], [13, 15]]."""
    assert_array_equal(pool2d(X16, (2, 3), strides=(2, 3), padding="same"), [[5, 7], [13, 15]])


def test_pool_channels_independent():
    """Pooling the two-channel stack (X, X + 1) pools each channel alone: second is +1."""
    Y = pool2d(np.stack([X16, X16 + 1], axis=-1), (3, 3), strides=2, padding="same")
    assert Y.shape == (2, 2, 2)
    assert_array_equal(Y[:, :, 0], [[10, 11], [14, 15]])
    assert_array_equal(Y[:, :, 1], Y[:, :, 0] + 1)


def test_avg_pool_same_ignores_padding():
    """'same' average pooling leaves padded cells out of the mean, as TensorFlow does."""
    assert_array_equal(
        pool2d([[2.0, 4.0]], (1, 2), strides=1, padding="same", mode="avg"), [[3, 4]]
    )


# ---------------------------------------------------------------- pad2d and other pieces


def test_pad2d_same_puts_extra_row_bottom_right():
    """pad2d with an even kernel and 'same' puts the odd extra row/column bottom/right."""
    padded = pad2d([[1.0]], (2, 2), padding="same")
    assert_array_equal(padded, [[1, 0], [0, 0]])


def test_pad2d_keeps_channels_unpadded():
    """pad2d pads only the two spatial axes of a (H, W, C) input."""
    assert pad2d(np.ones((2, 3, 4)), (3, 3), padding=1).shape == (4, 5, 4)


def test_pad2d_fill_value():
    """pad2d fills the added cells with `value`."""
    assert_array_equal(pad2d([[1.0]], (1, 1), padding=1, value=-1)[0], [-1, -1, -1])


def test_conv2d_does_not_modify_inputs():
    """conv2d leaves its arguments untouched (float32 inputs are not copied on entry)."""
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    k = np.ones((2, 2), np.float32)
    before = x.copy(), k.copy()
    conv2d(x, k, padding="same", bias=1.0, flip=True)
    assert_array_equal(x, before[0])
    assert_array_equal(k, before[1])


def test_conv2d_output_is_float32_and_writable():
    """conv2d returns a writable float32 array for every input dtype."""
    Y = conv2d(np.arange(16, dtype=np.int64).reshape(4, 4), np.ones((2, 2), np.float64))
    assert Y.dtype == np.float32
    assert Y.flags.writeable


def test_conv2d_scalar_bias_added_to_every_channel():
    """A scalar bias is added to every output channel."""
    Y = conv2d(np.zeros((3, 3, 1)), np.zeros((2, 2, 1, 2)), bias=1.5)
    assert_array_equal(Y, np.full((2, 2, 2), 1.5))


def test_conv2d_bias_per_channel():
    """A bias list gives each output channel its own offset."""
    Y = conv2d(np.zeros((3, 3, 1)), np.zeros((2, 2, 1, 2)), bias=[1, -2])
    assert_array_equal(Y[0, 0], [1, -2])


def test_conv2d_flip_is_true_convolution():
    """flip=True flips the kernel in both directions: a mathematical convolution."""
    k = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert_array_equal(conv2d(X33, k, flip=True), conv2d(X33, k[::-1, ::-1]))


def test_conv2d_full_padding_shape():
    """'full' padding gives n + k - 1 outputs per axis."""
    assert conv2d(np.ones((3, 4)), np.ones((2, 3)), padding="full").shape == (4, 6)


def test_conv2d_full_padding_corner_sees_one_cell():
    """The first 'full' output overlaps the input by one cell: x[0, 0] times k[-1, -1]."""
    k = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert conv2d(X33 + 1, k, padding="full")[0, 0] == 4.0


def test_conv2d_dilation_spreads_taps():
    """Dilation 2 of [[1, 1]] sums x[i, j] and x[i, j + 2]."""
    assert_array_equal(conv2d([[1, 2, 3, 4]], [[1, 1]], dilation_rate=2), [[4, 6]])


def test_conv2d_strides_keep_every_sth_cell():
    """Strides keep every s-th row and column of the stride-1 map."""
    x = np.random.default_rng(2).random((9, 10), dtype=np.float32)
    k = np.random.default_rng(3).random((3, 2), dtype=np.float32)
    assert_array_equal(conv2d(x, k, strides=(2, 3)), conv2d(x, k)[::2, ::3])


def test_as_float_array_keeps_float32_as_is():
    """as_float_array does not copy an array that is already a finite float32."""
    a = np.ones((2, 2), np.float32)
    assert as_float_array(a, "x", ndims=(2,)) is a


# ---------------------------------------------------------------- errors

ONES44 = np.ones((4, 4), np.float32)
ONES22 = np.ones((2, 2), np.float32)
PADDING_RULE = "padding must be 'valid', 'same', 'full', an int p"


@pytest.mark.parametrize(
    ("value", "exc", "match"),
    [
        (0, ValueError, "strides must be at least 1 in each direction; got 0."),
        (-1, ValueError, "strides must be at least 1 in each direction; got -1."),
        ((1, 0), ValueError, "strides must be at least 1 in each direction; got (1, 0)."),
        (1.5, TypeError, "strides must be an int or a pair of ints (height, width); got 1.5."),
        (True, TypeError, "strides must be an int or a pair of ints (height, width); got True."),
        ("2", TypeError, "strides must be an int or a pair of ints (height, width); got '2'."),
        (
            (1, 2, 3),
            TypeError,
            "strides must be an int or a pair of ints (height, width); got (1, 2, 3).",
        ),
        (None, TypeError, "strides must be an int or a pair of ints (height, width); got None."),
    ],
    ids=["zero", "negative", "pair-zero", "float", "bool", "str", "triple", "none"],
)
def test_conv2d_rejects_bad_strides(value, exc, match):
    """Invalid strides raise with the argument's name, the rule and the value."""
    with pytest.raises(exc, match=re.escape(match)):
        conv2d(ONES44, ONES22, strides=value)


@pytest.mark.parametrize(
    ("value", "exc", "match"),
    [
        (0, ValueError, "dilation_rate must be at least 1 in each direction; got 0."),
        (-2, ValueError, "dilation_rate must be at least 1 in each direction; got -2."),
        (
            2.0,
            TypeError,
            "dilation_rate must be an int or a pair of ints (height, width); got 2.0.",
        ),
        (
            False,
            TypeError,
            "dilation_rate must be an int or a pair of ints (height, width); got False.",
        ),
    ],
    ids=["zero", "negative", "float", "bool"],
)
def test_conv2d_rejects_bad_dilation(value, exc, match):
    """Invalid dilation_rate raises with the argument's name and the value."""
    with pytest.raises(exc, match=re.escape(match)):
        conv2d(ONES44, ONES22, dilation_rate=value)


@pytest.mark.parametrize(
    "value",
    [
        -1,
        (1, -1),
        ((0, 1), (-1, 0)),
        "half",
        "",
        None,
        1.5,
        True,
        (1, 2, 3),
        ((1, 2, 3), (1, 1)),
        ((1, 1),),
        [[1, 1], [1]],
        ("same", "same"),
    ],
    ids=[
        "negative",
        "pair-negative",
        "nested-negative",
        "half",
        "empty-str",
        "none",
        "float",
        "bool",
        "triple",
        "nested-triple",
        "one-side",
        "ragged",
        "str-pair",
    ],
)
def test_conv2d_rejects_bad_padding(value):
    """Invalid padding raises ValueError listing the allowed forms and echoing the value."""
    with pytest.raises(ValueError, match=re.escape(PADDING_RULE)) as info:
        conv2d(ONES44, ONES22, padding=value)
    assert str(info.value).endswith(f"got {value!r}.")


def test_conv2d_padding_mode_is_case_insensitive():
    """padding='SAME' works as 'same' (TensorFlow spells it in capitals)."""
    assert_array_equal(
        conv2d(ONES44, ONES22, padding="SAME"), conv2d(ONES44, ONES22, padding="same")
    )


def test_conv2d_kernel_larger_than_input_suggests_same():
    """A kernel larger than the padded input names both shapes and suggests padding='same'."""
    with pytest.raises(
        ValueError, match=r"Kernel \(5, 5\) is larger than the padded input \(3, 3\)"
    ) as info:
        conv2d(np.ones((3, 3)), np.ones((5, 5)))
    assert "padding='same'" in str(info.value)


def test_conv2d_dilated_kernel_larger_than_input_names_extent():
    """A dilated kernel too large for the input names its dilated extent."""
    with pytest.raises(
        ValueError, match=re.escape("Kernel (2, 2) dilated by (3, 3) spans (4, 4) and is larger")
    ):
        conv2d(np.ones((3, 3)), ONES22, dilation_rate=3)


def test_corr2d_kernel_larger_than_input():
    """corr2d with K larger than X says so with both shapes."""
    with pytest.raises(
        ValueError,
        match=re.escape("Kernel K of shape (3, 3) is larger than the input X of shape (2, 2)"),
    ):
        corr2d(ONES22, np.ones((3, 3)))


@pytest.mark.parametrize(
    ("x", "kernel", "match"),
    [
        (np.ones(4), ONES22, "x must have 2 or 3 dimensions; got shape (4,) (1 dimensions)."),
        (np.ones((2, 2, 2, 2)), ONES22, "x must have 2 or 3 dimensions; got shape (2, 2, 2, 2)"),
        (5.0, ONES22, "x must have 2 or 3 dimensions; got shape ()"),
        (
            ONES44,
            np.ones((2, 2, 1)),
            "kernel must have 2 or 4 dimensions; got shape (2, 2, 1) (3 dimensions).",
        ),
        (ONES44, np.ones(2), "kernel must have 2 or 4 dimensions; got shape (2,)"),
    ],
    ids=["x-1d", "x-4d", "x-scalar", "kernel-3d", "kernel-1d"],
)
def test_conv2d_rejects_wrong_ranks(x, kernel, match):
    """Wrong ranks of x or kernel name the argument, the allowed ranks and the shape."""
    with pytest.raises(ValueError, match=re.escape(match)):
        conv2d(x, kernel)


def test_corr2d_rejects_3d_input():
    """corr2d is the book's 2D loop: a 3D X is refused with its shape."""
    with pytest.raises(
        ValueError, match=re.escape("X must have 2 dimensions; got shape (2, 2, 1)")
    ):
        corr2d(np.ones((2, 2, 1)), [[1]])


def test_conv2d_rejects_channel_mismatch():
    """A 4D kernel whose input-channel axis differs from x's channels is refused."""
    with pytest.raises(
        ValueError,
        match=re.escape("kernel of shape (2, 2, 3, 1) expects 3 input channels, but x has 2"),
    ):
        conv2d(np.ones((4, 4, 2)), np.ones((2, 2, 3, 1)))


def test_conv2d_rejects_2d_kernel_for_multichannel_input():
    """A 2D kernel on a multi-channel x asks for a (kh, kw, C_in, C_out) kernel."""
    with pytest.raises(ValueError, match=re.escape("Give a kernel of shape (kh, kw, 2, C_out)")):
        conv2d(np.ones((4, 4, 2)), ONES22)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_conv2d_rejects_non_finite_kernel(bad):
    """NaN or infinity in the kernel is refused, naming the kernel."""
    with pytest.raises(ValueError, match="kernel contains NaN or infinite values"):
        conv2d(ONES44, [[1.0, bad]])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_conv2d_rejects_non_finite_input(bad):
    """NaN or infinity in x is refused, naming x."""
    x = ONES44.copy()
    x[1, 2] = bad
    with pytest.raises(ValueError, match="x contains NaN or infinite values"):
        conv2d(x, ONES22)


def test_conv2d_rejects_values_too_large_for_float32():
    """A finite float64 beyond float32's range is refused without an overflow warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from the cast would be a leak
        with pytest.raises(ValueError, match=r"x has values too large for float32"):
            conv2d([[1e300, 1.0]], [[1.0]])


@pytest.mark.parametrize(
    ("x", "exc", "match"),
    [
        ([["a", "b"]], TypeError, "x must hold real numbers; got values of type <U1."),
        ([[1, None]], TypeError, "x must hold real numbers; got values of type object."),
        (np.ones((2, 2), bool), TypeError, "x must hold real numbers; got values of type bool."),
        (
            np.ones((2, 2), complex),
            TypeError,
            "x must hold real numbers; got values of type complex128.",
        ),
        (
            [[1, 2], [3]],
            ValueError,
            "x must be a rectangular array of numbers; rows of different lengths",
        ),
        ([[[1], [2]], [[3]]], ValueError, "x must be a rectangular array of numbers"),
        (np.ones((0, 4)), ValueError, "x must not be empty; got shape (0, 4)."),
        ([[]], ValueError, "x must not be empty; got shape (1, 0)."),
    ],
    ids=["str", "none", "bool", "complex", "ragged", "ragged-3d", "empty", "empty-list"],
)
def test_conv2d_rejects_bad_input_values(x, exc, match):
    """Non-numeric, ragged and empty inputs are refused with a message naming x."""
    with pytest.raises(exc, match=re.escape(match)):
        conv2d(x, [[1.0]])


@pytest.mark.parametrize(
    ("kernel", "exc", "match"),
    [
        ([["1"]], TypeError, "kernel must hold real numbers"),
        ([[1, 2], [3]], ValueError, "kernel must be a rectangular array of numbers"),
        (np.ones((0, 0)), ValueError, "kernel must not be empty; got shape (0, 0)."),
    ],
    ids=["str", "ragged", "empty"],
)
def test_conv2d_rejects_bad_kernel_values(kernel, exc, match):
    """Non-numeric, ragged and empty kernels are refused with a message naming the kernel."""
    with pytest.raises(exc, match=re.escape(match)):
        conv2d(ONES44, kernel)


@pytest.mark.parametrize(
    ("bias", "exc", "match"),
    [
        (
            [1, 2],
            ValueError,
            "bias must be one number or 3 (one per output channel); got 2 values.",
        ),
        (
            [1, 2, 3, 4],
            ValueError,
            "bias must be one number or 3 (one per output channel); got 4 values.",
        ),
        ([], ValueError, "bias must be one number or 3 (one per output channel); got 0 values."),
        ("x", TypeError, "bias must be a number or one number per output channel; got 'x'."),
        (None, TypeError, "bias must be a number or one number per output channel; got None."),
        (np.nan, ValueError, "bias must be finite; got nan."),
    ],
    ids=["two", "four", "empty", "str", "none", "nan"],
)
def test_conv2d_rejects_bad_bias(bias, exc, match):
    """A bias of the wrong count or type is refused, echoing the value or the count."""
    with pytest.raises(exc, match=re.escape(match)):
        conv2d(np.ones((4, 4, 1)), np.ones((2, 2, 1, 3)), bias=bias)


def test_conv2d_rejects_non_bool_flip():
    """flip must be a real bool: flip=1 is refused."""
    with pytest.raises(TypeError, match=re.escape("flip must be True or False; got 1.")):
        conv2d(ONES44, ONES22, flip=1)


def test_pool2d_rejects_unknown_mode():
    """pool2d names the allowed modes and echoes the one received."""
    with pytest.raises(ValueError, match=re.escape("mode must be 'max' or 'avg'; got 'min'.")):
        pool2d(ONES44, 2, mode="min")


def test_pool2d_rejects_full_padding():
    """'full' padding is refused for pooling with the modes that work."""
    with pytest.raises(ValueError, match=re.escape("padding='full' is not defined for pooling")):
        pool2d(ONES44, 2, padding="full")


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"pool_size": 0}, ValueError, "pool_size must be at least 1 in each direction; got 0."),
        (
            {"pool_size": 2.5},
            TypeError,
            "pool_size must be an int or a pair of ints (height, width); got 2.5.",
        ),
        (
            {"pool_size": 2, "strides": 0},
            ValueError,
            "strides must be at least 1 in each direction; got 0.",
        ),
        ({"pool_size": 2, "padding": "half"}, ValueError, PADDING_RULE),
    ],
    ids=["size-zero", "size-float", "strides-zero", "padding-half"],
)
def test_pool2d_rejects_bad_geometry(kwargs, exc, match):
    """pool2d's pool_size, strides and padding are validated with named messages."""
    with pytest.raises(exc, match=re.escape(match)):
        pool2d(ONES44, **kwargs)


def test_pool2d_window_larger_than_input():
    """A pool window larger than the input suggests padding='same'."""
    with pytest.raises(ValueError, match=r"larger than the padded input \(2, 2\).*padding='same'"):
        pool2d(ONES22, 3)


def test_pad2d_rejects_non_numeric_fill_value():
    """pad2d's fill value must be a number; the message names `value`."""
    with pytest.raises(TypeError, match=re.escape("value must be a real number; got 'a'.")):
        pad2d(ONES22, (3, 3), padding="same", value="a")


# ---------------------------------------------------------------- properties


def _rand(seed: int, shape) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@st.composite
def conv_cases(draw, keras_paddings: bool = False):
    """Random shapes and settings with a non-empty output.

    Strides > 1 and dilation > 1 are never drawn together: TensorFlow's CPU
    kernels (and so Keras) refuse that combination.
    """
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    side = st.integers(0, 3)
    if keras_paddings:
        padding = draw(st.sampled_from(["valid", "same"]))
    else:
        padding = draw(
            st.one_of(
                st.sampled_from(["valid", "same", "full"]),
                side,
                st.tuples(side, side),
                st.tuples(st.tuples(side, side), st.tuples(side, side)),
            )
        )
    pair = st.tuples(st.integers(1, 3), st.integers(1, 3))
    if draw(st.booleans()):
        strides, dilation = draw(pair), (1, 1)
    else:
        strides, dilation = (1, 1), draw(pair)
    try:
        output_shape((h, w), (kh, kw), strides=strides, padding=padding, dilation_rate=dilation)
    except ValueError:
        reject()  # the output would be empty; that path has its own tests
    seed = draw(st.integers(0, 2**32 - 1))
    flat = c_in == 1 and c_out == 1 and draw(st.booleans())
    return {
        "x": _rand(seed, (h, w) if flat else (h, w, c_in)),
        "kernel": _rand(seed + 1, (kh, kw) if flat else (kh, kw, c_in, c_out)),
        "bias": _rand(seed + 2, (c_out,)) if draw(st.booleans()) else np.zeros(c_out, np.float32),
        "strides": strides,
        "padding": padding,
        "dilation": dilation,
        "flip": draw(st.booleans()),
    }


def _as4(case):
    """x as (1, H, W, C_in) and the (possibly flipped) kernel as (kh, kw, C_in, C_out)."""
    x, k = case["x"], case["kernel"]
    x4 = (x if x.ndim == 3 else x[:, :, None])[None]
    k4 = k if k.ndim == 4 else k[:, :, None, None]
    if case["flip"]:
        k4 = k4[::-1, ::-1]
    return x4, np.ascontiguousarray(k4)


def _ours(case):
    out = conv2d(
        case["x"],
        case["kernel"],
        strides=case["strides"],
        padding=case["padding"],
        dilation_rate=case["dilation"],
        bias=case["bias"],
        flip=case["flip"],
    )
    return out if out.ndim == 3 else out[:, :, None]


def _tf_expected(case):
    """tf.nn.conv2d with the same settings, padding given as explicit amounts, plus the bias."""
    x4, k4 = _as4(case)
    (top, bottom), (left, right) = padding_amounts(
        x4.shape[1:3],
        k4.shape[:2],
        strides=case["strides"],
        padding=case["padding"],
        dilation_rate=case["dilation"],
    )
    return (
        tf.nn.conv2d(
            x4,
            k4,
            strides=case["strides"],
            padding=[[0, 0], [top, bottom], [left, right], [0, 0]],
            dilations=case["dilation"],
        ).numpy()[0]
        + case["bias"]
    )


@pytest.mark.slow
@settings(max_examples=150)
@given(conv_cases())
def test_conv2d_matches_tf_nn_conv2d(case):
    """conv2d equals tf.nn.conv2d with explicit paddings for every setting."""
    assert_allclose(_ours(case), _tf_expected(case), rtol=RTOL, atol=ATOL)


@pytest.mark.slow
@settings(max_examples=150)
@given(conv_cases(), st.sampled_from([1, 64, 300]))
def test_conv2d_matches_tf_nn_conv2d_strip_by_strip(case, strip_bytes):
    """With strips of a few rows (as a 1024-px image gets), every strip's edges are right.

    Small inputs fit one strip; shrinking the strip budget sends the same
    random cases through many strips, strips that see only padding, and the
    edge bands of the one-channel path.
    """
    with mock.patch.object(planes, "STRIP_BYTES", strip_bytes):
        ours = _ours(case)
    assert_allclose(ours, _tf_expected(case), rtol=RTOL, atol=ATOL)


PADDINGS = ["valid", "same", "full", ((1, 2), (3, 0)), ((0, 9), (8, 1)), 2]


@pytest.mark.slow
@pytest.mark.parametrize("padding", PADDINGS, ids=str)
@pytest.mark.parametrize(
    ("x_shape", "k_shape", "strides", "dilation"),
    [
        ((300, 1100), (3, 3), (1, 1), (1, 1)),
        ((300, 1100), (7, 7), (1, 1), (1, 1)),
        ((257, 300), (2, 5), (1, 1), (1, 1)),
        ((300, 1100), (3, 3), (2, 3), (1, 1)),
        ((140, 1030), (3, 2), (1, 1), (2, 3)),
        ((90, 130, 3), (3, 3, 3, 2), (1, 1), (1, 1)),
        ((90, 130, 2), (5, 4, 2, 3), (3, 2), (1, 1)),
    ],
)
def test_conv2d_every_padding_matches_tf_on_larger_inputs(
    padding, x_shape, k_shape, strides, dilation
):
    """Every padding mode at sizes that take several strips, against tf.nn.conv2d."""
    case = {
        "x": _rand(7, x_shape),
        "kernel": _rand(8, k_shape),
        "bias": np.zeros(1 if len(k_shape) == 2 else k_shape[3], np.float32),
        "strides": strides,
        "padding": padding,
        "dilation": dilation,
        "flip": False,
    }
    ours = _ours(case)
    assert_allclose(ours, _tf_expected(case), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("padding", PADDINGS, ids=str)
@pytest.mark.parametrize(("kh", "kw"), [(3, 3), (7, 7), (1, 4), (6, 2)])
def test_conv2d_every_padding_equals_corr2d_of_padded_input(padding, kh, kw):
    """conv2d(x, k, padding=p) is the book's loop on pad2d(x, p): a second oracle, no TensorFlow."""
    x, k = _rand(11, (23, 41)), _rand(12, (kh, kw))
    expected = corr2d(pad2d(x, (kh, kw), padding=padding), k)
    assert_allclose(conv2d(x, k, padding=padding), expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("padding", PADDINGS, ids=str)
def test_conv2d_kernel_larger_than_input(padding):
    """A 9x9 kernel on a 4x5 input: 'same' and 'full' outputs are mostly edge cells."""
    x, k = _rand(13, (4, 5)), _rand(14, (9, 9))
    try:
        padded = pad2d(x, (9, 9), padding=padding)
    except ValueError:
        return
    if padded.shape[0] < 9 or padded.shape[1] < 9:
        with pytest.raises(ValueError, match="larger than the padded input"):
            conv2d(x, k, padding=padding)
        return
    assert_allclose(conv2d(x, k, padding=padding), corr2d(padded, k), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("padding", PADDINGS, ids=str)
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda a: a.T.copy().T, id="transposed-view"),
        pytest.param(lambda a: np.repeat(a, 2, axis=1)[:, ::2], id="strided-columns"),
        pytest.param(lambda a: a[::-1][::-1], id="negative-strides"),
        pytest.param(lambda a: a.astype(np.float64), id="float64"),
        pytest.param(lambda a: np.round(a * 10).astype(np.int64), id="int64"),
        pytest.param(lambda a: np.round(np.abs(a) * 40).astype(np.uint8), id="uint8"),
    ],
)
def test_conv2d_any_input_layout_and_dtype(padding, make):
    """Non-contiguous, float64 and integer inputs give what their float32 copy gives."""
    base = _rand(15, (37, 53))
    x = make(base)
    k = _rand(16, (3, 4))
    before = x.copy()
    ours = conv2d(x, k, padding=padding, bias=0.5)
    expected = conv2d(np.ascontiguousarray(x, dtype=np.float32), k, padding=padding, bias=0.5)
    assert_allclose(ours, expected, rtol=RTOL, atol=ATOL)
    assert_array_equal(x, before)  # the input is not modified
    assert x.dtype == before.dtype


@pytest.mark.parametrize("padding", PADDINGS, ids=str)
@pytest.mark.parametrize(
    ("x_shape", "k_shape", "strides"),
    [
        ((50, 60), (3, 3), 1),
        ((50, 60), (3, 3), (2, 3)),
        ((50, 60, 3), (3, 3, 3, 1), 1),
        ((50, 60, 2), (3, 3, 2, 4), 2),
    ],
)
def test_conv2d_output_is_fresh_contiguous_float32(padding, x_shape, k_shape, strides):
    """The output is a C-contiguous writable float32 array, never a view of the input."""
    x, k = _rand(17, x_shape), _rand(18, k_shape)
    before = x.copy()
    Y = conv2d(x, k, padding=padding, strides=strides)
    assert Y.dtype == np.float32
    assert Y.flags.c_contiguous and Y.flags.writeable
    assert not np.shares_memory(Y, x)
    assert_array_equal(x, before)


@pytest.mark.parametrize("padding", PADDINGS, ids=str)
@pytest.mark.parametrize(
    ("x_shape", "k_shape", "strides"),
    [
        ((1024, 1024), (3, 3), 1),
        ((1024, 1024), (7, 7), 1),
        ((1024, 1024), (3, 3), 2),
        ((512, 512, 3), (3, 3, 3, 2), 1),
    ],
)
def test_conv2d_allocates_no_second_image_sized_array(padding, x_shape, k_shape, strides):
    """Peak memory of a call is the output plus strip-sized scratch, not a padded copy.

    Why it matters: a call that also allocates an input-sized padded copy or
    map frees ~8 MB per call at 1024x1024, which glibc hands back to the OS,
    and every next call page-faults its buffers in (4-6 ms instead of <1 ms;
    see _correlate). tracemalloc sees numpy's (and so OpenCV's) buffers.
    """
    x, k = _rand(19, x_shape), _rand(20, k_shape)
    scratch = 3 * planes.STRIP_BYTES  # channel strips, their map and its sum
    assert x.nbytes >= 4 * scratch  # so an input-sized temporary cannot hide in it
    conv2d(x, k, padding=padding, strides=strides)  # warm-up: first-call caches
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        Y = conv2d(x, k, padding=padding, strides=strides)
        peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    assert peak < Y.nbytes + scratch, (peak, Y.nbytes, x.nbytes)


@pytest.mark.slow
@settings(max_examples=80)
@given(conv_cases(keras_paddings=True))
def test_conv2d_matches_keras_conv2d(case):
    """conv2d equals a Keras Conv2D layer carrying the same kernel and bias."""
    x4, k4 = _as4(case)
    layer = keras.layers.Conv2D(
        k4.shape[3],
        k4.shape[:2],
        strides=case["strides"],
        padding=case["padding"],
        dilation_rate=case["dilation"],
    )
    layer.build(x4.shape)
    layer.set_weights([k4, case["bias"]])
    expected = keras.ops.convert_to_numpy(layer(x4))[0]
    assert_allclose(_ours(case), expected, rtol=RTOL, atol=ATOL)


@given(
    st.integers(1, 10),
    st.integers(1, 10),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(0, 2**32 - 1),
)
def test_conv2d_matches_corr2d(h, w, kh, kw, seed):
    """conv2d (valid, stride 1) equals the book's loop corr2d on random 2D arrays."""
    if kh > h or kw > w:
        reject()
    x, k = _rand(seed, (h, w)), _rand(seed + 1, (kh, kw))
    assert_allclose(conv2d(x, k), corr2d(x, k), rtol=RTOL, atol=ATOL)


@st.composite
def pool_cases(draw):
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    size = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    strides = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = draw(st.sampled_from(["valid", "same"]))
    try:
        output_shape((h, w), size, strides=strides or size, padding=padding)
    except ValueError:
        reject()
    x = _rand(draw(st.integers(0, 2**32 - 1)), (h, w, draw(st.integers(1, 3))))
    return x, size, strides, padding


@pytest.mark.slow
@settings(max_examples=60)
@given(pool_cases(), st.sampled_from(["max", "avg"]))
def test_pool2d_matches_keras_pooling(case, mode):
    """pool2d equals Keras MaxPooling2D / AveragePooling2D (valid and same)."""
    x, size, strides, padding = case
    layer_type = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    layer = layer_type(pool_size=size, strides=strides, padding=padding)
    expected = keras.ops.convert_to_numpy(layer(x[None]))[0]
    ours = pool2d(x, size, strides=strides, padding=padding, mode=mode)
    assert_allclose(ours, expected, rtol=RTOL, atol=ATOL)
