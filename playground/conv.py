"""2D cross-correlation ("convolution" in deep learning) and padding.

``corr2d`` is the book's readable double loop, kept as the teaching version
and the test oracle. ``conv2d`` is the fast path: it hands each (input
channel, output channel) plane to OpenCV's ``filter2D``, a compiled SIMD
correlation made for exactly this job (numpy shifted sums were measured
15-30x slower than it; see benchmarks/bench_conv.py), letting filter2D's
zero border and anchor do the padding where they can. Strides keep every
s-th row and column of the stride-1 map; dilation spreads the kernel with
zeros first.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from playground.planes import correlate_planes
from playground.shapes import Geometry, effective_kernel, geometry_of, resolve_geometry
from playground.validation import (
    Padding4,
    Pair,
    as_float_array,
    as_pair,
    check_bool,
    is_real,
)


def corr2d(X: ArrayLike, K: ArrayLike) -> np.ndarray:
    """The book's 2D cross-correlation: a readable double loop, stride 1, no padding.

    Y[i, j] = sum over the window X[i:i+h, j:j+w] of the window times K.

    Parameters
    ----------
    X : array_like, shape (H, W)
    K : array_like, shape (h, w), with h <= H and w <= W

    Returns
    -------
    np.ndarray, float32, shape (H - h + 1, W - w + 1)

    Examples
    --------
    >>> corr2d([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1], [2, 3]])
    array([[19., 25.],
           [37., 43.]], dtype=float32)
    """
    X = as_float_array(X, "X", ndims=(2,))
    K = as_float_array(K, "K", ndims=(2,))
    h, w = K.shape
    if h > X.shape[0] or w > X.shape[1]:
        raise ValueError(
            f"Kernel K of shape {K.shape} is larger than the input X of shape {X.shape}; "
            "corr2d needs K to fit inside X. Use a smaller kernel or a larger input."
        )
    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), dtype=np.float32)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def pad2d(
    x: ArrayLike,
    kernel_hw: int | tuple[int, int],
    *,
    strides: int | tuple[int, int] = 1,
    padding: str | int | tuple = "valid",
    dilation_rate: int | tuple[int, int] = 1,
    value: float = 0.0,
) -> np.ndarray:
    """The input with the rows and columns that ``padding`` adds (float32).

    Channels are never padded.

    Parameters
    ----------
    x : array_like, shape (H, W) or (H, W, C)
    kernel_hw : int or (kh, kw)
        The kernel's size, before dilation: "same" and "full" depend on it.
    strides, dilation_rate : int or (h, w) pair, each >= 1
    padding : as for :func:`conv2d`
    value : float
        What the new cells hold; ``-inf`` is allowed (max pooling pads with it).

    Returns
    -------
    np.ndarray, float32, shape (H + top + bottom, W + left + right[, C])

    Examples
    --------
    >>> pad2d([[1, 2], [3, 4]], (3, 3), padding="same")
    array([[0., 0., 0., 0.],
           [0., 1., 2., 0.],
           [0., 3., 4., 0.],
           [0., 0., 0., 0.]], dtype=float32)
    """
    x = as_float_array(x, "x", ndims=(2, 3))
    fill = _fill_value(value)
    geometry = geometry_of(
        x.shape[:2], kernel_hw, strides=strides, padding=padding, dilation_rate=dilation_rate
    )
    return pad_by(x, geometry.pads, fill)


def pad2d_with_geometry(x: ArrayLike, geometry: Geometry, *, value: float = 0.0) -> np.ndarray:
    """:func:`pad2d` with an already resolved geometry (one resolution per page rerun)."""
    x = as_float_array(x, "x", ndims=(2, 3))
    _check_input_hw(x, geometry)
    return pad_by(x, geometry.pads, _fill_value(value))


def _fill_value(value) -> np.float32:
    if not is_real(value):
        raise TypeError(f"value must be a real number; got {value!r}.")
    return np.float32(value)  # -inf is allowed: max pooling pads with it


def pad_by(x: np.ndarray, pads: Padding4, fill: np.float32) -> np.ndarray:
    """Pad an already validated (H, W) or (H, W, C) array by ``pads`` with ``fill``."""
    widths = list(pads) + [(0, 0)] * (x.ndim - 2)
    return np.pad(x, widths, constant_values=fill)


def _check_input_hw(x: np.ndarray, geometry: Geometry) -> None:
    if tuple(x.shape[:2]) != geometry.input_hw:
        raise ValueError(
            f"x has spatial shape {x.shape[:2]}, but the geometry was resolved for an "
            f"input of {geometry.input_hw}. Resolve it again for this input."
        )


def _standardize_kernel(kernel: np.ndarray, channels_in: int) -> np.ndarray:
    """Kernel as (kh, kw, C_in, C_out), checked against the input's channels."""
    if kernel.ndim == 2:
        if channels_in != 1:
            raise ValueError(
                f"A 2D kernel of shape {kernel.shape} fits a one-channel input, but x has "
                f"{channels_in} channels. Give a kernel of shape (kh, kw, {channels_in}, C_out)."
            )
        return kernel[:, :, None, None]
    if kernel.shape[2] != channels_in:
        raise ValueError(
            f"kernel of shape {kernel.shape} expects {kernel.shape[2]} input channels, but x "
            f"has {channels_in}. The kernel's third axis must equal x's channels."
        )
    return kernel


