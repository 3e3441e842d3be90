"""Getting pixels in and out: safe loading, drawn and typed inputs, samples, export.

- :mod:`~playground.images.loading`: the door every image file comes
  through (uploads above all), and :class:`~playground.images.loading.ImageError`.
- :mod:`~playground.images.by_hand`: a drawing canvas's pixels and a typed matrix.
- :mod:`~playground.images.drawn`: the drawing component's cells, resampled between grids.
- :mod:`~playground.images.samples`: the sample images a lesson starts from.
- :mod:`~playground.images.export`: PNG, CSV and .npy downloads.
- :mod:`~playground.images.colour`: greyscale and compositing rules they share.

The public names are also on ``playground`` itself (``playground.load_image``).
"""
