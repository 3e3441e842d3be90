"""The book's worked numbers for the Channels and Pooling pages, computed with the playground.

Each example is the book's input and setting, what the playground computes
for it, and the output the book prints (D2L 5.3 and 5.4). The words about
them live in :mod:`playground.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.book.inputs import k2, x3, x16
from playground.channels import channel_conv, conv1x1_check
from playground.pooling import pool2d

__all__ = [
    "BookExample",
    "book_kernel_stack",
    "channel_examples",
    "pool_examples",
]


@dataclass(frozen=True)
class BookExample:
    """One example: its key, the playground's result and the book's printed numbers."""

    key: str
    computed: np.ndarray
    expected: np.ndarray

    @property
    def matches(self) -> bool:
        return self.computed.shape == self.expected.shape and bool(
            np.allclose(self.computed, self.expected, atol=1e-4)
        )


def _f32(values) -> np.ndarray:
    return np.asarray(values, np.float32)


def pool_examples() -> tuple[BookExample, ...]:
    """5.4: max and average 2x2 on 0..8; 3x3 stride 2 on 0..15 padded; two channels."""
    two = np.stack([x16(), x16() + 1], axis=-1)
    pooled = pool2d(two, 3, strides=2, padding="same")
    return (
        BookExample("max_2x2", pool2d(x3(), 2, strides=1), _f32([[4, 5], [7, 8]])),
        BookExample("avg_2x2", pool2d(x3(), 2, strides=1, mode="avg"), _f32([[2, 3], [5, 6]])),
        BookExample(
            "pad1_stride2", pool2d(x16(), 3, strides=2, padding=1), _f32([[5, 7], [13, 15]])
        ),
        BookExample(
            "same_stride2", pool2d(x16(), 3, strides=2, padding="same"), _f32([[10, 11], [14, 15]])
        ),
        BookExample("channel_1", pooled[:, :, 0], _f32([[10, 11], [14, 15]])),
        BookExample("channel_2", pooled[:, :, 1], _f32([[11, 12], [15, 16]])),
    )


def book_kernel_stack() -> np.ndarray:
    """The book's three-output stack K, K + 1, K + 2 in its layout (C_out, C_in, kh, kw)."""
    K = np.stack([k2(), k2() + 1])
    return np.stack([K, K + 1, K + 2])


def channel_examples(seed: int = 0) -> tuple[BookExample, ...]:
    """5.3: the two-channel example, the three-output stack, and 1x1 as a matrix multiply."""
    X = np.stack([x3(), x3() + 1], axis=-1)  # channels last: (3, 3, 2)
    K = np.stack([k2(), k2() + 1], axis=-1)  # (2, 2, 2)
    one = channel_conv(X, K[..., None]).output[:, :, 0]
    # the book's (C_out, C_in, kh, kw) stack, moved to Keras' (kh, kw, C_in, C_out)
    stack = np.transpose(book_kernel_stack(), (2, 3, 1, 0))
    three = np.moveaxis(channel_conv(X, stack).output, -1, 0)
    rng = np.random.default_rng(seed)
    check = conv1x1_check(rng.normal(size=(3, 3, 3)), rng.normal(size=(3, 2)))
    return (
        BookExample("two_channels", one, _f32([[56, 72], [104, 120]])),
        BookExample(
            "three_outputs",
            three,
            _f32([[[56, 72], [104, 120]], [[76, 100], [148, 172]], [[96, 128], [192, 224]]]),
        ),
        BookExample("conv_1x1", check.by_conv, check.by_matmul),
    )
