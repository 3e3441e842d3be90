"""2D cross-correlation ("convolution" in deep learning), padding and pooling.

``corr2d`` is the book's readable double loop, kept as the teaching version
and the test oracle. ``conv2d`` is the fast path: it pads once with numpy
and hands each (input channel, output channel) plane to OpenCV's
``filter2D``, a compiled SIMD correlation made for exactly this job
(numpy shifted sums were measured 15-30x slower than it; see
benchmarks/bench_conv.py). Strides keep every s-th row and column of the
stride-1 map; dilation spreads the kernel with zeros first.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import ArrayLike

from playground.shapes import (
    as_pair,
    effective_kernel,
    normalize_padding,
    output_shape,
    padding_amounts,
    resolve_geometry,
)


def as_float_array(value: ArrayLike, name: str, *, ndims: tuple[int, ...]) -> np.ndarray:
    """Convert to a finite float32 array of one of the allowed ranks, or explain why not."""
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(
            f"{name} must be a rectangular array of numbers; rows of different lengths were given."
        ) from None
    # kinds i/u/f: signed and unsigned integers and real floats (not bool, complex,
    # str or object); a kind check costs ~1 us here, np.issubdtype ~8 us per call
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers; got values of type {array.dtype}.")
    if array.ndim not in ndims:
        allowed = " or ".join(str(n) for n in ndims)
        raise ValueError(
            f"{name} must have {allowed} dimensions; got shape {array.shape} "
            f"({array.ndim} dimensions)."
        )
    if 0 in array.shape:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise ValueError(
            f"{name} contains NaN or infinite values; every entry must be a finite number."
        )
    if array.dtype.kind == "f" and array.dtype.itemsize > 4:
        # a finite float64 such as 1e300 overflows to inf in float32: say so plainly
        # instead of leaking numpy's overflow warning and then blaming "NaN or inf".
        # Only wider floats can overflow (int64's maximum is ~9.2e18), so other
        # input skips the second scan and the errstate context (~3 us a call).
        with np.errstate(over="ignore"):
            array = array.astype(np.float32)
        if not np.isfinite(array).all():
            raise ValueError(
                f"{name} has values too large for float32 (beyond ±3.4e38); scale the values down."
            )
        return array
    return array.astype(np.float32, copy=False)


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
    kernel_hw,
    *,
    strides=1,
    padding="valid",
    dilation_rate=1,
    value: float = 0.0,
) -> np.ndarray:
    """The input with the rows and columns that ``padding`` adds (float32).

    Works on (H, W) or (H, W, C); channels are never padded.

    >>> pad2d([[1, 2], [3, 4]], (3, 3), padding="same")
    array([[0., 0., 0., 0.],
           [0., 1., 2., 0.],
           [0., 3., 4., 0.],
           [0., 0., 0., 0.]], dtype=float32)
    """
    x = as_float_array(x, "x", ndims=(2, 3))
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"value must be a real number; got {value!r}.")
    fill = np.float32(value)  # -inf is allowed: max pooling pads with it
    pads = padding_amounts(
        x.shape[:2],
        kernel_hw,
        strides=strides,
        padding=padding,
        dilation_rate=dilation_rate,
    )
    widths = list(pads) + [(0, 0)] * (x.ndim - 2)
    return np.pad(x, widths, constant_values=fill)


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
    strides=1,
    padding="valid",
    dilation_rate=1,
    bias=0.0,
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
        (OH, OW) for a 2D x with a 2D kernel, otherwise (OH, OW, C_out).

    Examples
    --------
    >>> conv2d([[1, 1, 0, 0]], [[1, -1]])
    array([[0., 1., 0.]], dtype=float32)
    >>> conv2d(np.ones((4, 4)), np.ones((3, 3)), padding="same", strides=2)
    array([[9., 6.],
           [6., 4.]], dtype=float32)
    """
    x = as_float_array(x, "x", ndims=(2, 3))
    kernel = as_float_array(kernel, "kernel", ndims=(2, 4))
    x3 = x if x.ndim == 3 else x[:, :, None]
    k4 = _standardize_kernel(kernel, x3.shape[2])
    if not isinstance(flip, bool):
        raise TypeError(f"flip must be True or False; got {flip!r}.")
    if flip:
        k4 = k4[::-1, ::-1]
    b = _standardize_bias(bias, k4.shape[3])
    s = as_pair(strides, "strides")
    d = as_pair(dilation_rate, "dilation_rate")
    pads, out_hw = resolve_geometry(x3.shape[:2], k4.shape[:2], s, d, padding)
    xp = np.pad(x3, [*pads, (0, 0)]) if any(any(side) for side in pads) else x3
    out = _correlate(xp, _dilate(k4, d), out_hw, s)
    if b.any():
        out += b
    if x.ndim == 2 and kernel.ndim == 2:
        return out[:, :, 0]
    return out


