"""The view's JavaScript travels once per session; every rerun sends only a small loader."""

from __future__ import annotations

from playground.figures.conv_view_data import unpack
from tests.page_harness import page_app
from views.components import assets, conv_view


def _message(at) -> tuple[dict, dict]:
    (view,) = at.get("bidi_component")
    return unpack(view.proto.bytes)


def test_only_the_first_message_of_a_session_carries_the_code():
    """The first run sends the module; a rerun names it by digest; a lost copy is resent."""
    at = page_app("window").run()
    header, sections = _message(at)
    assert header["code_digest"] == conv_view.VIEW.digest
    assert sections["code"] == conv_view.VIEW.code
    at.run()
    header, sections = _message(at)
    assert header["code_digest"] == conv_view.VIEW.digest
    assert "code" not in sections
    at.session_state[conv_view.VIEW.sent_key] = None  # what the need_code callback does
    at.run()
    assert _message(at)[1]["code"] == conv_view.VIEW.code


def test_the_component_itself_is_only_the_loader():
    """What Streamlit resends with every rerun is the loader, not the 33 kB module."""
    at = page_app("window").run()
    (view,) = at.get("bidi_component")
    assert view.proto.js_content == assets.LOADER
    assert len(view.proto.js_content) < 3_000 < 30_000 < len(conv_view.VIEW.code)
    assert "export default" in conv_view.VIEW.code.decode()
