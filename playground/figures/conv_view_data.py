"""What the browser-side convolution view receives: one compact binary message.

Streamlit sends a component's whole ``data`` on every rerun. A 512x512
float32 input is 1 MB, so it travels once per session and the browser keeps
it, keyed by a content digest; later reruns (a stride change) carry only the
digest, the kernel, the settings and the output. Large outputs travel as a
greyscale JPEG of their colour-bar positions (``colour_scales.to_codes``):
~40-90 kB for a 512x512 map, where float32 would be 1 MB and a PNG 100-175 kB.
The colours of a large map are therefore within a few of 256 levels; every
number the view *writes* is computed exactly from the float32 input
(the way ``playground.trace`` does), never read back from the picture.

Layout of a message (all integers little-endian)::

    b"CVW1" | uint32 header length | header (UTF-8 JSON) | zero padding to 4 bytes
    | sections, each starting on a 4-byte boundary

``header["sections"]`` maps a section's name to ``[offset, length]``,
offsets counted from the end of the padded header.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from playground.figures.colour_scales import AUTO, NUMBERS_MAX_SIDE, choose_scale, to_codes

MAGIC = b"CVW1"
# outputs up to this many cells go as exact float32 (numbers are written in small grids)
FLOAT_OUTPUT_MAX_CELLS = 64 * 64
JPEG_QUALITY = 92


@dataclass(frozen=True)
class ViewInput:
    """The arrays and settings of one view, as plain values (2D float32 arrays)."""

    x: np.ndarray  # the input, unpadded (H, W)
    kernel: np.ndarray  # as applied: already turned 180° when flip is on
    output: np.ndarray  # conv2d's result (OH, OW)
    pads: tuple[tuple[int, int], tuple[int, int]]  # ((top, bottom), (left, right))
    strides: tuple[int, int]
    dilation: tuple[int, int]
    bias: float = 0.0
    contrast: str = AUTO
    extra: dict = field(default_factory=dict)  # mode, step, labels: passed through as is


def input_digest(x: np.ndarray) -> str:
    """A short content digest of the input: the browser's cache key for its values."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    digest = hashlib.blake2b(x.tobytes(), digest_size=10)
    digest.update(struct.pack("<2I", *x.shape))
    return digest.hexdigest()


def _exact_list(array: np.ndarray) -> list[float]:
    # float32 -> Python float is exact and JSON repr round-trips it, so the browser gets
    # the very float32 values conv2d used
    return [float(v) for v in np.asarray(array, np.float32).ravel()]


def _jpeg(codes: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(codes).save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def build_message(view: ViewInput, *, include_input: bool, code: bytes | None = None) -> bytes:
    """The binary message for the component; the input's values only when asked for.

    ``code``: the view's JavaScript module, for the first message of a session
    (the ``code`` section; the component's loader imports it once per page).
    """
    x = np.ascontiguousarray(view.x, dtype=np.float32)
    kernel = np.asarray(view.kernel, dtype=np.float32)
    output = np.ascontiguousarray(view.output, dtype=np.float32)
    if x.ndim != 2 or kernel.ndim != 2 or output.ndim != 2:
        raise ValueError(
            "The convolution view draws one channel: x, kernel and output must be 2D; got "
            f"shapes {x.shape}, {kernel.shape} and {output.shape}."
        )
    sections: dict[str, bytes] = {}
    if code is not None:
        sections["code"] = code
    if include_input:
        sections["input"] = x.tobytes()
    output_scale = choose_scale(output, contrast=view.contrast)
    if output.size <= FLOAT_OUTPUT_MAX_CELLS:
        encoding = "float32"
        sections["output"] = output.tobytes()
    else:
        encoding = "jpeg-codes"
        sections["output"] = _jpeg(to_codes(output, output_scale))
    header = {
        "input": {
            "digest": input_digest(x),
            "shape": list(x.shape),
            "scale": choose_scale(x, contrast=view.contrast).as_dict(),
        },
        "kernel": {
            "shape": list(kernel.shape),
            "values": _exact_list(kernel),
            "scale": choose_scale(kernel, contrast="full").as_dict(),
        },
        "output": {
            "shape": list(output.shape),
            "encoding": encoding,
            "scale": output_scale.as_dict(),
        },
        "pads": [list(map(int, p)) for p in view.pads],
        "strides": list(map(int, view.strides)),
        "dilation": list(map(int, view.dilation)),
        "bias": float(view.bias),
        "numbers_max_side": NUMBERS_MAX_SIDE,
        **view.extra,
    }
    return pack(header, sections)


def pack(header: dict, sections: dict[str, bytes]) -> bytes:
    """Header and sections in the layout the browser reads (see the module docstring)."""
    placed, chunks, offset = {}, [], 0
    for name, blob in sections.items():
        placed[name] = [offset, len(blob)]
        pad = -len(blob) % 4
        chunks.append(blob + b"\0" * pad)
        offset += len(blob) + pad
    head = json.dumps({**header, "sections": placed}, separators=(",", ":")).encode()
    head += b" " * (-(len(head) + 8) % 4)  # JSON ignores trailing spaces; sections stay aligned
    return MAGIC + struct.pack("<I", len(head)) + head + b"".join(chunks)


def unpack(message: bytes) -> tuple[dict, dict[str, bytes]]:
    """The inverse of ``pack`` (for tests and tools)."""
    if message[:4] != MAGIC:
        raise ValueError(f"Not a convolution-view message: it starts with {message[:4]!r}.")
    (length,) = struct.unpack("<I", message[4:8])
    header = json.loads(message[8 : 8 + length])
    body = message[8 + length :]
    sections = {name: body[o : o + n] for name, (o, n) in header.pop("sections").items()}
    return header, sections
