"""The Learn page's live output figure: y-hat, the target and their difference."""

from __future__ import annotations

import numpy as np

from playground.figures import learn_output as lo
from playground.trace import format_number


def test_before_a_step_the_output_is_blank_and_the_sentence_says_so():
    """No y-hat yet: blank panels, the target drawn, and the waiting sentence."""
    y = np.array([[0, 1, -1]], np.float32)
    fig = lo.output_figure(None, y)
    assert [a.text for a in fig.layout.annotations] == list(lo.TITLES)
    assert fig.data[0].text is None
    np.testing.assert_array_equal(fig.data[1].z, y)
    assert lo.output_sentence(None, y) == lo.WAITING


def test_the_difference_panel_is_y_hat_minus_y_on_the_targets_scale():
    """Difference = y-hat - y; all three panels use the target's bound."""
    y = np.array([[0, 2], [-2, 1]], np.float32)
    y_hat = np.array([[0.5, 2], [-1, 1]], np.float32)
    fig = lo.output_figure(y_hat, y)
    np.testing.assert_allclose(fig.data[2].z, y_hat - y)
    assert {(t.zmin, t.zmax) for t in fig.data} == {(-2.0, 2.0)}
    assert fig.data[0].text[0][0] == "0.5"


def test_large_maps_are_pictures():
    """A 48x48 target goes as images, not numbers."""
    y = np.random.default_rng(0).random((48, 48))
    fig = lo.output_figure(y, y)
    assert [t.type for t in fig.data] == ["image", "image", "scatter", "image", "scatter"]
    # each scatter only carries a colour bar: one under y-hat and y, one under the difference
    bars = [t.marker.colorbar for t in fig.data if t.type == "scatter"]
    assert [list(b.ticktext)[1] for b in bars] == [format_number(float(y.max())), "0"]


def test_output_sentence_gives_the_largest_and_average_gap():
    """Numbers, not adjectives: the largest and mean |y-hat - y|."""
    text = lo.output_sentence([[1.0, 2.0]], [[1.0, 1.5]])
    assert text == "Largest |ŷ − y| over the 2 output cells: 0.5; average 0.25."


def test_a_large_output_before_the_first_step_is_blank_not_black():
    """No y-hat yet on a 48x48 target: the picture is the pale 'nothing yet' colour."""
    import base64
    import io

    from PIL import Image

    fig = lo.output_figure(None, np.zeros((48, 48)))
    data = base64.b64decode(fig.data[0].source.split(",", 1)[1])
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert abs(int(pixels.mean()) - 240) < 4
