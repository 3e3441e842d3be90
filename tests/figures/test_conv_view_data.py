"""The binary message the browser view receives: layout, what it carries, and its size."""

from __future__ import annotations

import numpy as np
import pytest

import playground
from playground.figures.conv_view_data import (
    FLOAT_OUTPUT_MAX_CELLS,
    ViewInput,
    build_message,
    input_digest,
    pack,
    unpack,
)


def _view(x, kernel=((1.0, -1.0),), **settings) -> ViewInput:
    x = np.asarray(x, np.float32)
    kernel = np.asarray(kernel, np.float32)
    output = playground.conv2d(x, kernel)
    return ViewInput(x, kernel, output, ((0, 0), (0, 0)), (1, 1), (1, 1), **settings)


def test_pack_and_unpack_round_trip_with_aligned_sections():
    """Sections come back byte for byte, each starting on a 4-byte boundary."""
    message = pack({"a": 1}, {"one": b"xyz", "two": b"\x01\x02\x03\x04\x05"})
    header, sections = unpack(message)
    assert header == {"a": 1}
    assert sections == {"one": b"xyz", "two": b"\x01\x02\x03\x04\x05"}
    (length,) = np.frombuffer(message[4:8], "<u4")
    assert (8 + length) % 4 == 0


def test_input_values_travel_only_when_asked_for():
    """Without include_input the message names the input by digest and carries no values."""
    x = np.arange(48, dtype=np.float32).reshape(6, 8)
    with_input = unpack(build_message(_view(x), include_input=True))
    without = unpack(build_message(_view(x), include_input=False))
    assert np.array_equal(np.frombuffer(with_input[1]["input"], np.float32).reshape(6, 8), x)
    assert "input" not in without[1]
    assert without[0]["input"]["digest"] == input_digest(x)


def test_digest_changes_with_values_and_shape():
    """The same numbers in another shape, or one changed value, are another input."""
    x = np.arange(12, dtype=np.float32)
    assert input_digest(x.reshape(3, 4)) != input_digest(x.reshape(4, 3))
    changed = x.copy()
    changed[5] += 1e-6
    assert input_digest(changed.reshape(3, 4)) != input_digest(x.reshape(3, 4))


def test_kernel_and_bias_are_the_exact_float32_values():
    """1/9 reaches the browser as the float32 conv2d used, not a rounded decimal."""
    kernel = np.full((3, 3), 1 / 9, np.float32)
    header, _ = unpack(build_message(_view(np.ones((5, 5)), kernel, bias=0.1), include_input=False))
    assert np.array_equal(np.float32(header["kernel"]["values"]), kernel.ravel())
    assert header["bias"] == 0.1


def test_small_outputs_are_exact_float32():
    """A grid small enough to write its numbers carries conv2d's values exactly."""
    view = _view(np.random.default_rng(0).random((6, 8)))
    header, sections = unpack(build_message(view, include_input=False))
    assert header["output"]["encoding"] == "float32"
    assert np.array_equal(np.frombuffer(sections["output"], np.float32), view.output.ravel())


def test_a_512_photo_output_is_a_compact_picture():
    """The 512-px photo's Laplacian travels as a JPEG of colour codes well under 200 kB."""
    x = playground.load_sample("astronaut", max_side=512)
    kernel = playground.KERNELS["laplacian"].weights
    output = playground.conv2d(x, kernel)
    assert output.size > FLOAT_OUTPUT_MAX_CELLS
    view = ViewInput(x, kernel, output, ((0, 0), (0, 0)), (1, 1), (1, 1))
    message = build_message(view, include_input=False)
    header, sections = unpack(message)
    assert header["output"]["encoding"] == "jpeg-codes"
    assert sections["output"][:2] == b"\xff\xd8"
    assert len(message) < 150_000


def test_scales_follow_the_colour_convention():
    """The edge kernel's maps are diverging; a non-negative input is sequential."""
    header, _ = unpack(build_message(_view(np.ones((4, 4))), include_input=False))
    assert header["kernel"]["scale"]["kind"] == "diverging"
    assert header["input"]["scale"]["kind"] == "sequential"


def test_extra_fields_pass_through():
    """Mode, step and labels reach the browser unchanged."""
    view = _view(np.ones((4, 4)), extra={"mode": "window", "step": 3, "labels": {"a": "b"}})
    header, _ = unpack(build_message(view, include_input=False))
    assert (header["mode"], header["step"], header["labels"]) == ("window", 3, {"a": "b"})


def test_colour_images_are_refused_with_a_sentence():
    """The view draws one channel; a 3-channel input is named in the error."""
    x = np.ones((4, 4, 3), np.float32)
    view = ViewInput(x, np.ones((2, 2)), np.ones((3, 3)), ((0, 0), (0, 0)), (1, 1), (1, 1))
    with pytest.raises(ValueError, match=r"one channel.*\(4, 4, 3\)"):
        build_message(view, include_input=True)


def test_unpack_refuses_other_bytes():
    """Bytes that are not a view message are named, not misread."""
    with pytest.raises(ValueError, match="Not a convolution-view message"):
        unpack(b"PNG\x00rest")


def test_the_views_code_travels_only_when_given():
    """The code section carries the module byte for byte; without ``code`` there is none."""
    x = np.ones((4, 4), np.float32)
    code = b"export default function () {}\n"
    _, with_code = unpack(build_message(_view(x), include_input=False, code=code))
    _, without = unpack(build_message(_view(x), include_input=False))
    assert with_code["code"] == code
    assert "code" not in without
