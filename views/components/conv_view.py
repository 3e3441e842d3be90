"""The convolution view in the browser: a thin wrapper around the component in conv_view/.

Python sends plain arrays and settings as one binary message per rerun
(``playground.figures.conv_view_data``) and gets plain events back. The input's
values travel once per session: the browser keeps them keyed by a content
digest, and asks again (the ``need_input`` event) if it ever lacks them.

The JavaScript is kept in small files (geometry, arithmetic, colours, the
message reader, drawing, the view), joined here in that order into one
module, comment-only lines dropped. Streamlit resends a component's ``js``
with every rerun, so the component registered here is only a small loader
(``loader.js`` with the message reader, ~1.5 kB); the view's module (~33 kB)
travels in the message once per session (the ``code`` section) and the
browser imports it once per page, keyed by its digest. A page that lacks it
asks again (the ``need_code`` event), as for the input.

On Explore the view also carries padding and stride controls (``layer=``): the
browser draws a change from its own arithmetic at once, then the ``layer``
event sets the page's widgets in a callback, and the rerun's output replaces
the browser's picture (docs/layout.md, "Explore's padding and stride on the view").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from playground.figures.conv_view_data import ViewInput, build_message, input_digest
from playground.i18n import N_, _
from views.components.assets import ship

ASSETS = Path(__file__).resolve().parent / "conv_view"
JS_FILES = ("geometry.js", "arithmetic.js", "colour.js", "message.js", "draw.js", "view.js")
SENT_INPUTS = "_conv_view_sent_inputs"  # digests this session has already sent to the browser
SENT_LIMIT = 6  # the browser keeps as many (view.js INPUT_CACHE_SIZE)

# the sentences the browser shows; translated where they are sent (conv_view())
LABELS = {
    "input_title": N_("Input"),
    "input_title_padded": N_("Input (padding hatched, input outlined)"),
    "kernel_title": N_("Kernel"),
    "kernel_title_flipped": N_("Kernel (turned 180°: flip is on)"),
    "output_title": N_("Output feature map"),
    "input_aria": N_("Padded input. Hover or tap a pixel to outline the output cells it feeds."),
    "output_aria": N_(
        "Output feature map. Hover or tap a cell, or use the arrow keys, to read how it is "
        "computed."
    ),
    "hint": N_(
        "Hover or tap an output cell: the window under the kernel is outlined and its "
        "arithmetic written here. Hover an input pixel: the output cells it feeds are outlined."
    ),
    "cell_caption": N_("Output row {row}, column {col}"),
    "step_caption": N_("Step {step} of {steps}: output row {row}, column {col}"),
    "sum": N_("sum of products = {value}"),
    "sum_with_bias": N_("sum of products {total} + bias {bias} = {value}"),
    "input_caption": N_("Input row {row}, column {col} = {value}. Output cells it feeds: {count}."),
    "padding_caption": N_(
        "Padding (row {row}, column {col}) holds 0. Output cells it feeds: {count}."
    ),
    "loading": N_("Loading the input…"),
    "first": N_("First"),
    "previous": N_("Previous"),
    "play": N_("Play"),
    "pause": N_("Pause"),
    "next": N_("Next"),
    "last": N_("Last"),
    "scrub": N_("Step"),
    "speed": N_("{speed} steps/s"),
    "speed_aria": N_("Speed in steps per second"),
    "step_count": N_("Step {step} of {steps}"),
    "layer_aria": N_("Padding and stride: the output changes as you choose"),
    "layer_padding": N_("Padding"),
    "layer_stride_rows": N_("Stride (rows)"),
    "layer_stride_cols": N_("Stride (columns)"),
}
PADDING_MODES = ("valid", "same", "full")  # the view's own buttons (explicit: the sidebar)


@dataclass(frozen=True)
class LayerChoice:
    """Padding and stride as chosen on the view: what a page writes into its own controls."""

    padding: str
    strides: tuple[int, int]


def read_layer_choice(value, stride_max: int) -> LayerChoice | None:
    """The view's ``layer`` event as a LayerChoice; None if it is not one the view could send.

    It comes from the browser, so nothing in it is trusted: a padding mode outside
    PADDING_MODES, or a stride that is not a whole number from 1 to ``stride_max``,
    makes the whole event void.
    """
    if not isinstance(value, Mapping):
        return None
    padding, strides = value.get("padding"), value.get("strides")
    if padding not in PADDING_MODES or not isinstance(strides, list | tuple) or len(strides) != 2:
        return None
    if not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= stride_max
               for s in strides):  # fmt: skip
        return None
    return LayerChoice(padding, (int(strides[0]), int(strides[1])))


@dataclass(frozen=True)
class ViewEvents:
    """What the browser reported: the window's 1-based step and whether it is playing."""

    step: int | None = None
    playing: bool = False


