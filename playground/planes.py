"""The fast path under ``conv2d``: OpenCV's filter2D over every channel plane.

``correlate_planes`` is the one entry point; the rest are its two routes (one
plane written straight into the output, or strips of rows for any channels
and strides) and the edge repair between them. conv2d resolves and checks
every argument first: these functions trust their input.
"""

from __future__ import annotations

import cv2
import numpy as np

# Bytes of padded input one strip of _strips reads: a strip and its filter2D
# map stay in L2 (1 MB per core here) and stay small next to the output.
STRIP_BYTES = 256 * 1024


def correlate_planes(x3: np.ndarray, k4: np.ndarray, pads, out_hw, s) -> np.ndarray:
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
    if x3.shape[2] == k4.shape[3] == 1 and s == (1, 1) and x3.nbytes > STRIP_BYTES:
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
    # output rows per strip: about STRIP_BYTES of source rows over all input
    # channels, at least 4 kernel heights
    src_rows = max(STRIP_BYTES // (4 * width * c_in), 4 * kh)
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
