"""Safe loading of image files, uploads above all.

Every file a student hands the app arrives here first, so this module is the
boundary that refuses what it should not read. Uploads are untrusted: only
six decoders may run, sizes are checked from the header before a single pixel
is decoded, and every refusal is an :class:`ImageError` carrying one plain
sentence (what is wrong, what to do) and nothing from the decoder itself,
whose messages can include internal paths and upload URLs.

Canvas drawings and typed matrices (:mod:`playground.images.by_hand`),
samples (:mod:`playground.images.samples`) and export
(:mod:`playground.images.export`) live in their own modules.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from playground.i18n import N_, Message, TranslatedError
from playground.images.colour import LUMA, on_white
from playground.validation import check_int_range

__all__ = [
    "ALLOWED_FORMATS",
    "MAX_ASPECT",
    "MAX_BYTES",
    "MAX_PIXELS",
    "ImageError",
    "load_image",
    "load_image_rgb",
]

_log = logging.getLogger(__name__)

ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
# Same unit as Streamlit's server.maxUploadSize (MiB), so the two limits agree.
MAX_BYTES = 10 * 1024 * 1024
# Below Pillow's own 89.5 MP warning, so anything Pillow would call a bomb is
# refused by us first; a 40 MP photo is still far more than the app can show.
MAX_PIXELS = 40_000_000
MAX_ASPECT = 20  # longer side / shorter side; beyond this nothing is visible
_SIXTEEN_BIT = {"I;16", "I;16L", "I;16B", "I;16N"}

_FORMATS_TEXT = "PNG, JPEG, GIF, BMP, WEBP or TIFF"
# the sentences a student reads: marked templates, shown translated (ImageError.sentence)
_EMPTY = Message(
    N_("This file is empty. Choose an image file ({formats})."), {"formats": _FORMATS_TEXT}
)
_NOT_AN_IMAGE = Message(
    N_("This file is not an image we can read ({formats}). Try saving it as PNG."),
    {"formats": _FORMATS_TEXT},
)
_DAMAGED = Message(
    N_(
        "This image file is damaged or incomplete, so it cannot be read. "
        "Try saving or downloading it again."
    )
)
_COLOURS = Message(
    N_(
        "This image uses a colour format we cannot read. "
        "Save it as an ordinary PNG or JPEG and try again."
    )
)
_CANNOT_OPEN = Message(
    N_("This image file could not be opened. Check that it exists and try again.")
)
_TOO_MANY_PIXELS = Message(
    N_("This image has more than {megapixels} megapixels. Shrink it and try again."),
    {"megapixels": MAX_PIXELS // 1_000_000},
)
_NOT_FINITE = Message(
    N_(
        "This image contains values that are not numbers (NaN or infinity). "
        "Save it with ordinary pixel values and try again."
    )
)


class ImageError(TranslatedError):
    """An image or typed matrix that cannot be used; ``str()`` is safe to show a student.

    ``str()`` is English (for programmers and logs); :meth:`sentence` is the same
    sentence in the reader's language. Raise it with a :class:`~playground.i18n.Message`
    (a marked template and its values), or a plain English string.
    """


def load_image(
    source: bytes | str | os.PathLike | BinaryIO, *, max_side: int = 512, max_bytes: int = MAX_BYTES
) -> np.ndarray:
    """Read an image file as greyscale.

    Parameters
    ----------
    source : bytes, str, os.PathLike or binary file object
        The file's bytes, its path, or an open binary file (a Streamlit upload).
    max_side : int, optional
        Longer side of the result, 4 to 8192. Larger images are scaled down,
        keeping their aspect ratio; smaller ones are never enlarged.
    max_bytes : int, optional
        Larger files are refused before decoding (default 10 MB).

    Returns
    -------
    np.ndarray
        float32, shape (H, W), values in [0, 1]; EXIF orientation applied,
        transparency composited on white, luminance as ITU-R 601 ("L").

    Raises
    ------
    ImageError
        For anything that cannot or will not be read, with a sentence for a student.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buf = io.BytesIO()
    >>> Image.new("RGB", (3, 2), (255, 255, 255)).save(buf, "PNG")
    >>> load_image(buf.getvalue())
    array([[1., 1., 1.],
           [1., 1., 1.]], dtype=float32)
    """
    colour, alpha = _load(source, max_side=max_side, max_bytes=max_bytes)
    grey = colour @ LUMA if colour.ndim == 3 else colour
    return on_white(grey, alpha)


def load_image_rgb(
    source: bytes | str | os.PathLike | BinaryIO, *, max_side: int = 512, max_bytes: int = MAX_BYTES
) -> np.ndarray:
    """Read an image file in colour; like :func:`load_image` but shape (H, W, 3).

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buf = io.BytesIO()
    >>> Image.new("RGB", (1, 1), (255, 0, 0)).save(buf, "PNG")
    >>> load_image_rgb(buf.getvalue())
    array([[[1., 0., 0.]]], dtype=float32)
    """
    colour, alpha = _load(source, max_side=max_side, max_bytes=max_bytes)
    if colour.ndim == 2:
        colour = np.repeat(colour[..., None], 3, axis=2)
    return on_white(colour, None if alpha is None else alpha[..., None])


def _load(source: object, *, max_side: int, max_bytes: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Colour (H, W) or (H, W, 3) and alpha (H, W) or None, float32 in [0, 1], scaled."""
    max_side = check_int_range("max_side", max_side, 4, 8192)
    max_bytes = check_int_range("max_bytes", max_bytes, 1, 2**31)
    data = _read_bytes(source, max_bytes)
    with _decoding(_NOT_AN_IMAGE):
        im = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    with im:
        _check_size(*im.size)
        with _decoding(_DAMAGED):
            if im.format == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: a 12 MP phone
                # photo then costs ~1 MP of memory and time, not 12.
                im.draft(None, _fit(im.size, max_side))
            im.load()  # the first frame of an animation; truncated files fail here
        try:
            # In place: the default returns a full-size copy even when upright.
            ImageOps.exif_transpose(im, in_place=True)
        except Exception:  # a damaged EXIF block still leaves good pixels: keep them
            _log.debug("Ignored unreadable EXIF orientation", exc_info=True)
        with _decoding(_COLOURS):
            return _pixels(im, _fit(im.size, max_side))


