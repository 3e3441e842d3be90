"""Odd and hostile image files, made in memory, for unit and browser tests.

Each function returns the bytes of one file; :data:`CASES` maps a file name
(with the extension a student's file would have) to its function, so a
browser test can write them to disk and upload them. Everything is
deterministic and cheap: the 100-megapixel bomb is ~100 kB, built from one
block of zero rows without ever holding 100 MP in memory.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zlib

import numpy as np
from PIL import Image

# --- helpers ----------------------------------------------------------------


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _gradient(width: int, height: int) -> Image.Image:
    """A smooth RGB picture: compresses small, yet neighbouring pixels differ."""
    cols = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    rows = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    red, green = np.broadcast_arrays(cols, rows)
    rgb = np.stack([red, green, (red + green) / 2], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8))


def _noise(width: int, height: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# --- files that must be refused ---------------------------------------------


def empty() -> bytes:
    return b""


def random_bytes() -> bytes:
    return random.Random(0).randbytes(4096)


def text_renamed_png() -> bytes:
    return b"This is a shopping list, not a picture.\nmilk\neggs\n" * 20


def truncated_png() -> bytes:
    data = encode(_noise(64, 64), "PNG")
    return data[: len(data) // 2]


def truncated_jpeg() -> bytes:
    data = encode(_noise(128, 128), "JPEG", quality=90)
    return data[: len(data) // 2]


@functools.cache
def png_bomb(width: int = 10_000, height: int = 10_000, bit_depth: int = 8) -> bytes:
    """A valid greyscale PNG (~100 kB at the defaults) declaring width x height pixels.

    It is compressed from one reused block of zero rows, so building it never
    holds the decoded image; ``bit_depth=1`` makes giant ones cheaper still.
    """
    row = 1 + (width * bit_depth + 7) // 8  # filter byte 0, then packed zero pixels
    compressor = zlib.compressobj(9)
    body = [compressor.compress(bytes(100 * row)) for _ in range(height // 100)]
    body.append(compressor.compress(bytes((height % 100) * row)))
    body.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", b"".join(body))
        + _png_chunk(b"IEND", b"")
    )


def psd_header() -> bytes:
    """The start of a Photoshop file: Pillow has a decoder, we must not run it."""
    return b"8BPS\x00\x01" + bytes(6) + struct.pack(">HIIHH", 3, 64, 64, 8, 3) + bytes(64)


def eps_header() -> bytes:
    """PostScript: Pillow would hand it to Ghostscript if it were allowed."""
    return b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 64 64\nshowpage\n"


def ppm_image() -> bytes:
    """A perfectly good image, in a format outside the six we allow."""
    return encode(_gradient(16, 16), "PPM")


def float_tiff_with_nan() -> bytes:
    values = np.linspace(0, 1, 16, dtype=np.float32).reshape(4, 4)
    values[1, 2] = np.nan
    return encode(Image.fromarray(values), "TIFF")


def zero_width_png() -> bytes:
    """A well-formed PNG (correct checksums) whose header says 0 x 10 pixels."""
    header = struct.pack(">IIBBBBB", 0, 10, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(10)))
        + _png_chunk(b"IEND", b"")
    )


def too_thin_png() -> bytes:
    return encode(Image.new("L", (2000, 10), 128), "PNG")


# --- odd files that must load correctly -------------------------------------


def gif_animation() -> bytes:
    """Two frames: black first, then white. Only the first must be read."""
    frames = [Image.new("L", (16, 16), 0), Image.new("L", (16, 16), 255)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def webp_animation() -> bytes:
    """Two frames, black then white, lossless."""
    frames = [Image.new("RGB", (16, 16), (0, 0, 0)), Image.new("RGB", (16, 16), (255,) * 3)]
    return encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)


def png_16bit(value: int = 40000) -> bytes:
    """A 16-bit greyscale PNG where every pixel is ``value`` (of 65535)."""
    return encode(Image.fromarray(np.full((8, 8), value, dtype=np.uint16)), "PNG")


def tiff_16bit(value: int = 40000) -> bytes:
    return encode(Image.fromarray(np.full((8, 8), value, dtype=np.uint16)), "TIFF")


def float_tiff(low: float = 0.0, high: float = 1.0) -> bytes:
    """A 4 x 4 float TIFF ramp from ``low`` to ``high``."""
    values = np.linspace(low, high, 16, dtype=np.float32).reshape(4, 4)
    return encode(Image.fromarray(values), "TIFF")


def cmyk_jpeg() -> bytes:
    """Left half pure cyan, right half white (no ink), CMYK as printers use."""
    im = Image.new("CMYK", (32, 16), (0, 0, 0, 0))
    im.paste((255, 0, 0, 0), (0, 0, 16, 16))
    return encode(im, "JPEG", quality=95)


def palette_with_transparency() -> bytes:
    """A palette PNG: index 0 (red) transparent, index 1 black; left half transparent."""
    im = Image.new("P", (8, 8), 1)
    im.putpalette([255, 0, 0, 0, 0, 0])
    im.paste(0, (0, 0, 4, 8))
    return encode(im, "PNG", transparency=0)


def one_bit() -> bytes:
    """A 1-bit PNG, left half black, right half white."""
    im = Image.new("1", (8, 8), 1)
    im.paste(0, (0, 0, 4, 8))
    return encode(im, "PNG")


def exif_rotated_jpeg() -> bytes:
    """Stored 40 wide x 20 tall, left half black; EXIF orientation 6 (turn 90° clockwise).

    Shown upright it is 20 wide x 40 tall with the black half on top.
    """
    im = Image.new("L", (40, 20), 255)
    im.paste(0, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(im, "JPEG", quality=95, exif=exif)


def broken_exif_jpeg() -> bytes:
    """A grey (200) JPEG with a damaged EXIF block: the pixels are still good."""
    good = encode(Image.new("L", (8, 8), 200), "JPEG", quality=95)
    block = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff" + b"\x01" * 40
    app1 = b"\xff\xe1" + (len(block) + 2).to_bytes(2, "big") + block
    return good[:2] + app1 + good[2:]


def rgba_transparent() -> bytes:
    """Black everywhere; alpha 0 in columns 0-1, 128 in 2-3, 255 in 4-5."""
    rgba = np.zeros((4, 6, 4), dtype=np.uint8)
    rgba[:, 2:4, 3] = 128
    rgba[:, 4:, 3] = 255
    return encode(Image.fromarray(rgba), "PNG")


def huge_photo_jpeg() -> bytes:
    """A legal 3000 x 2000 photo-sized JPEG (a few hundred kB)."""
    return encode(_gradient(3000, 2000), "JPEG", quality=80)


@functools.cache
def huge_png() -> bytes:
    """A legal 3000 x 2000 PNG (no JPEG shortcut when scaling down)."""
    return encode(_gradient(3000, 2000), "PNG")


def bmp_image() -> bytes:
    return encode(Image.new("RGB", (8, 8), (255, 255, 255)), "BMP")


CASES = {
    "empty.png": empty,
    "random.png": random_bytes,
    "shopping_list.png": text_renamed_png,
    "truncated.png": truncated_png,
    "truncated.jpg": truncated_jpeg,
    "bomb.png": png_bomb,
    "photoshop.psd": psd_header,
    "drawing.eps": eps_header,
    "picture.ppm": ppm_image,
    "nan.tif": float_tiff_with_nan,
    "zero_width.png": zero_width_png,
    "thin.png": too_thin_png,
    "animation.gif": gif_animation,
    "animation.webp": webp_animation,
    "sixteen_bit.png": png_16bit,
    "sixteen_bit.tif": tiff_16bit,
    "float.tif": float_tiff,
    "cmyk.jpg": cmyk_jpeg,
    "palette.png": palette_with_transparency,
    "one_bit.png": one_bit,
    "rotated.jpg": exif_rotated_jpeg,
    "broken_exif.jpg": broken_exif_jpeg,
    "transparent.png": rgba_transparent,
    "huge_photo.jpg": huge_photo_jpeg,
    "huge.png": huge_png,
    "white.bmp": bmp_image,
}
