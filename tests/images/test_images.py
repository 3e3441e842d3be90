"""Tests for playground.images: loading, canvas and typed matrices, samples and export."""

from __future__ import annotations

import doctest
import importlib.util
import io
import re
import warnings
from pathlib import Path

import hostile_images as hostile
import numpy as np
import pytest
from PIL import Image, ImageFile

from playground.images import by_hand, colour, export, loading, samples
from playground.images.by_hand import canvas_to_array, parse_matrix
from playground.images.export import grey_mapping_note, to_csv_bytes, to_npy_bytes, to_png_bytes
from playground.images.loading import MAX_BYTES, ImageError, load_image, load_image_rgb
from playground.images.samples import SAMPLES, load_sample

NOT_AN_IMAGE = r"^This file is not an image we can read \(PNG, JPEG, GIF, BMP, WEBP or TIFF\)\."
DAMAGED = r"^This image file is damaged or incomplete"
BOOK_X = np.ones((6, 8), dtype=np.float32)
BOOK_X[:, 2:6] = 0
FORBIDDEN = re.compile(r"/tmp|Traceback|http|\bPIL\b|Pillow|BytesIO|0x[0-9a-f]{6}", re.IGNORECASE)

# name in hostile.CASES -> a pattern its ImageError message must match
REFUSED = {
    "empty.png": r"^This file is empty\. Choose an image file",
    "random.png": NOT_AN_IMAGE,
    "shopping_list.png": NOT_AN_IMAGE,
    "truncated.png": DAMAGED,
    "truncated.jpg": DAMAGED,
    "bomb.png": r"^This image is 10000 x 10000 pixels \(100 megapixels\), more than the 40 ",
    "photoshop.psd": NOT_AN_IMAGE,
    "drawing.eps": NOT_AN_IMAGE,
    "picture.ppm": NOT_AN_IMAGE,
    "nan.tif": r"^This image contains values that are not numbers \(NaN or infinity\)\.",
    "zero_width.png": NOT_AN_IMAGE + "|^This image has no pixels",
    "thin.png": r"^This image is 2000 x 10 pixels, too long and thin to use \(at most 20 to 1\)\.",
}


def _png(im: Image.Image) -> bytes:
    return hostile.encode(im, "PNG")


def _refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(ImageError) as info:
        load_image(data, **kwargs)
    return str(info.value)


# --- refusals -----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_with_a_plain_sentence(name):
    """Each hostile file raises ImageError with its own student-facing sentence."""
    with pytest.raises(ImageError, match=REFUSED[name]):
        load_image(hostile.CASES[name]())


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refusal_message_leaks_nothing_internal(name):
    """No message holds a path, traceback, URL, decoder name or object address."""
    message = _refusal(hostile.CASES[name]())
    assert not FORBIDDEN.search(message), message
    assert message.endswith(".") and "\n" not in message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_bomb_is_refused_before_any_pixel_is_decoded(monkeypatch):
    """The 100 MP bomb is refused from its header: ImageFile.load never runs."""
    calls = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: calls.append(self))
    with pytest.raises(ImageError, match="more than the 40 megapixel limit"):
        load_image(hostile.png_bomb())
    assert calls == []


def test_bomb_is_refused_when_warnings_are_errors():
    """Pillow's DecompressionBombWarning raised as an error still becomes ImageError."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with pytest.raises(ImageError, match=r"^This image has more than 40 megapixels\."):
            load_image(hostile.png_bomb())


def test_giant_bomb_beyond_pillows_own_error_is_refused():
    """A 400 MP header (Pillow's DecompressionBombError) becomes ImageError too."""
    with pytest.raises(ImageError, match=r"^This image has more than 40 megapixels\. Shrink it"):
        load_image(hostile.png_bomb(20_000, 20_000, bit_depth=1))


def test_file_over_the_byte_limit_is_refused_before_decoding():
    """Bytes beyond max_bytes (default 10 MB) are refused with the limit in words."""
    with pytest.raises(ImageError, match=r"^This file is larger than the 10 MB limit\. "):
        load_image(b"\x89PNG" + bytes(MAX_BYTES))


def test_byte_limit_is_a_keyword():
    """max_bytes lowers the limit; small limits are written in kB."""
    data = hostile.huge_png()
    with pytest.raises(ImageError, match=r"larger than the 100 kB limit"):
        load_image(data, max_bytes=100 * 1024)


def test_file_object_is_read_only_up_to_the_limit():
    """A file object is read at most max_bytes + 1 bytes, then refused."""
    source = io.BytesIO(bytes(5000))
    with pytest.raises(ImageError, match="larger than the 1000 bytes limit"):
        load_image(source, max_bytes=1000)
    assert source.tell() == 1001


def test_missing_path_is_refused_without_echoing_it(tmp_path):
    """A path that does not exist gives a sentence with no path in it."""
    with pytest.raises(ImageError) as info:
        load_image(tmp_path / "nope.png")
    assert (
        str(info.value)
        == "This image file could not be opened. Check that it exists and try again."
    )


def test_truncated_images_stay_refused_globally():
    """Loading never switches on Pillow's LOAD_TRUNCATED_IMAGES nor lifts its pixel limit."""
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ImageError):
        load_image(hostile.truncated_jpeg())
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    assert before == Image.MAX_IMAGE_PIXELS