def _standardize_bias(bias, channels_out: int) -> np.ndarray:
    try:
        values = np.asarray(bias)
    except ValueError:  # ragged nested lists
        values = np.asarray(None)
    # checked before the cast: np.asarray(None, dtype=np.float32) is a silent NaN
    if values.dtype.kind not in "iuf":
        raise TypeError(f"bias must be a number or one number per output channel; got {bias!r}.")
    values = values.astype(np.float32).reshape(-1)
    if values.size not in (1, channels_out):
        raise ValueError(
            f"bias must be one number or {channels_out} (one per output channel); "
            f"got {values.size} values."
        )
    if not np.isfinite(values).all():
        raise ValueError(f"bias must be finite; got {bias!r}.")
    return values


def conv2d(
    x: ArrayLike,
    kernel: ArrayLike,
    *,
    strides: int | tuple[int, int] = 1,
    padding: str | int | tuple = "valid",
    dilation_rate: int | tuple[int, int] = 1,
    bias: float | ArrayLike = 0.0,
    flip: bool = False,
) -> np.ndarray:
    """2D cross-correlation as in Keras' ``Conv2D`` and ``tf.nn.conv2d`` (float32).

    Parameters
    ----------
    x : array_like, shape (H, W) or (H, W, C_in)
    kernel : array_like, shape (kh, kw) or (kh, kw, C_in, C_out)
    strides, dilation_rate : int or (h, w) pair, each >= 1
    padding : "valid", "same" (TensorFlow's placement: an odd extra row or
        column goes bottom/right), "full", int p, (ph, pw) or
        ((top, bottom), (left, right))
    bias : number, or one number per output channel
    flip : bool
        Flip the kernel in both directions first: a true (mathematical)
        convolution instead of the cross-correlation deep learning uses.

    Returns
    -------
    np.ndarray, float32
        (OH, OW) for a 2D x with a 2D kernel, otherwise (OH, OW, C_out), with
        (OH, OW) = ``output_shape((H, W), (kh, kw), ...)``.

    Examples
    --------
    >>> conv2d([[1, 1, 0, 0]], [[1, -1]])
    array([[0., 1., 0.]], dtype=float32)
    >>> conv2d(np.ones((4, 4)), np.ones((3, 3)), padding="same", strides=2)
    array([[9., 6.],
           [6., 4.]], dtype=float32)
    """
    x, kernel, k4, b = _standardize(x, kernel, bias, flip)
    s = as_pair(strides, "strides")
    d = as_pair(dilation_rate, "dilation_rate")
    geometry = resolve_geometry(x.shape[:2], k4.shape[:2], s, d, padding)
    return _conv(x, kernel, k4, b, geometry)


def conv2d_with_geometry(
    x: ArrayLike,
    kernel: ArrayLike,
    geometry: Geometry,
    *,
    bias: float | ArrayLike = 0.0,
    flip: bool = False,
) -> np.ndarray:
    """:func:`conv2d` with an already resolved geometry (one resolution per page rerun).

    ``geometry`` must have been resolved for x's (H, W) and the kernel's (kh, kw).
    """
    x, kernel, k4, b = _standardize(x, kernel, bias, flip)
    _check_input_hw(x, geometry)
    if tuple(k4.shape[:2]) != geometry.kernel_hw:
        raise ValueError(
            f"kernel has spatial shape {k4.shape[:2]}, but the geometry was resolved for a "
            f"kernel of {geometry.kernel_hw}. Resolve it again for this kernel."
        )
    return _conv(x, kernel, k4, b, geometry)


def _standardize(x, kernel, bias, flip) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x, kernel, the kernel as (kh, kw, C_in, C_out) (flipped if asked) and the bias."""
    x = as_float_array(x, "x", ndims=(2, 3))
    kernel = as_float_array(kernel, "kernel", ndims=(2, 4))
    k4 = _standardize_kernel(kernel, x.shape[2] if x.ndim == 3 else 1)
    if check_bool(flip, "flip"):
        k4 = k4[::-1, ::-1]
    return x, kernel, k4, _standardize_bias(bias, k4.shape[3])


def _conv(
    x: np.ndarray, kernel: np.ndarray, k4: np.ndarray, b: np.ndarray, geometry: Geometry
) -> np.ndarray:
    x3 = x if x.ndim == 3 else x[:, :, None]
    pads, s, d = geometry.pads, geometry.strides, geometry.dilation_rate
    out = correlate_planes(x3, _dilate(k4, d), pads, geometry.output_hw, s)
    if b.any():
        out += b
    if x.ndim == 2 and kernel.ndim == 2:
        return out[:, :, 0]
    return out


def _dilate(k4: np.ndarray, d: Pair) -> np.ndarray:
    """Spread the kernel's taps d apart with zeros between (an exact no-op for d = 1)."""
    if d == (1, 1):
        return k4
    spread = np.zeros((*effective_kernel(k4.shape[:2], d), *k4.shape[2:]), dtype=np.float32)
    spread[:: d[0], :: d[1]] = k4
    return spread


__all__ = [
    "conv2d",
    "conv2d_with_geometry",
    "corr2d",
    "pad2d",
    "pad2d_with_geometry",
]
