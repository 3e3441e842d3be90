"""Convolution Playground's compute package: pure numpy/TensorFlow/Pillow/Plotly.

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

# public name -> submodule that defines it
_EXPORTS = {
    # conv.py
    "corr2d": "conv",
    "conv2d": "conv",
    "pad2d": "conv",
    "pool2d": "conv",
    # shapes.py
    "output_shape": "shapes",
    "padding_amounts": "shapes",
    "LayerSpec": "shapes",
    "receptive_field": "shapes",
    "stack_shapes": "shapes",
    # trace.py
    "WindowTrace": "trace",
    "trace_cell": "trace",
    "trace_steps": "trace",
    # kernels.py
    "KERNELS": "kernels",
    "KernelPreset": "kernels",
    "get_kernel": "kernels",
    # images.py
    "ImageError": "images",
    "load_image": "images",
    "load_image_rgb": "images",
    "canvas_to_array": "inputs",
    "parse_matrix": "inputs",
    "SAMPLES": "images",
    "load_sample": "images",
    "to_png_bytes": "images",
    "to_csv_bytes": "images",
    "to_npy_bytes": "images",
    # learn.py (imports TensorFlow lazily, on first use)
    "LearnStep": "learn",
    "Diverged": "learn",
    "learn_kernel": "learn",
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
