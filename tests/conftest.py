"""Shared pytest setup: the repo root on sys.path and Hypothesis profiles."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import settings

REPO_ROOT = Path(__file__).resolve().parents[1]
# pyproject.toml has no `pythonpath` setting, and pytest's default rootdir
# handling only puts tests/ on sys.path: without this `import playground` fails.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# deadline=None: TensorFlow's first call of each op/shape is slow (tracing,
# oneDNN kernel selection), which Hypothesis would otherwise report as flaky.
settings.register_profile("ci", deadline=None, max_examples=60, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