@pytest.mark.parametrize("source", [None, 12, ["a"], io.StringIO("text")])
def test_wrong_source_type_is_a_type_error(source):
    """Anything but bytes, a path or a binary file object is a TypeError naming source."""
    with pytest.raises(TypeError, match=r"source must be"):
        load_image(source)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"max_side": 0}, ValueError, r"max_side must be from 4 to 8192; got 0\."),
        ({"max_side": 2.5}, TypeError, r"max_side must be an integer from 4 to 8192; got 2\.5\."),
        ({"max_side": True}, TypeError, r"max_side must be an integer"),
        ({"max_bytes": 0}, ValueError, r"max_bytes must be from 1 to"),
    ],
)
def test_bad_keyword_is_named_with_rule_and_value(kwargs, error, pattern):
    """Bad max_side / max_bytes raise ValueError or TypeError naming the argument."""
    with pytest.raises(error, match=pattern):
        load_image(hostile.bmp_image(), **kwargs)


# --- odd but legal files --------------------------------------------------------


@pytest.mark.parametrize("name", ["animation.gif", "animation.webp"])
def test_animation_gives_its_first_frame(name):
    """An animated GIF/WEBP loads its first (black) frame, not the second (white)."""
    np.testing.assert_array_equal(load_image(hostile.CASES[name]()), np.zeros((16, 16)))


@pytest.mark.parametrize("name", ["sixteen_bit.png", "sixteen_bit.tif"])
def test_sixteen_bit_is_scaled_not_clipped(name):
    """A 16-bit pixel of 40000 loads as 40000/65535 (~0.61), not 1.0."""
    out = load_image(hostile.CASES[name]())
    np.testing.assert_allclose(out, np.full((8, 8), 40000 / 65535), rtol=1e-6)


def test_float_tiff_in_unit_range_is_kept():
    """An F-mode TIFF with values in [0, 1] keeps them."""
    expected = np.linspace(0, 1, 16, dtype=np.float32).reshape(4, 4)
    np.testing.assert_allclose(load_image(hostile.float_tiff()), expected, atol=1e-7)


def test_float_tiff_out_of_range_is_stretched():
    """An F-mode TIFF from -500 to 1000 is stretched linearly to [0, 1]."""
    expected = np.linspace(0, 1, 16, dtype=np.float32).reshape(4, 4)
    np.testing.assert_allclose(load_image(hostile.float_tiff(-500, 1000)), expected, atol=1e-6)


def test_cmyk_jpeg_is_converted_to_grey():
    """CMYK cyan loads as the luminance of (0, 255, 255) ~0.70; no ink as white."""
    out = load_image(hostile.cmyk_jpeg())
    np.testing.assert_allclose(out[:, 2:13], 0.587 + 0.114, atol=0.02)
    np.testing.assert_allclose(out[:, 19:], 1.0, atol=0.02)


def test_palette_transparency_becomes_white():
    """Transparent palette pixels (red underneath) are white; opaque black stays 0."""
    out = load_image(hostile.palette_with_transparency())
    np.testing.assert_array_equal(out[:, :4], 1.0)
    np.testing.assert_array_equal(out[:, 4:], 0.0)


