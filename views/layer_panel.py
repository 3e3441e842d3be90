"""The layer's settings: padding, stride, dilation, bias and flip (the Layer group).

Their keys double as query-parameter names (``bind="query-params"``). Explore's
convolution view also sets the padding and the strides (``set_padding_and_stride``,
called in its callback), so the widgets and the link follow a change made there.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from playground.i18n import N_, _
from playground.settings import ConvSettings
from views.components.conv_view import PADDING_MODES

# the view's padding buttons set this select, so every one of them is a choice here
PADDING_CHOICES = (*PADDING_MODES, "explicit")
STRIDE_MAX = 4  # the stride sliders' top (and the convolution view's)


def settings_panel(kernel: np.ndarray, *, allow_flip: bool = True) -> ConvSettings:
    """Padding, stride, dilation, bias and flip -> ConvSettings."""
    mode = st.selectbox(
        _("Padding"),
        PADDING_CHOICES,
        key="pad",
        bind="query-params",
        help=_(
            "valid: no padding. same: TensorFlow's rule, output = ceil(input / stride). "
            "full: every overlap of kernel and input. explicit: choose each side."
        ),
    )
    padding: object = mode
    if mode == "explicit":
        cols = st.columns(4)
        sides = [
            col.number_input(_(label), 0, 8, 1, key=f"pad_{label[0].lower()}", bind="query-params")
            for col, label in zip(
                cols, (N_("Top"), N_("Bottom"), N_("Left"), N_("Right")), strict=True
            )
        ]
        padding = ((sides[0], sides[1]), (sides[2], sides[3]))
    c1, c2 = st.columns(2)
    strides = (
        c1.slider(_("Stride (rows)"), 1, STRIDE_MAX, 1, key="stride_h", bind="query-params"),
        c2.slider(_("Stride (columns)"), 1, STRIDE_MAX, 1, key="stride_w", bind="query-params"),
    )
    c3, c4 = st.columns(2)
    dilation = (
        c3.slider(_("Dilation (rows)"), 1, 4, 1, key="dil_h", bind="query-params"),
        c4.slider(_("Dilation (columns)"), 1, 4, 1, key="dil_w", bind="query-params"),
    )
    bias = st.number_input(_("Bias"), -10.0, 10.0, 0.0, 0.1, key="bias", bind="query-params")
    # a row of its own: in half the sidebar the label was cut to "Flip kern..."
    flip = allow_flip and st.checkbox(
        _("Flip kernel (true convolution)"),
        key="flip",
        bind="query-params",
        help=_(
            "Deep learning 'convolution' is cross-correlation; a mathematical convolution "
            "turns the kernel 180 degrees first."
        ),
    )
    return ConvSettings(
        kernel=kernel,
        strides=strides,
        padding=padding,
        dilation_rate=dilation,
        bias=bias,
        flip=flip,
    )


def padding_mode(settings: ConvSettings) -> str:
    """The padding select's value for these settings ("explicit" for per-side numbers)."""
    return settings.padding if isinstance(settings.padding, str) else "explicit"


def set_padding_and_stride(padding: str, strides: tuple[int, int]) -> None:
    """Move the padding select and the stride sliders (call in a callback: before they are
    drawn). Their links follow, as if the student had moved them."""
    st.session_state["pad"] = padding
    st.session_state["stride_h"], st.session_state["stride_w"] = strides