def _pixels(im: Image.Image, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray | None]:
    if im.mode in _SIXTEEN_BIT or im.mode in ("I", "F"):
        # Scale in float: convert("L") would clip every 16-bit value above 255.
        values = _unit_range(np.asarray(im), im.mode)
        if im.size != size:
            small = Image.fromarray(values).resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            values = np.asarray(small, dtype=np.float32)
        return values, None  # a 16-bit tRNS colour key is too rare to honour
    grey = im.mode in ("1", "L", "LA", "La")
    target = ("L" if grey else "RGB") + ("A" if im.has_transparency_data else "")
    if im.mode != target:
        im = im.convert(target)  # palette/tRNS transparency becomes a real alpha band
    if im.size != size:
        # Pillow resamples LA/RGBA premultiplied, so transparent pixels' hidden
        # colours do not bleed into their neighbours.
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    values = np.asarray(im, dtype=np.float32) / 255.0
    if target in ("L", "RGB"):
        return values, None
    colour = values[..., 0] if target == "LA" else values[..., :3]
    return colour, values[..., -1]


def _unit_range(values: np.ndarray, mode: str) -> np.ndarray:
    values = values.astype(np.float32)
    if mode in _SIXTEEN_BIT:
        return values / 65535.0
    if not np.isfinite(values).all():
        raise ImageError(_NOT_FINITE)
    lo, hi = float(values.min()), float(values.max())
    if mode == "I" and lo >= 0 and hi <= 65535:
        return values / 65535.0  # mode "I" files are nearly always 16-bit data
    if mode == "F" and lo >= 0 and hi <= 1:
        return values
    if hi > lo:  # any other range: stretch it, so the picture is at least visible
        return (values - lo) / (hi - lo)
    return np.clip(values, 0.0, 1.0)


def _fit(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    width, height = size
    scale = max_side / max(width, height)
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def _check_size(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise ImageError(
            Message(
                N_("This image has no pixels (its width or height is 0). Choose another image.")
            )
        )
    if width * height > MAX_PIXELS:
        raise ImageError(
            Message(
                N_(
                    "This image is {width} x {height} pixels ({megapixels} megapixels), "
                    "more than the {limit} megapixel limit. Shrink it and try again."
                ),
                {
                    "width": width,
                    "height": height,
                    "megapixels": f"{width * height / 1e6:.0f}",
                    "limit": MAX_PIXELS // 1_000_000,
                },
            )
        )
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise ImageError(
            Message(
                N_(
                    "This image is {width} x {height} pixels, too long and thin to use "
                    "(at most {aspect} to 1). Crop it and try again."
                ),
                {"width": width, "height": height, "aspect": MAX_ASPECT},
            )
        )


def _read_bytes(source: object, max_bytes: int) -> bytes:
    """All of the file, reading at most ``max_bytes + 1`` bytes of it."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        view = memoryview(source)
        # Past the limit, a slice of max_bytes + 1 is all the check below needs.
        data = view.cast("B")[: max_bytes + 1].tobytes() if view.nbytes else b""
    elif isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as file:
                data = file.read(max_bytes + 1)
        except OSError:
            raise ImageError(_CANNOT_OPEN) from None
    elif hasattr(source, "read"):
        with suppress(AttributeError, OSError, ValueError):
            source.seek(0)  # like Image.open: an upload may already have been read once
        data = source.read(max_bytes + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(
                f"source must be opened in binary mode ('rb'); its read() returned "
                f"{type(data).__name__}."
            )
    else:
        raise TypeError(
            f"source must be bytes, a path or a binary file object; got {type(source).__name__}."
        )
    if not data:
        raise ImageError(_EMPTY)
    if len(data) > max_bytes:
        raise ImageError(
            Message(
                N_(
                    "This file is larger than the {size} limit. "
                    "Save a smaller copy (for example as JPEG) and try again."
                ),
                {"size": _size_text(max_bytes)},
            )
        )
    return bytes(data)


def _size_text(n_bytes: int) -> str:
    for unit, size in (("MB", 2**20), ("kB", 2**10)):
        if n_bytes >= size:
            return f"{n_bytes / size:.3g} {unit}"
    return f"{n_bytes} bytes"


@contextmanager
def _decoding(message: Message) -> Iterator[None]:
    """Turn whatever the decoder raises into an ImageError with a safe message."""
    try:
        yield
    except ImageError:
        raise
    # The warning arrives as an exception only where warnings are errors; above
    # 179 MP Pillow raises the error itself. Both are far over MAX_PIXELS.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
        raise ImageError(_TOO_MANY_PIXELS) from None
    except UnidentifiedImageError:
        raise ImageError(_NOT_AN_IMAGE) from None
    except Exception:
        # Hostile files raise all sorts (OSError, SyntaxError, struct.error,
        # ValueError, ...). The details go to the server log, never to the page.
        _log.debug("Refused an image file", exc_info=True)
        raise ImageError(message) from None