def test_one_bit_image_loads_as_zeros_and_ones():
    """A 1-bit PNG loads as exact 0 and 1."""
    expected = np.repeat([[0, 0, 0, 0, 1, 1, 1, 1]], 8, axis=0)
    np.testing.assert_array_equal(load_image(hostile.one_bit()), expected)


def test_exif_orientation_is_applied():
    """EXIF orientation 6 turns the stored 40x20 picture upright: 20 wide, 40 tall, black on top."""
    out = load_image(hostile.exif_rotated_jpeg())
    assert out.shape == (40, 20)
    assert out[:18].max() < 0.1 and out[22:].min() > 0.9


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_damaged_exif_keeps_the_pixels():
    """A JPEG whose EXIF block is damaged still loads, unrotated."""
    np.testing.assert_allclose(load_image(hostile.broken_exif_jpeg()), 200 / 255, atol=0.01)


def test_alpha_is_composited_on_white():
    """Transparent black is white (1), half-transparent black ~0.5, opaque black 0."""
    out = load_image(hostile.rgba_transparent())
    np.testing.assert_array_equal(out[:, :2], 1.0)
    np.testing.assert_allclose(out[:, 2:4], 1 - 128 / 255, atol=1e-6)
    np.testing.assert_array_equal(out[:, 4:], 0.0)


@pytest.mark.parametrize("name", ["huge_photo.jpg", "huge.png"])
def test_large_image_is_scaled_to_max_side(name):
    """A 3000x2000 image loads as 512x341 (aspect kept), values still a smooth 0-1 ramp."""
    out = load_image(hostile.CASES[name]())
    assert out.shape == (341, 512) and out.dtype == np.float32
    assert 0 <= out.min() < 0.02 and 0.98 < out.max() <= 1
    assert np.abs(np.diff(out, axis=1)).max() < 0.05  # no ringing or blocky steps


def test_max_side_sets_the_longer_side():
    """max_side=100 scales a 3000x2000 PNG to 100x67."""
    assert load_image(hostile.huge_png(), max_side=100).shape == (67, 100)


def test_small_image_is_never_enlarged():
    """An 8x8 image stays 8x8 whatever max_side is."""
    assert load_image(hostile.bmp_image(), max_side=4096).shape == (8, 8)


def test_luminance_is_itu_601_in_float():
    """Pure red, green and blue load as 0.299, 0.587 and 0.114 (no 8-bit rounding)."""
    im = Image.new("RGB", (3, 1))
    im.putdata([(255, 0, 0), (0, 255, 0), (0, 0, 255)])
    np.testing.assert_allclose(load_image(_png(im)), [[0.299, 0.587, 0.114]], rtol=1e-6)


def test_rgb_loader_keeps_colour_and_composites_alpha():
    """load_image_rgb gives (H, W, 3): transparent pixels white, colours kept."""
    rgba = np.zeros((1, 2, 4), dtype=np.uint8)
    rgba[0, 1] = (255, 0, 0, 255)
    out = load_image_rgb(_png(Image.fromarray(rgba)))
    assert out.shape == (1, 2, 3) and out.dtype == np.float32
    np.testing.assert_array_equal(out[0], [[1, 1, 1], [1, 0, 0]])


def test_rgb_loader_repeats_grey_into_three_channels():
    """A greyscale file comes back from load_image_rgb with three equal channels."""
    out = load_image_rgb(hostile.png_16bit())
    assert out.shape == (8, 8, 3)
    np.testing.assert_allclose(out[..., 0], out[..., 2])


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview, io.BytesIO])
def test_in_memory_sources_are_accepted(wrap):
    """bytes, bytearray, memoryview and a binary file object all load the same."""
    np.testing.assert_array_equal(load_image(wrap(hostile.bmp_image())), np.ones((8, 8)))


def test_path_sources_are_accepted(tmp_path):
    """A str path and a pathlib.Path both load."""
    path = tmp_path / "white.bmp"
    path.write_bytes(hostile.bmp_image())
    assert load_image(path).shape == load_image(str(path)).shape == (8, 8)


def test_file_object_already_read_is_rewound():
    """An upload whose read() was already called is read again from the start."""
    upload = io.BytesIO(hostile.bmp_image())
    upload.read()
    assert load_image(upload).shape == (8, 8)


# --- canvas -------------------------------------------------------------------


