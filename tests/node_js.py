"""Run the components' pure JavaScript in node: the browser files, then a runner reading cases.

The runner reads a JSON list of cases on stdin and writes its JSON answer on
stdout. Tests that use it skip when node is not installed (``NODE`` is None):
tests/e2e checks the same code in Chromium.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

NODE = shutil.which("node")

# the start of every runner: the cases, from stdin
READ_CASES = """
const fs = require("fs");
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
"""


def run_js(files: list[Path], runner: str, cases: list[dict]) -> list:
    """``files`` joined, then ``runner`` (which finds ``cases`` defined): its JSON output."""
    source = "\n".join(path.read_text() for path in files)
    done = subprocess.run(
        [NODE, "-e", source + READ_CASES + runner],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)
