"""What the browser components share: their JavaScript bundles, sent once per session.

Streamlit resends a component's ``js`` with every rerun, so each component
registers only a small loader (``conv_view/message.js`` + ``loader.js``) and
sends its real module inside its data the first time a session shows it
(:func:`needs_code`); when the page reports it lacks the module (a reload, a
reconnect to another replica), the component's ``need_code`` callback calls
:func:`forget_code` and the next run sends it again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
SHARED = HERE / "conv_view"  # the loader, the message format and the DOM helpers live here
LOADER_FILES = (SHARED / "message.js", SHARED / "loader.js")


def read_asset(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def joined_js(paths) -> str:
    """The files as one script, without blank lines and line comments (fewer bytes)."""
    lines = []
    for path in paths:
        for line in read_asset(path).splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("//"):
                lines.append(stripped)
    return "\n".join(lines)


def code_digest(code: bytes) -> str:
    return hashlib.blake2b(code, digest_size=8).hexdigest()


def needs_code(key: str, digest: str) -> bool:
    """True the first time a session shows the component (and after the page asked again)."""
    first_time = st.session_state.get(key) != digest
    st.session_state[key] = digest
    return first_time


def forget_code(key: str) -> None:
    """The page lacks the code this session thought it had sent: send it again."""
    st.session_state[key] = None