def _canvas(height=56, width=56):
    return np.zeros((height, width, 4), dtype=np.uint8)  # transparent, nothing drawn


def test_empty_transparent_canvas_is_all_background():
    """A transparent, empty canvas gives zeros (bright strokes) of the grid's shape."""
    out = canvas_to_array(_canvas())
    assert out.shape == (28, 28) and out.dtype == np.float32
    np.testing.assert_array_equal(out, 0.0)


def test_empty_white_filled_canvas_is_all_background():
    """An opaque white background without strokes is background too."""
    np.testing.assert_array_equal(canvas_to_array(np.full((56, 56, 4), 255, np.uint8)), 0.0)


def test_black_strokes_are_bright_ink():
    """An opaque black stroke over a 2x2-pixel cell gives ink 1 in that cell."""
    rgba = _canvas()
    rgba[10:12, 20:22] = (0, 0, 0, 255)
    out = canvas_to_array(rgba)
    assert out[5, 10] == 1.0 and out.sum() == 1.0


def test_ink_is_averaged_over_each_cells_area():
    """One inked pixel out of a cell's four gives 0.25."""
    rgba = _canvas(8, 8)
    rgba[::2, ::2] = (0, 0, 0, 255)
    np.testing.assert_allclose(canvas_to_array(rgba, grid=4), np.full((4, 4), 0.25))


def test_ink_is_one_minus_luminance_on_white():
    """A half-transparent black is 0.5 ink; an opaque red stroke is 1 - 0.299 (two decimals)."""
    rgba = _canvas(4, 8)
    rgba[:, :4] = (0, 0, 0, 255 // 2 + 1)
    rgba[:, 4:] = (255, 0, 0, 255)
    out = canvas_to_array(rgba, grid=(4, 8))
    np.testing.assert_array_equal(out[:, :4], np.float32(0.5))
    np.testing.assert_array_equal(out[:, 4:], np.float32(0.7))


def test_faint_anti_aliased_edges_read_as_clean_numbers():
    """A barely touched cell is 0, never 3.8e-04 or -0; every cell has at most two decimals."""
    rgba = _canvas(64, 64)
    rgba[:, :32] = (0, 0, 0, 255)
    rgba[0, 32] = (0, 0, 0, 6)  # one faint edge pixel: 6/255 of one pixel of a 64-pixel cell
    for strokes in ("bright", "dark"):
        out = canvas_to_array(rgba, grid=8, strokes=strokes)
        assert not np.signbit(out).any()
        np.testing.assert_array_equal(out, np.round(out, 2))
        assert set(np.unique(out).tolist()) == {0.0, 1.0}


def test_dark_strokes_invert_the_ink():
    """strokes='dark' gives 1 - the bright result (ink 0 on a 1 background)."""
    rgba = _canvas()
    rgba[:28] = (0, 0, 0, 255)
    bright = canvas_to_array(rgba)
    np.testing.assert_array_equal(canvas_to_array(rgba, strokes="dark"), 1 - bright)


def test_grid_may_be_an_int_or_a_pair():
    """grid=16 is 16x16; grid=(8, 12) is 8 rows by 12 columns."""
    assert canvas_to_array(_canvas(), grid=16).shape == (16, 16)
    assert canvas_to_array(_canvas(), grid=(8, 12)).shape == (8, 12)


def test_opaque_rgb_canvas_is_accepted():
    """An (H, W, 3) image counts as an opaque canvas."""
    rgb = np.full((28, 28, 3), 255, np.uint8)
    rgb[:, :14] = 0
    np.testing.assert_array_equal(canvas_to_array(rgb, grid=4)[:, :2], 1.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"grid": 3}, ValueError, r"grid sides must be from 4 to 64; got 3\."),
        ({"grid": (4, 65)}, ValueError, r"grid sides must be from 4 to 64; got \(4, 65\)\."),
        ({"grid": "28"}, TypeError, r"grid must be an int or a \(rows, columns\) pair; got '28'"),
        ({"grid": (4, 4, 4)}, TypeError, r"grid must be an int or a \(rows, columns\) pair"),
        ({"grid": (True, 8)}, TypeError, r"grid must be an int"),
        ({"strokes": "white"}, ValueError, r"strokes must be 'bright' or 'dark'; got 'white'\."),
    ],
)
def test_bad_canvas_options_are_named(kwargs, error, pattern):
    """Bad grid or strokes raise an error naming the argument, the rule and the value."""
    with pytest.raises(error, match=pattern):
        canvas_to_array(_canvas(), **kwargs)


