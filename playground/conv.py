"""2D cross-correlation ("convolution" in deep learning), padding and pooling.

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
    out = _correlate(x3, _dilate(k4, d), pads, out_hw, s)
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


# Bytes of padded input one strip of _strips reads: a strip and its filter2D
# map stay in L2 (1 MB per core here) and stay small next to the output.
_STRIP_BYTES = 256 * 1024


def _correlate(x3: np.ndarray, k4: np.ndarray, pads, out_hw, s) -> np.ndarray:
    """Correlate every channel plane, padded and strided, summed over input channels.

    Returns a fresh C-contiguous float32 (OH, OW, C_out) array, the only array
    of the output's size a call allocates. Why that matters more than the
    arithmetic: the old path (np.pad, one filter2D map per plane, np.stack)
    freed two or three 4 MB arrays per call at 1024x1024. glibc's free() hands
    heap top beyond its trim threshold (twice the largest block it has
    mmapped, ~8 MB here) back to the OS, so the next call page-faults every
    fresh 4 KB page in: 1,500-2,000 minor faults per call (getrusage) in a
    fresh process, 4.4-5.9 ms a call instead of ~1 ms. With
    MALLOC_TRIM_THRESHOLD_ and MALLOC_MMAP_THRESHOLD_ set so glibc never trims,
    the same calls take 0 faults. The old benchmark kept every result of a
    repeat alive, which pins the heap top, so it reported ~1.1 ms. Now: one
    output array plus strip-sized scratch, ~3 faults per call in a row.

    filter2D with BORDER_CONSTANT reads zeros outside its source, and its
    anchor places dst[i, j] = sum k[u, v] * src[i + u - ay, j + v - ax]; so up
    to k - 1 padding cells per axis cost nothing and need no padded copy.
    """
    # an input within one strip is one filter2D call there; _one_plane's edge
    # bands would cost more Python than they save (64x64: ~50 us against ~25)
    if x3.shape[2] == k4.shape[3] == 1 and s == (1, 1) and x3.nbytes > _STRIP_BYTES:
        return _one_plane(x3[:, :, 0], k4[:, :, 0, 0], pads, out_hw)[:, :, None]
    return _strips(x3, k4, pads, out_hw, s)


def _one_plane(x2: np.ndarray, k2: np.ndarray, pads, out_hw) -> np.ndarray:
    """One channel in and out, stride 1 (what the pages ask for): (OH, OW).

    One whole-image filter2D (OpenCV may thread it) writes straight into the
    output: per axis it reads x[:o] for an output shorter than the input
    ("valid"), all of x for one as long ("same") or longer ("full"), placed by
    the anchor. The few output rows/columns it cannot get right, those whose
    window reaches input it was not given (the last k - 1 - top of a shorter
    output) or lies partly past the zero border's reach (the edges of a longer
    one), are recomputed by _window from only the input they read.
    """
    out = np.empty(out_hw, np.float32)
    src, dst, anchor, redo = [], [], [], []
    for n, k, (before, _), o in zip(x2.shape, k2.shape, pads, out_hw, strict=True):
        if o <= n:  # total padding <= k - 1
            src.append(slice(0, o))
            dst.append(slice(0, o))
            anchor.append(before)
            redo.append([(max(0, o - (k - 1 - before)), o)] if o < n else [])
        else:
            start = min(before, o - n)
            src.append(slice(0, n))
            dst.append(slice(start, start + n))
            anchor.append(before - start)
            redo.append([(0, start), (start + n, o)])
    cv2.filter2D(
        x2[src[0], src[1]], cv2.CV_32F, np.ascontiguousarray(k2), dst=out[dst[0], dst[1]],
        anchor=(anchor[1], anchor[0]), borderType=cv2.BORDER_CONSTANT,
    )  # fmt: skip
    x3, k4 = x2[:, :, None], k2[:, :, None, None]
    for i0, i1 in redo[0]:
        if i1 > i0:
            out[i0:i1] = _window(x3, k4, pads, (i0, i1), (0, out_hw[1]))
    for j0, j1 in redo[1]:
        if j1 > j0:
            out[:, j0:j1] = _window(x3, k4, pads, (0, out_hw[0]), (j0, j1))
    return out


def _window(x3: np.ndarray, k4: np.ndarray, pads, rows, cols) -> np.ndarray:
    """Output cells rows x cols (half-open pairs) at stride 1, from only the input they read."""
    part, part_pads = [], []
    for (i0, i1), n, k, (before, _) in zip(
        (rows, cols), x3.shape[:2], k4.shape[:2], pads, strict=True
    ):
        first, last = i0 - before, i1 - 1 + k - before  # input indices read: [first, last)
        lo, hi = max(first, 0), min(last, n)
        if lo >= hi:  # padding only
            return 0.0
        part.append(slice(lo, hi))
        part_pads.append((lo - first, last - hi))
    shape = (rows[1] - rows[0], cols[1] - cols[0])
    return _strips(x3[part[0], part[1]], k4, tuple(part_pads), shape, (1, 1))[:, :, 0]


def _strips(x3: np.ndarray, k4: np.ndarray, pads, out_hw, s) -> np.ndarray:
    """The general path (any channels and strides), a strip of output rows at a time.

    Each strip's input rows (a view, or copyMakeBorder'd when the padding
    is more than filter2D's zero border covers, as for "full") go through
    filter2D into a scratch map the size of the strip, and the kept rows and
    columns of it (every s-th) are copied into the output: no input- or
    output-sized temporary.
    """
    h, w, c_in = x3.shape
    kh, kw, _, c_out = k4.shape
    (top, _), (left, right) = pads
    oh, ow = out_hw
    taps = [[np.ascontiguousarray(k4[:, :, c, o]) for o in range(c_out)] for c in range(c_in)]
    # columns: the zero border covers kw - 1 padding columns; copyMakeBorder adds the rest
    extra = max(0, left + right - (kw - 1))
    pad_left = min(left, extra)
    ax = left - pad_left
    width = w + extra  # of every strip's source and map
    keep_w = (ow - 1) * s[1] + 1  # map columns [0, keep_w) hold the stride-1 outputs
    # output rows per strip: about _STRIP_BYTES of source rows over all input
    # channels, at least 4 kernel heights
    src_rows = max(_STRIP_BYTES // (4 * width * c_in), 4 * kh)
    per_strip = max(1, (src_rows - kh) // s[0] + 1)
    out = np.empty((oh, ow, c_out), np.float32)
    scratch = np.empty(((min(per_strip, oh) - 1) * s[0] + kh, width), np.float32)
    total = np.empty_like(scratch) if c_in > 1 else None
    for i0 in range(0, oh, per_strip):
        i1 = min(i0 + per_strip, oh)
        first = i0 * s[0] - top  # input rows this strip reads: [first, last)
        last = (i1 - 1) * s[0] + kh - top
        lo, hi = max(first, 0), min(last, h)
        if lo >= hi:  # the strip sees padding only
            out[i0:i1] = 0.0
            continue
        zeros_top, zeros_bottom = lo - first, last - hi
        extra_rows = max(0, zeros_top + zeros_bottom - (kh - 1))
        pad_top = min(zeros_top, extra_rows)
        ay = zeros_top - pad_top
        rows = hi - lo + extra_rows  # map rows; [0, keep_h) hold this strip's outputs
        keep_h = (i1 - i0 - 1) * s[0] + 1
        sources = []
        for c in range(c_in):
            plane = x3[lo:hi, :, c]
            if extra or extra_rows:
                plane = cv2.copyMakeBorder(
                    plane, pad_top, extra_rows - pad_top, pad_left, extra - pad_left,
                    cv2.BORDER_CONSTANT, value=0.0,
                )  # fmt: skip
            sources.append(np.ascontiguousarray(plane))  # a channel of x3 is strided
        dst = scratch[:rows]
        for o in range(c_out):
            acc = total[:rows] if c_in > 1 else dst
            for c, plane in enumerate(sources):
                cv2.filter2D(
                    plane, cv2.CV_32F, taps[c][o], dst=acc if c == 0 else dst,
                    anchor=(ax, ay), borderType=cv2.BORDER_CONSTANT,
                )  # fmt: skip
                if c > 0:
                    acc += dst
            out[i0:i1, :, o] = acc[: keep_h : s[0], : keep_w : s[1]]
    return out


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
