"""A reconnected browser's first change reruns the whole page, not a fragment it never ran.

When a browser's socket closes (a lecture-hall replica died, the server
restarted), it reconnects to a new session and keeps its page as it was. Its
next widget change inside an ``st.fragment`` (Explore's stride, padding,
kernel...) asks that new session to rerun the fragment, which the session
never ran: Streamlit 1.67 ignores such a request (``AppSession.request_rerun``
drops a rerun of a fragment it does not hold), and the page would not answer
until reloaded. A session that has never registered a fragment turns the
request into a full run with the browser's widget values: what the page did
before it had fragments. A session that has run its page keeps Streamlit's
rule (a fragment dropped by a full run is ignored, as before).
"""

from __future__ import annotations

from streamlit.runtime.app_session import AppSession

_PATCHED = "_playground_fresh_session"


def install() -> None:
    """Patch ``AppSession.request_rerun`` once per process (idempotent)."""
    original = AppSession.request_rerun
    if getattr(original, _PATCHED, False):
        return

    def request_rerun(self, client_state):
        if client_state is not None and _fragment_of_a_page_never_run(self, client_state):
            full = type(client_state)()
            full.CopyFrom(client_state)
            full.ClearField("fragment_id")
            full.is_auto_rerun = False
            client_state = full
        return original(self, client_state)

    setattr(request_rerun, _PATCHED, True)
    AppSession.request_rerun = request_rerun


def _fragment_of_a_page_never_run(session, client_state) -> bool:
    fragment_id = client_state.fragment_id
    if not fragment_id or session.has_fragment(fragment_id):
        return False
    # no fragment ever registered: this session has not run a page with fragments yet
    return session._fragment_storage.registration_sequence() == 0