@pytest.mark.parametrize(
    ("rgba", "error", "pattern"),
    [
        (None, TypeError, r"rgba must be the canvas's \(H, W, 4\) image data; got None"),
        (np.zeros((8, 8), np.uint8), ValueError, r"rgba must have shape \(H, W, 4\).*\(8, 8\)"),
        (np.zeros((0, 8, 4), np.uint8), ValueError, r"got \(0, 8, 4\)"),
        (np.zeros((8, 8, 4), np.float64), TypeError, r"rgba must hold integers.*float64"),
        (np.full((8, 8, 4), 300), ValueError, r"rgba values must be from 0 to 255; got 300"),
    ],
)
def test_bad_canvas_data_is_named(rgba, error, pattern):
    """Malformed canvas data raises an error naming rgba and what it got."""
    with pytest.raises(error, match=pattern):
        canvas_to_array(rgba)


# --- parse_matrix ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 -1", [[1, -1]]),
        ("0 1 2\n3 4 5", [[0, 1, 2], [3, 4, 5]]),
        ("0, 1, 2; 3, 4, 5", [[0, 1, 2], [3, 4, 5]]),
        ("[[0, 1, 2], [3, 4, 5]]", [[0, 1, 2], [3, 4, 5]]),
        ("[1, 2, 3]", [[1, 2, 3]]),
        ("  1\t2 ,\r\n\n 3   4,\n", [[1, 2], [3, 4]]),
        ("1/9 1/9\n-1/2 2.5e-1", [[1 / 9, 1 / 9], [-0.5, 0.25]]),
        ("1 \u22121", [[1, -1]]),
        ("7", [[7]]),
    ],
)
def test_parse_matrix_accepts_common_spellings(text, expected):
    """Spaces, commas, newlines, ';', [[...]], fractions and the minus sign all parse."""
    out = parse_matrix(text)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, np.array(expected, dtype=np.float32))


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("", r"^The matrix is empty\. Type numbers"),
        (" ;\n[ ]", r"^The matrix is empty"),
        ("1 2\n3 4 5", r"^Row 2 has 3 numbers but row 1 has 2; every row needs the same count\.$"),
        ("1 2\n3 x", r'^Row 2 has "x", which is not a number; use numbers like 1, -0\.5 or 1/9\.$'),
        ("1 nan", r'^Row 1 has "nan", which is not a finite number'),
        ("inf 1", r'^Row 1 has "inf", which is not a finite number'),
        ("1e39", r'^Row 1 has "1e39", which is not a finite number'),
        ("1/0", r'^Row 1 has "1/0", which is not a number'),
        ("\n".join(["1"] * 33), r"^The matrix has 33 rows; at most 32 are allowed\.$"),
        (" ".join(["1"] * 33), r"^Row 1 has 33 numbers; at most 32 are allowed\.$"),
    ],
)
def test_parse_matrix_explains_what_is_wrong(text, pattern):
    """Empty, ragged, non-numeric, non-finite or too large input raises a plain ImageError."""
    with pytest.raises(ImageError, match=pattern):
        parse_matrix(text)


def test_parse_matrix_shortens_long_tokens_in_messages():
    """A long junk token is echoed cut to 20 characters."""
    with pytest.raises(ImageError, match=r'"a{20}\.\.\."'):
        parse_matrix("a" * 500)


def test_parse_matrix_max_side_is_a_keyword():
    """max_side lowers the size limit."""
    with pytest.raises(ImageError, match="at most 2 are allowed"):
        parse_matrix("1 2 3", max_side=2)


def test_parse_matrix_wants_text():
    """Non-str input is a TypeError naming text."""
    with pytest.raises(TypeError, match=r"text must be a str; got list\."):
        parse_matrix([[1, 2]])


# --- samples -------------------------------------------------------------------


def test_required_samples_are_listed_in_order():
    """SAMPLES starts with the book's bars and has every required kind."""
    names = list(SAMPLES)
    assert names[0] == "book_bars"
    assert {"checkerboard", "diagonal_edge", "digit", "circle", "astronaut"} <= set(names)