VIEW = ship("conv_view", ASSETS, [ASSETS / name for name in ("dom.js", *JS_FILES)])


def _forget_sent_inputs() -> None:
    """The browser lacks an input this session thought it had sent: send it again."""
    st.session_state[SENT_INPUTS] = []


def _needs_input(digest: str) -> bool:
    """True the first time a session shows an input; remembers the last few."""
    sent = [d for d in st.session_state.get(SENT_INPUTS, []) if d != digest]
    first_time = len(sent) == len(st.session_state.get(SENT_INPUTS, []))
    st.session_state[SENT_INPUTS] = [*sent, digest][-SENT_LIMIT:]
    return first_time


def _layer_callback(key: str, layer, on_layer):
    """The ``layer`` event's callback: the checked choice handed to ``on_layer``."""

    def changed() -> None:
        if layer is None or on_layer is None:
            return
        choice = read_layer_choice(st.session_state[key].get("layer"), layer[1])
        if choice is not None:
            on_layer(choice)

    return changed


def conv_view(
    *,
    key: str,
    x: np.ndarray,
    digest: str | None = None,
    kernel: np.ndarray,
    output: np.ndarray,
    pads,
    strides,
    dilation,
    bias: float = 0.0,
    contrast: str = "auto",
    flipped: bool = False,
    mode: str = "explore",
    step: int | None = None,
    speed: int = 5,
    transport: str = "full",
    labels: Mapping[str, str] | None = None,
    large: bool = False,
    layer: tuple[str, int] | None = None,
    on_layer: Callable[[LayerChoice], None] | None = None,
) -> ViewEvents:
    """Draw input, kernel and output with hover arithmetic; ``mode="window"`` adds playback.

    ``kernel`` is the kernel as applied (already turned when ``flipped``); ``step`` is
    the 1-based step the window page opens at; ``speed`` its first speed in steps/s;
    ``transport="play"`` shows only play/pause and speed (for a page with its own step
    buttons), ``"full"`` also first/previous/next/last and a scrubber. ``digest``: the
    input's ``input_digest``, when the page has it already (a 512-px photo's takes ~1 ms).

    ``layer=(padding mode, largest stride)`` puts padding and stride controls on the view
    (Explore): the browser draws a change at once, then ``on_layer`` receives it, in a
    callback before the rerun, to set the page's own controls (and so the link) to match.
    """
    texts = {**{name: _(text) for name, text in LABELS.items()}, **(labels or {})}
    texts["kernel_title"] = texts["kernel_title_flipped"] if flipped else texts["kernel_title"]
    extra = {
        "mode": mode,
        "labels": texts,
        "speed": int(speed),
        "transport": transport,
        "code_digest": VIEW.digest,
    }
    if large:
        extra["large"] = True
    if step is not None:
        extra["step"] = int(step)
    if layer is not None:
        extra["layer"] = {"padding": layer[0], "stride_max": int(layer[1])}
    view = ViewInput(
        x=x,
        kernel=kernel,
        output=output,
        pads=pads,
        strides=strides,
        dilation=dilation,
        bias=bias,
        contrast=contrast,
        extra=extra,
    )
    message = build_message(
        view,
        include_input=_needs_input(digest or input_digest(x)),
        code=VIEW.code_to_send(),
    )
    result = VIEW.render(
        key=key,
        data=message,
        on_need_code_change=VIEW.forget_code,
        on_need_input_change=_forget_sent_inputs,
        on_player_change=lambda: None,
        on_layer_change=_layer_callback(key, layer, on_layer),
    )
    player = result.get("player") or {}
    reported = player.get("step")
    return ViewEvents(
        step=int(reported) if isinstance(reported, int | float) else None,
        playing=bool(player.get("playing", False)),
    )
