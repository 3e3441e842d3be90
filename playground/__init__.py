"""Convolution Playground's compute package: numbers in, numbers out, no streamlit.

Layers import only downward: ``views/`` (Streamlit pages) ->
:mod:`playground.figures` (Plotly figures and the sentences pages show) ->
the compute modules here (numpy, OpenCV, Pillow, TensorFlow for learning).

Public names load lazily (PEP 562) so that ``import playground`` stays cheap:
TensorFlow is only imported when something that needs it (learning, lessons)
is first touched, and the first page of the app never waits for it.

>>> import playground
>>> playground.corr2d([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1], [2, 3]])
array([[19., 25.],
       [37., 43.]], dtype=float32)
"""

from __future__ import annotations

import importlib

# public name -> the module (under playground.) that defines it
_EXPORTS = {
    "corr2d": "conv",
    "conv2d": "conv",
    "pad2d": "conv",
    "pool2d": "pooling",
    "output_shape": "shapes",
    "padding_amounts": "shapes",
    "LayerSpec": "shapes",
    "stack_shapes": "shapes",
    "receptive_field": "receptive",
    "WindowTrace": "trace",
    "trace_cell": "trace",
    "trace_steps": "trace",
    "KERNELS": "kernels",
    "KernelPreset": "kernels",
    "get_kernel": "kernels",
    "ImageError": "images.loading",
    "load_image": "images.loading",
    "load_image_rgb": "images.loading",
    "canvas_to_array": "images.by_hand",
    "parse_matrix": "images.by_hand",
    "SAMPLES": "images.samples",
    "load_sample": "images.samples",
    "to_png_bytes": "images.export",
    "to_csv_bytes": "images.export",
    "to_npy_bytes": "images.export",
    # imports TensorFlow lazily, on the first step
    "LearnStep": "learning.learn",
    "Diverged": "learning.learn",
    "learn_kernel": "learning.learn",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module_name = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'playground' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"playground.{module_name}"), name)
    globals()[name] = value  # cache: later lookups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
