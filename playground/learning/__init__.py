"""Learning a kernel from data: TensorFlow's runtime, the learning loop and background runs.

- :mod:`~playground.learning.runtime`: the ONE place TensorFlow (and Keras) is
  imported and configured, through :func:`~playground.learning.runtime.load_tensorflow`.
- :mod:`~playground.learning.steps`: the compiled training steps.
- :mod:`~playground.learning.learn`: :func:`learn_kernel`, validated, one
  :class:`LearnStep` at a time, and :class:`LearnRequest`, its typed arguments.
- :mod:`~playground.learning.job` and :mod:`~playground.learning.manager`:
  one run on a background thread, and the server-wide queue of runs.
- :mod:`~playground.learning.problem`: the Learn page's training pair and settings.

Importing this package imports no TensorFlow: only the first step does.
"""