def _dilate(k4: np.ndarray, d) -> np.ndarray:
    """Spread the kernel's taps d apart with zeros between (an exact no-op for d = 1)."""
    if d == (1, 1):
        return k4
    spread = np.zeros((*effective_kernel(k4.shape[:2], d), *k4.shape[2:]), dtype=np.float32)
    spread[:: d[0], :: d[1]] = k4
    return spread


def _correlate(xp: np.ndarray, k4: np.ndarray, out_hw, s) -> np.ndarray:
    """Valid correlation of every channel plane, summed over input channels, then strided."""
    oh, ow = out_hw
    rows, cols = (oh - 1) * s[0] + 1, (ow - 1) * s[1] + 1  # stride-1 map rows we keep
    planes = [np.ascontiguousarray(xp[:, :, c]) for c in range(xp.shape[2])]
    maps = []
    for o in range(k4.shape[3]):
        total = None
        for c, plane in enumerate(planes):
            # anchor (0, 0): dst[i, j] = sum k[u, v] * src[i + u, j + v]; the rows and
            # columns we keep never reach past the padded input, so the border mode
            # never contributes.
            full = cv2.filter2D(
                plane,
                cv2.CV_32F,
                np.ascontiguousarray(k4[:, :, c, o]),
                anchor=(0, 0),
                borderType=cv2.BORDER_CONSTANT,
            )
            kept = full[: rows : s[0], : cols : s[1]]
            total = kept if total is None else total + kept
        maps.append(total)
    # one contiguous copy at the end (a fresh zeros array filled channel by channel
    # was measured ~10x slower than filter2D itself at 1024x1024)
    return np.stack(maps, axis=-1)


def pool2d(
    x: ArrayLike,
    pool_size,
    *,
    strides=None,
    padding="valid",
    mode: str = "max",
) -> np.ndarray:
    """Max or average pooling with Keras' semantics (each channel on its own).

    Parameters
    ----------
    x : array_like, shape (H, W) or (H, W, C)
    pool_size : int or (h, w)
    strides : int or (h, w); defaults to ``pool_size``, as in Keras
    padding : "valid" or "same" (TensorFlow's placement), or an explicit
        padding as for ``conv2d``. Padded cells never count: they are
        ignored by "max" and left out of the "avg" denominator, as TensorFlow
        does for "same".
    mode : "max" or "avg"

    Examples
    --------
    >>> X = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    >>> pool2d(X, 2, strides=1)
    array([[4., 5.],
           [7., 8.]], dtype=float32)
    >>> pool2d(X, 2, strides=1, mode="avg")
    array([[2., 3.],
           [5., 6.]], dtype=float32)
    """
    x = as_float_array(x, "x", ndims=(2, 3))
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg'; got {mode!r}.")
    size = as_pair(pool_size, "pool_size")
    step = size if strides is None else as_pair(strides, "strides")
    if normalize_padding(padding) == "full":
        raise ValueError("padding='full' is not defined for pooling; use 'valid' or 'same'.")
    x3 = x if x.ndim == 3 else x[:, :, None]
    oh, ow = output_shape(x3.shape[:2], size, strides=step, padding=padding)
    fill = -np.inf if mode == "max" else 0.0
    xp = pad2d(x3, size, strides=step, padding=padding, value=fill)
    windows = np.lib.stride_tricks.sliding_window_view(xp, size, axis=(0, 1))
    windows = windows[: (oh - 1) * step[0] + 1 : step[0], : (ow - 1) * step[1] + 1 : step[1]]
    if mode == "max":
        out = windows.max(axis=(-2, -1))
    else:
        real = pad2d(np.ones(x3.shape[:2], np.float32), size, strides=step, padding=padding)
        counts = np.lib.stride_tricks.sliding_window_view(real, size)
        counts = counts[: (oh - 1) * step[0] + 1 : step[0], : (ow - 1) * step[1] + 1 : step[1]]
        out = windows.sum(axis=(-2, -1)) / counts.sum(axis=(-2, -1))[:, :, None]
    out = out.astype(np.float32, copy=False)
    return out if x.ndim == 3 else out[:, :, 0]


__all__ = ["as_float_array", "conv2d", "corr2d", "pad2d", "pool2d"]
