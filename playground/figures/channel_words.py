"""What the Channels page says: preset titles, shapes with their numbers, a cell's arithmetic.

Sentences only (no Plotly), so the figures and the page share them.
"""

from __future__ import annotations

from collections.abc import Sequence

from playground.channels import ChannelCell, ChannelConv, MatmulCheck, channel_cell
from playground.i18n import N_, _
from playground.trace import format_number

RGB_NAMES = ("R", "G", "B")

# the keys travel in links; the titles are marked, shown as _(title)
STACK_TITLES = {
    "book": N_("The book's K + c (2×2)"),
    "edges_red": N_("Edges in red only (Sobel on R)"),
    "grey_edges": N_("Edges of the grey image (Sobel × 0.299, 0.587, 0.114)"),
    "red_minus_green": N_("Red minus green (1×1 in a 3×3)"),
    "green_only": N_("Green only (copies G)"),
    "blur": N_("Blur of every channel, averaged"),
    "custom": N_("Typed by hand"),
}
MIX_TITLES = {
    "grey": N_("Colour → grey (0.299, 0.587, 0.114)"),
    "swap_rb": N_("Swap the first and last channel (R ↔ B)"),
    "average": N_("Average of the channels"),
}


def channel_names(count: int) -> tuple[str, ...]:
    """R, G, B for three channels; 'channel 1', 'channel 2', ... otherwise."""
    if count == 3:
        return RGB_NAMES
    return tuple(f"channel {c + 1}" for c in range(count))


def shape_text(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(int(n)) for n in shape) + ")"


def shapes_sentence(conv: ChannelConv) -> str:
    """Input, kernel tensor and output shapes, each axis named once."""
    h, w, c_in = conv.x.shape
    kh, kw, _c_in, c_out = conv.kernel_shape
    oh, ow, _c_out = conv.output_shape
    return _(
        "Input (H, W, C_in) = {input} · kernel tensor (kh, kw, C_in, C_out) = {kernel} · "
        "output (OH, OW, C_out) = {output}"
    ).format(
        input=shape_text((h, w, c_in)),
        kernel=shape_text((kh, kw, c_in, c_out)),
        output=shape_text((oh, ow, c_out)),
    )


def weights_sentence(conv: ChannelConv) -> str:
    kh, kw, c_in, c_out = conv.kernel_shape
    total = kh * kw * c_in * c_out
    if c_out == 1:
        sentence = _(
            "{kh}×{kw}×{c_in}×{c_out} = {total} weights and {c_out} bias: each output channel "
            "has its own stack of {c_in} kernels of {kh}×{kw}, one per input channel."
        )
    else:
        sentence = _(
            "{kh}×{kw}×{c_in}×{c_out} = {total} weights and {c_out} biases: each output channel "
            "has its own stack of {c_in} kernels of {kh}×{kw}, one per input channel."
        )
    return sentence.format(kh=kh, kw=kw, c_in=c_in, c_out=c_out, total=total)


def cell_sum_text(
    conv: ChannelConv, out_index: tuple[int, int], out_channel: int, names: Sequence[str]
) -> str:
    """``R: 1.2 + G: -0.3 + B: 0 + b 0.5 = 1.4`` for one cell (each channel's sum of products)."""
    return sum_line(channel_cell(conv, out_index, out_channel), names)


def sum_line(cell: ChannelCell, names: Sequence[str]) -> str:
    parts = [f"{name}: {format_number(s)}" for name, s in zip(names, cell.sums, strict=True)]
    return " + ".join([*parts, f"b {format_number(cell.bias)}"]) + f" = {format_number(cell.value)}"


def channel_lines(cell: ChannelCell, names: Sequence[str]) -> list[str]:
    """Each channel's multiply-and-add, one line per input channel."""
    return [f"{name}: {trace.equation()}" for name, trace in zip(names, cell.traces, strict=True)]


def cell_caption(cell: ChannelCell) -> str:
    i, j = cell.out_index
    return _("Output channel {channel}, row {row}, column {col}:").format(
        channel=cell.out_channel + 1, row=i, col=j
    )


def matmul_sentence(check: MatmulCheck) -> str:
    """The 1x1 convolution against the matrix multiply, with the numbers."""
    h, w, c_out = check.by_conv.shape
    c_in = check.weights.shape[0]
    if check.equal:
        sentence = _(
            "1×1 convolution with a kernel of shape (1, 1, {c_in}, {c_out}) and the matrix "
            "multiply X.reshape({hw}, {c_in}) @ W ({c_in}×{c_out}), reshaped to "
            "({h}, {w}, {c_out}): equal, largest difference {difference}."
        )
    else:
        sentence = _(
            "1×1 convolution with a kernel of shape (1, 1, {c_in}, {c_out}) and the matrix "
            "multiply X.reshape({hw}, {c_in}) @ W ({c_in}×{c_out}), reshaped to "
            "({h}, {w}, {c_out}): NOT equal, largest difference {difference}."
        )
    return sentence.format(
        c_in=c_in,
        c_out=c_out,
        hw=h * w,
        h=h,
        w=w,
        difference=format_number(check.max_difference),
    )


def layouts_sentence(stack) -> str:
    """The book's (C_out, C_in, kh, kw) stack and the same in Keras' (kh, kw, C_in, C_out)."""
    c_out, c_in, kh, kw = stack.shape
    return _(
        "The book's stack K, K + 1, K + 2 has shape {book} in the book's layout "
        "(C_out, C_in, kh, kw), and {keras} in Keras' layout (kh, kw, C_in, C_out)."
    ).format(book=shape_text(stack.shape), keras=shape_text((kh, kw, c_in, c_out)))
