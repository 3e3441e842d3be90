"""The view's padding/stride event: only a choice the view could have sent is taken."""

from __future__ import annotations

import pytest

from views.components.conv_view import LayerChoice, read_layer_choice


def test_a_well_formed_event_becomes_a_choice():
    event = {"padding": "same", "strides": [2, 4]}
    assert read_layer_choice(event, stride_max=4) == LayerChoice("same", (2, 4))


@pytest.mark.parametrize(
    "event",
    [
        None,
        "same",
        {"padding": "explicit", "strides": [1, 1]},  # explicit sides are the sidebar's
        {"padding": "valid", "strides": [0, 1]},
        {"padding": "valid", "strides": [1, 5]},  # beyond the sliders' top
        {"padding": "valid", "strides": [1.5, 1]},
        {"padding": "valid", "strides": [True, 1]},
        {"padding": "valid", "strides": [1]},
        {"padding": "valid"},
    ],
)
def test_anything_else_from_the_browser_is_ignored(event):
    assert read_layer_choice(event, stride_max=4) is None
