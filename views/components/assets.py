"""What the browser components share: their JavaScript bundles, sent once per session.

Streamlit resends a component's ``js`` with every rerun, so each component
registers only a small loader (``conv_view/message.js`` + ``loader.js``) and
sends its real module inside its data the first time a session shows it
(:meth:`ShippedComponent.code_to_send`); when the page reports it lacks the
module (a reload, a reconnect to another replica), the component's
``need_code`` callback calls :meth:`ShippedComponent.forget_code` and the
next run sends it again. :func:`ship` registers a component that way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
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


LOADER = joined_js(LOADER_FILES)  # what Streamlit sends with every rerun of every component


@dataclass(frozen=True)
class ShippedComponent:
    """A registered component (``render``) whose real module travels in its data, once."""

    render: Callable
    code: bytes
    digest: str
    sent_key: str  # session state: the digest of the module this session has sent

    def code_to_send(self) -> bytes | None:
        """The module the first time a session shows the component (and after the page asked
        again), else None."""
        first_time = st.session_state.get(self.sent_key) != self.digest
        st.session_state[self.sent_key] = self.digest
        return self.code if first_time else None

    def forget_code(self) -> None:
        """The page lacks the module this session thought it had sent: send it again."""
        st.session_state[self.sent_key] = None


def ship(name: str, folder: Path, code_files) -> ShippedComponent:
    """Register ``convolution_playground.<name>`` (``<name>.html``/``.css`` in ``folder``) with
    the shared loader; ``code_files`` are joined into the module sent once per session."""
    code = joined_js(code_files).encode()
    render = st.components.v2.component(
        f"convolution_playground.{name}",
        html=read_asset(folder / f"{name}.html"),
        css=read_asset(folder / f"{name}.css"),
        js=LOADER,
    )
    return ShippedComponent(
        render=render,
        code=code,
        digest=hashlib.blake2b(code, digest_size=8).hexdigest(),
        sent_key=f"_{name}_sent_code",
    )