def test_samples_registry_is_read_only_and_consistent():
    """SAMPLES cannot be changed; each entry is keyed by its name, with a one-line description."""
    with pytest.raises(TypeError):
        SAMPLES["x"] = SAMPLES["book_bars"]  # type: ignore[index]
    for name, sample in SAMPLES.items():
        assert sample.name == name and sample.title
        assert "\n" not in sample.description and len(sample.description) <= 100
        assert (samples.ASSETS_DIR / sample.file).is_file()


def test_book_bars_sample_is_exactly_the_books_x():
    """load_sample('book_bars') equals the book's 6x8 X exactly, dtype float32."""
    out = load_sample("book_bars")
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, BOOK_X)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_sample_loads_as_grey_in_unit_range(name):
    """Each sample is float32 (H, W) in [0, 1] with its longer side at most 512."""
    out = load_sample(name)
    assert out.ndim == 2 and out.dtype == np.float32 and max(out.shape) <= 512
    assert 0 <= out.min() <= out.max() <= 1 and out.max() > out.min()


def test_sample_files_are_small():
    """Every sample file stays under 150 kB."""
    for sample in SAMPLES.values():
        assert (samples.ASSETS_DIR / sample.file).stat().st_size < 150_000


def test_sample_max_side_scales_photos():
    """load_sample(..., max_side=128) scales the photo down."""
    assert load_sample("astronaut", max_side=128).shape == (128, 128)


def test_unknown_sample_lists_the_valid_names():
    """An unknown name raises ValueError listing every valid name."""
    with pytest.raises(ValueError, match=r"name must be one of book_bars, .*circle.*; got 'lena'"):
        load_sample("lena")


def test_committed_samples_match_their_script():
    """The PNGs in assets/ are exactly what assets/make_samples.py draws."""
    path = samples.ASSETS_DIR / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name in ("book_bars", "checkerboard", "diagonal_edge", "digit", "circle"):
        expected = np.rint(getattr(script, name)() * 255) / 255
        np.testing.assert_allclose(load_sample(name), expected, atol=1e-7, err_msg=name)


# --- export --------------------------------------------------------------------


def _png_grey(png: bytes) -> tuple[np.ndarray, Image.Image]:
    im = Image.open(io.BytesIO(png))
    return np.asarray(im), im


def test_png_maps_min_to_black_and_max_to_white():
    """By default the array's min is 0, its max 255, linear between."""
    grey, im = _png_grey(to_png_bytes([[-1.0, 0.0, 1.0]]))
    assert im.format == "PNG" and im.mode == "L"
    np.testing.assert_array_equal(grey, [[0, 128, 255]])


def test_png_clips_values_beyond_vmin_and_vmax():
    """vmin/vmax fix the mapping; values beyond them are clipped."""
    grey, _ = _png_grey(to_png_bytes([[-5.0, 0.0, 0.5, 5.0]], vmin=0, vmax=1))
    np.testing.assert_array_equal(grey, [[0, 0, 128, 255]])


def test_png_of_constant_array_is_mid_grey():
    """A constant array is mid grey (128) everywhere."""
    grey, _ = _png_grey(to_png_bytes(np.full((3, 3), 7.0)))
    np.testing.assert_array_equal(grey, 128)


def test_png_with_equal_limits_splits_at_that_value():
    """vmin == vmax: that value is mid grey, lower black, higher white."""
    grey, _ = _png_grey(to_png_bytes([[0.0, 1.0, 2.0]], vmin=1, vmax=1))
    np.testing.assert_array_equal(grey, [[0, 128, 255]])


def test_png_description_states_the_mapping():
    """The PNG's tEXt 'Description' is grey_mapping_note of the same mapping."""
    _, im = _png_grey(to_png_bytes([[-1.0, 1.0]]))
    assert im.text["Description"] == "black = -1.00, white = 1.00, linear"


def test_mapping_note_mentions_clipping_and_small_numbers():
    """The note says when values are clipped and shows tiny limits with significant digits."""
    assert grey_mapping_note([[0.0, 2.0]], vmax=1) == (
        "black = 0.00, white = 1.00, linear, values beyond clipped"
    )
    assert grey_mapping_note([[0.0, 0.0004]]) == "black = 0.00, white = 0.0004, linear"


@pytest.mark.parametrize(
    ("array", "kwargs", "error", "pattern"),
    [
        ([[np.nan, 1.0]], {}, ValueError, r"array contains NaN or infinity"),
        ([1.0, 2.0], {}, ValueError, r"array must be 2D and non-empty.*got shape \(2,\)"),
        (np.zeros((2, 2, 3)), {}, ValueError, r"got shape \(2, 2, 3\)"),
        ([["a", "b"]], {}, TypeError, r"array must hold real numbers"),
        ([[0.0, 1.0]], {"vmin": 2, "vmax": 1}, ValueError, r"vmin must not exceed vmax"),
        ([[0.0, 1.0]], {"vmin": "0"}, TypeError, r"vmin must be a real number or None; got '0'"),
        ([[0.0, 1.0]], {"vmax": np.inf}, ValueError, r"vmax must be finite; got inf"),
    ],
)
def test_png_refuses_what_it_cannot_draw(array, kwargs, error, pattern):
    """Non-finite, non-2D, non-numeric arrays and bad limits raise named errors."""
    with pytest.raises(error, match=pattern):
        to_png_bytes(array, **kwargs)


def test_csv_round_trip_is_exact_with_nine_digits():
    """float32 written with '%.9g' loads back bit for bit."""
    values = np.random.default_rng(1).normal(size=(5, 7)).astype(np.float32)
    back = np.loadtxt(io.BytesIO(to_csv_bytes(values, fmt="%.9g")), delimiter=",", ndmin=2)
    np.testing.assert_array_equal(back.astype(np.float32), values)


def test_csv_default_format_keeps_six_digits():
    """The default '%.6g' round-trips to six significant digits (relative error <= 5e-6)."""
    values = np.array([[1 / 3, -2e-5], [12345.678, 0]], dtype=np.float32)
    back = np.loadtxt(io.BytesIO(to_csv_bytes(values)), delimiter=",", ndmin=2)
    np.testing.assert_allclose(back, values, rtol=5e-6)


@pytest.mark.parametrize(
    ("array", "kwargs", "error", "pattern"),
    [
        ([1, 2, 3], {}, ValueError, r"to_csv_bytes: array must be 2D.*got shape \(3,\)"),
        (np.zeros((2, 2, 2)), {}, ValueError, r"got shape \(2, 2, 2\)"),
        ([[1, 2]], {"fmt": "%d,%d"}, ValueError, r"fmt must be one printf-style number format"),
    ],
)
def test_csv_refuses_other_shapes_and_formats(array, kwargs, error, pattern):
    """Non-2D arrays and bad formats raise errors naming the argument."""
    with pytest.raises(error, match=pattern):
        to_csv_bytes(array, **kwargs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16, np.bool_])
def test_npy_round_trip_keeps_values_and_dtype(dtype):
    """.npy bytes load back equal, dtype and shape kept."""
    values = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    back = np.load(io.BytesIO(to_npy_bytes(values)))
    assert back.dtype == values.dtype
    np.testing.assert_array_equal(back, values)


def test_npy_refuses_objects():
    """Object arrays would need pickle: TypeError naming the dtype."""
    with pytest.raises(TypeError, match=r"array must be numeric; got dtype object"):
        to_npy_bytes(np.array([{}, None], dtype=object))


# --- the modules themselves ------------------------------------------------------


@pytest.mark.parametrize("module", [loading, by_hand, colour, samples, export])
def test_docstring_examples_run(module):
    """The doctest examples in each module's docstrings pass."""
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("module", [loading, by_hand, colour, samples, export])
def test_modules_never_import_streamlit(module):
    """The compute modules stay free of streamlit."""
    assert "streamlit" not in Path(module.__file__).read_text()


def test_package_exports_resolve_to_their_modules():
    """Every images name playground/__init__.py promises is the one its module defines."""
    import playground

    homes = {
        loading: ["ImageError", "load_image", "load_image_rgb"],
        by_hand: ["canvas_to_array", "parse_matrix"],
        samples: ["SAMPLES", "load_sample"],
        export: ["to_png_bytes", "to_csv_bytes", "to_npy_bytes"],
    }
    for module, names in homes.items():
        for name in names:
            assert getattr(playground, name) is getattr(module, name)
