"""A browserless Streamlit client: the app's own websocket protocol, driven from asyncio.

It does what the frontend (``App.tsx``) does, as far as a load test needs:

- connects to ``ws://HOST:PORT/_stcore/stream`` with the ``streamlit``
  subprotocol and sends a ``rerun_script`` BackMsg: the first one names the
  page by its URL path (``page_name``) and carries the query string, later
  ones the page's script hash, the query string the server last set (bound
  widgets write it) and the widgets' values;
- learns widget ids from the deltas (``$$ID-<hash>-<user key>``), so a widget
  is changed by its ``key=``;
- keeps ``st.fragment(run_every=...)`` timers alive (``auto_rerun``): a page
  that polls a training job only sees its heartbeat while they tick;
- reruns only the fragment a changed widget lives in (``st.fragment``), as the
  browser does: the widget's fragment comes with its delta (``fragment_id``);
- uploads files as ``st.file_uploader`` does: ``file_urls_request``, an HTTP
  PUT to ``/_stcore/upload_file/{session}/{file}`` with the XSRF cookie, then
  the uploader's widget state;
- keeps cookies as a browser does (``cookies``, a dict that may be shared by
  the tabs of one browser and kept across reconnects): the XSRF cookie and,
  behind the lecture hall's HAProxy, its affinity cookie, sent with the
  websocket handshake, every upload and every media request, so all of a
  student's requests reach the replica that holds the session;
- clicks a download button as the browser does: a deferred one (the data
  is a callable) first asks over the websocket for its file
  (``backend_operation_request``, answered with a ``/media/...`` URL), then
  GETs the file; every HTTP answer to uploads and media is counted by status
  (``http``);
- times each rerun from the BackMsg to its ``script_finished`` and collects
  what a student would see as a failure: exception elements, ``st.error``
  alerts, a closed socket, a run that never finishes.

Used by ``benchmarks/classroom_load.py`` and ``tests/test_load_client.py``.
Everything it opens is on the loopback address it is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from deploy.haproxy_config import COOKIE as AFFINITY_COOKIE
from deploy.haproxy_config import SERVED_BY

# The sentence views/common.py shows instead of a traceback: an exception the
# page caught is still an exception box for this test.
FALLBACK_ERROR_PREFIX = "Something went wrong"
_KEY_RE = re.compile(r"^\$\$ID-[0-9a-f]+-(.*)$")
FULL_RUN_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
XSRF_COOKIE = "_streamlit_xsrf"
REPO_ROOT = Path(__file__).resolve().parents[1]


class ClientError(RuntimeError):
    """The server did not answer as a browser would expect (closed, timed out, refused)."""


@dataclass
class Widget:
    """A widget seen in the last full run: its id, element type and proto."""

    id: str
    key: str | None
    kind: str  # the Element oneof name: "slider", "selectbox", "button", ...
    proto: Any

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "")

    @property
    def options(self) -> list[str]:
        return list(getattr(self.proto, "options", []))


@dataclass
class RunResult:
    """One full script run as the student saw it."""

    latency: float  # seconds from the BackMsg to script_finished
    ok: bool  # finished (not timed out, socket not closed)
    exceptions: list[str] = field(default_factory=list)  # exception boxes
    errors: list[str] = field(default_factory=list)  # other st.error alerts
    nbytes: int = 0  # ForwardMsg bytes received for this run
    problem: str = ""  # why ok is False
    # the server never sent this run's script_finished (Streamlit race, see
    # _handle_finished); it counts as done when the next fragment run finished
    lost_finish: bool = False
    fragment_id: str = ""  # the fragment that reran ("" when the whole page ran)


@dataclass
class _Run:
    """What arrives between a full run's new_session and its script_finished."""

    sent: float
    started: bool = False
    run_id: str = ""
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    nbytes: int = 0
    done: asyncio.Future | None = None
    lost_finish: bool = False
    fragment_id: str = ""  # a fragment run a widget change asked for ("" a full run)


def widget_key(widget_id: str) -> str | None:
    """The user ``key=`` a widget id ends with, or None for a keyless widget."""
    match = _KEY_RE.match(widget_id)
    key = match.group(1) if match else None
    return None if key in (None, "None") else key


def encode_value(widget: Widget, value: Any) -> WidgetState:
    """A WidgetState carrying ``value`` the way the frontend sends it for this widget."""
    state = WidgetState(id=widget.id)
    kind, proto = widget.kind, widget.proto
    if kind == "slider":
        values = value if isinstance(value, list | tuple) else [value]
        if proto.options:  # st.select_slider: the formatted options
            _check_options(widget, [str(v) for v in values])
            state.string_array_value.data.extend(str(v) for v in values)
        else:
            state.double_array_value.data.extend(float(v) for v in values)
    elif kind in ("selectbox", "radio"):
        _check_options(widget, [str(value)])
        state.string_value = str(value)
    elif kind in ("multiselect", "button_group"):
        _check_options(widget, [str(v) for v in value])
        state.string_array_value.data.extend(str(v) for v in value)
    elif kind == "checkbox":
        state.bool_value = bool(value)
    elif kind == "number_input":
        if proto.data_type == proto.INT:
            state.int_value = int(value)
        else:
            state.double_value = float(value)
    elif kind in ("text_area", "text_input"):
        state.string_value = str(value)
    elif kind in ("button", "download_button"):
        state.trigger_value = True
    else:
        raise ValueError(f"Widget kind {kind!r} (key {widget.key!r}) is not supported here.")
    return state


def _check_options(widget: Widget, values: list[str]) -> None:
    missing = [v for v in values if v not in widget.options]
    if missing:
        raise ValueError(
            f"{missing} is not an option of widget {widget.key!r}; options: {widget.options}."
        )


class StreamlitClient:
    """One student's tab: a websocket session with the app, driven by widget keys.

    Parameters
    ----------
    host, port : where the app (or the lecture hall's balancer) listens, on loopback.
    timeout : seconds a run may take before it counts as failed.
    cookies : the browser's cookie jar (name -> value); pass the same dict to a
        new client to reconnect as that browser would, with its cookies.
    """

    def __init__(self, host: str, port: int, *, timeout: float = 60.0, cookies: dict | None = None):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {} if cookies is None else cookies
        self.http: Counter = Counter()  # (kind, HTTP status) -> answers; kind upload/media
        # (kind, session's replica, replica that answered) for answers from another
        # replica than the one holding this tab's session (X-Served-By header)
        self.misrouted: Counter = Counter()
        self.session_replica = ""  # where the websocket (the session) went, behind a balancer
        self.routed = 0  # answers that carried X-Served-By at all
        # download button key (or id) -> its media URL, or "deferred:<file id>"
        self.downloads: dict[str, str] = {}
        self._operations: dict[str, asyncio.Future] = {}  # backend operation requests
        self.session_id = ""
        self.page_hash = ""
        self.query_string = ""
        self.widgets: dict[str, Widget] = {}  # by key (keyless ones by id)
        self.texts: dict[tuple[int, ...], str] = {}  # delta path -> text shown there
        self.fragment_latencies: list[float] = []  # poll sent -> fragment run finished
        self.fragment_interrupted = 0  # fragment runs stopped by the next poll
        self._fragment_cut = False
        self._recent: deque[str] = deque(maxlen=12)
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.closed_reason = ""
        self._values: dict[str, WidgetState] = {}  # widget id -> last value sent
        self._known: dict[str, Widget] = {}  # every widget seen, by key (or id)
        self._fragment_of: dict[str, str] = {}  # widget id -> the fragment drawing it, or ""
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._run: _Run | None = None
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}
        self._fragment_sent: dict[str, list[float]] = {}
        self._file_urls: dict[str, asyncio.Future] = {}
        self._xsrf = ""

    # ------------------------------------------------------------------ public

    async def open(self, page: str = "", query: str = "") -> RunResult:
        """Open the app at ``/<page>?<query>`` and wait for the first run to finish."""
        self.query_string = query
        self._xsrf = await asyncio.to_thread(self._fetch_cookies)
        self.session_replica = self.replica  # the handshake below carries this cookie
        cookie_header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self._ws = await asyncio.wait_for(
            connect(
                f"ws://{self.host}:{self.port}/_stcore/stream",
                subprotocols=["streamlit"],
                origin=f"http://{self.host}:{self.port}",
                additional_headers={"Cookie": cookie_header},
                max_size=None,  # a page with images can exceed the 1 MB default
                ping_interval=None,  # the server pings; answering is automatic
            ),
            self.timeout,
        )
        self._reader = asyncio.create_task(self._read_loop(), name="st-client-reader")
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        return await self._send_and_wait(msg)

    async def rerun(self, changes: dict[str, Any] | None = None) -> RunResult:
        """Change widgets (by key) as a student would and wait for the rerun to finish.

        A button's value is ignored: pressing it sends a one-shot trigger.
        """
        triggers, fragments = [], set()
        for key, value in (changes or {}).items():
            widget = self.widget(key)
            fragments.add(self._fragment_of.get(widget.id, ""))
            state = encode_value(widget, value)
            if state.WhichOneof("value") == "trigger_value":
                triggers.append(state)
            else:
                self._values[widget.id] = state
        # the browser reruns the fragment of the widget that changed (one at a time)
        fragment_id = fragments.pop() if len(fragments) == 1 else ""
        return await self._send_and_wait(
            self._rerun_msg(extra=triggers, fragment_id=fragment_id, auto=False),
            fragment_id=fragment_id,
        )

    async def send_rerun_nowait(self, changes: dict[str, Any]) -> None:
        """Send a rerun and do not wait for it (a student clicking faster than the app)."""
        for key, value in changes.items():
            widget = self.widget(key)
            self._values[widget.id] = encode_value(widget, value)
        self._run = _Run(sent=time.perf_counter())
        await self._send(self._rerun_msg())

    async def wait_idle(self) -> RunResult:
        """Wait for the run in flight (after ``send_rerun_nowait``) to finish."""
        run = self._run or _Run(sent=time.perf_counter())
        self._run = run
        return await self._finish(run)

    async def upload(self, key: str, name: str, data: bytes, mime: str) -> RunResult:
        """Put a file into the ``st.file_uploader`` with ``key`` and wait for the rerun."""
        widget = self.widget(key)
        request_id = uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self._file_urls[request_id] = future
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.append(name)
        msg.file_urls_request.session_id = self.session_id
        await self._send(msg)
        urls = await asyncio.wait_for(future, self.timeout)
        status = await asyncio.to_thread(self._put_file, urls.upload_url, name, data, mime)
        if status not in (200, 204):
            # the server refused the file itself (e.g. over maxUploadSize): what a
            # browser shows in the uploader, not a script run
            return RunResult(0.0, ok=True, errors=[f"upload refused: HTTP {status}"])
        state = WidgetState(id=widget.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, name, len(data)
        info.file_urls.CopyFrom(urls)
        self._values[widget.id] = state
        return await self._send_and_wait(self._rerun_msg())

    @property
    def replica(self) -> str:
        """The lecture hall replica this browser is kept on ("" without a balancer)."""
        return self.cookies.get(AFFINITY_COOKIE, "")

    async def download(self, ref: str) -> int | str:
        """Click a download button (a value of ``downloads``): the file's HTTP status.

        A deferred button's file is made on the click: ask for its URL over the
        websocket first, as the frontend does. An error in that step is returned
        (and counted) as a string instead of a status.
        """
        if ref.startswith("deferred:"):
            request_id = uuid.uuid4().hex
            future = asyncio.get_running_loop().create_future()
            self._operations[request_id] = future
            msg = BackMsg()
            msg.backend_operation_request.request_id = request_id
            msg.backend_operation_request.session_id = self.session_id
            msg.backend_operation_request.deferred_file.file_id = ref.partition(":")[2]
            try:
                await self._send(msg)
                response = await asyncio.wait_for(future, self.timeout)
            except (ClientError, ConnectionClosed, TimeoutError) as exc:
                self.http[("media", "no URL")] += 1
                return f"no URL: {type(exc).__name__}"
            finally:
                self._operations.pop(request_id, None)
            if response.error_msg or not response.deferred_file.url:
                self.http[("media", "no URL")] += 1
                return f"no URL: {response.error_msg or 'empty'}"
            ref = response.deferred_file.url
        return await asyncio.to_thread(self._get_media, ref)

    def widget(self, key: str) -> Widget:
        """The widget with this ``key=`` in the last full run (KeyError if absent)."""
        try:
            # ids are stable across runs: a widget of the last complete page can be
            # set while a new run is still redrawing it (a burst of clicks)
            return self.widgets.get(key) or self._known[key]
        except KeyError:
            raise KeyError(
                f"No widget with key {key!r} on this page; seen: {sorted(self.widgets)}."
            ) from None

    def find_button(self, pattern: str) -> Widget | None:
        """The first button whose label matches ``pattern`` (case-insensitive)."""
        for w in self.widgets.values():
            if w.kind == "button" and re.search(pattern, w.label, re.IGNORECASE):
                return w
        return None

    async def press(self, widget: Widget) -> RunResult:
        """Press a (possibly keyless) button and wait for the rerun (its fragment's, if any)."""
        fragment_id = self._fragment_of.get(widget.id, "")
        trigger = WidgetState(id=widget.id, trigger_value=True)
        return await self._send_and_wait(
            self._rerun_msg(extra=[trigger], fragment_id=fragment_id, auto=False),
            fragment_id=fragment_id,
        )

    def page_text(self) -> str:
        """Everything written on the page now (markdown, headings, alerts), one per line."""
        return "\n".join(self.texts[p] for p in sorted(self.texts))

    async def close(self) -> None:
        """Close the tab: timers stop and the socket closes, as when a student leaves."""
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ws.close(), 5)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # ------------------------------------------------------------------ sending

    def _rerun_msg(self, *, extra=(), fragment_id: str = "", auto: bool = True) -> BackMsg:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        state.widget_states.widgets.extend([*self._values.values(), *extra])
        if fragment_id:  # a run_every tick (auto) or a widget inside a fragment
            state.fragment_id, state.is_auto_rerun = fragment_id, auto
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        return msg

    async def _send(self, msg: BackMsg) -> None:
        if self._ws is None or self.closed_reason:
            raise ClientError(f"not connected ({self.closed_reason or 'never opened'})")
        await self._ws.send(msg.SerializeToString())

    async def _send_and_wait(self, msg: BackMsg, *, fragment_id: str = "") -> RunResult:
        run = _Run(sent=time.perf_counter(), fragment_id=fragment_id)
        self._run = run
        try:
            await self._send(msg)
        except (ClientError, ConnectionClosed) as exc:
            return RunResult(0.0, ok=False, problem=f"send failed: {exc}")
        return await self._finish(run)

    async def _finish(self, run: _Run) -> RunResult:
        if run.done is None:
            run.done = asyncio.get_running_loop().create_future()
        problem = ""
        try:
            await asyncio.wait_for(asyncio.shield(run.done), self.timeout)
        except TimeoutError:
            recent = " ".join(self._recent)
            problem = (
                f"no script_finished within {self.timeout:g} s (its run "
                f"{'started' if run.started else 'never started'}; last messages: {recent})"
            )
        except ClientError as exc:
            problem = str(exc)
        return RunResult(
            latency=time.perf_counter() - run.sent,
            ok=not problem,
            exceptions=list(run.exceptions),
            errors=list(run.errors),
            nbytes=run.nbytes,
            problem=problem,
            lost_finish=run.lost_finish,
            fragment_id=run.fragment_id,
        )

    async def _fragment_timer(self, fragment_id: str, interval: float) -> None:
        # like the browser's setInterval: a tick every interval, whether or not
        # the last one was answered (the server coalesces queued fragment runs)
        while True:
            await asyncio.sleep(interval)
            self._fragment_sent.setdefault(fragment_id, []).append(time.perf_counter())
            try:
                await self._send(self._rerun_msg(fragment_id=fragment_id))
            except (ClientError, ConnectionClosed):
                return

    def _cancel_timers(self) -> None:
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        self._fragment_sent.clear()

    # ------------------------------------------------------------------ receiving

    async def _read_loop(self) -> None:
        try:
            async for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg, len(data))
            self.closed_reason = "server closed the socket"
        except ConnectionClosed as exc:
            self.closed_reason = f"socket closed ({exc.rcvd.code if exc.rcvd else 'no code'})"
        except asyncio.CancelledError:
            self.closed_reason = "closed by the client"
            raise
        finally:
            self._cancel_timers()
            pending = [*self._file_urls.values(), *self._operations.values()]
            if self._run is not None and self._run.done is not None:
                pending.append(self._run.done)
            for future in pending:
                if not future.done():
                    future.set_exception(ClientError(self.closed_reason or "closed"))
                    future.exception()  # a waiter still gets it; nobody waiting is fine

    def _handle(self, msg: ForwardMsg, nbytes: int) -> None:
        kind = msg.WhichOneof("type")
        run = self._run
        if kind != "delta":  # for the report of a run that never finishes
            detail = msg.script_finished if kind == "script_finished" else ""
            frag = "f" if msg.metadata.run.fragment_ids else ""
            self._recent.append(f"{kind}{detail}{frag}")
        if run is not None:
            run.nbytes += nbytes
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            if self._fragment_cut:
                self._fragment_cut = False
                if msg.metadata.run.fragment_ids:
                    self.fragment_interrupted += 1
            fragment_ids = msg.metadata.run.fragment_ids
            if not fragment_ids:  # a full run: the page is redrawn
                self.page_hash = msg.new_session.page_script_hash
                self._cancel_timers()  # the browser drops run_every timers here too
                self.widgets, self.texts, self.downloads = {}, {}, {}
                if run is not None:
                    run.started, run.run_id = True, msg.metadata.run.script_run_id
                    run.exceptions, run.errors = [], []
            elif run is not None and run.fragment_id and run.fragment_id in fragment_ids:
                # the fragment run our widget change asked for: its buttons are drawn
                # afresh (a download of an older setting is gone)
                self.downloads = {}
                run.started, run.run_id = True, msg.metadata.run.script_run_id
                run.exceptions, run.errors = [], []
        elif kind == "delta":
            self._handle_delta(msg, run)
        elif kind == "navigation":
            # with st.navigation the page that ran is named here; new_session
            # carries the main script's hash
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            fragment_id, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            current = self._timers.get(fragment_id)
            if fragment_id and interval > 0 and (current is None or current[0] != interval):
                if current is not None:
                    current[1].cancel()
                task = asyncio.get_running_loop().create_task(
                    self._fragment_timer(fragment_id, interval)
                )
                self._timers[fragment_id] = (interval, task)
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                entry = self._timers.pop(fragment_id, None)
                if entry is not None:
                    entry[1].cancel()
        elif kind == "script_finished":
            self._handle_finished(msg, run)
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            if run is not None:
                exc = msg.session_event.script_compilation_exception
                run.exceptions.append(f"{exc.type}: {exc.message}")
        elif kind == "backend_operation_response":
            response = msg.backend_operation_response
            future = self._operations.get(response.request_id)
            if future is not None and not future.done():
                future.set_result(response)
        elif kind == "file_urls_response":
            future = self._file_urls.pop(msg.file_urls_response.response_id, None)
            if future is not None and not future.done():
                future.set_result(msg.file_urls_response.file_urls[0])

    def _handle_delta(self, msg: ForwardMsg, run: _Run | None) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        proto = getattr(element, kind)
        path = tuple(msg.metadata.delta_path)
        text = ""
        if kind == "exception":
            text = f"{proto.type}: {proto.message}"
            if run is not None:
                run.exceptions.append(text)
        elif kind == "alert":
            text = proto.body
            if proto.format == proto.ERROR and run is not None:
                target = run.exceptions if text.startswith(FALLBACK_ERROR_PREFIX) else run.errors
                target.append(text)
        elif kind in ("markdown", "heading", "text"):
            text = proto.body
        elif kind == "metric":
            text = f"{proto.label} {proto.body}"
        if kind == "download_button" and (proto.url or proto.deferred_file_id):
            ref = proto.url or f"deferred:{proto.deferred_file_id}"
            self.downloads[widget_key(proto.id) or proto.id] = ref
        if text:
            self.texts[path] = text
        else:
            self.texts.pop(path, None)
        widget_id = getattr(proto, "id", "") if kind != "exception" else ""
        if widget_id:
            self._fragment_of[widget_id] = delta.fragment_id
            key = widget_key(widget_id)
            widget = Widget(widget_id, key, kind, proto)
            self.widgets[key or widget_id] = self._known[key or widget_id] = widget

    def _handle_finished(self, msg: ForwardMsg, run: _Run | None) -> None:
        status = msg.script_finished
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN and msg.metadata.run.fragment_ids:
            # stopped by what comes next: another fragment run (the next poll came
            # before this one finished: under load a run_every fragment slower
            # than its interval never completes) or a full run (st.rerun(), a click)
            self._fragment_cut = True
            return
        if (
            status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
            and run is not None
            and run.fragment_id in msg.metadata.run.fragment_ids
            and run.started
            and run.done is not None
            and not run.done.done()
        ):
            run.done.set_result(status)  # the fragment run our widget change asked for
            return
        if status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            now = time.perf_counter()
            for fragment_id in msg.metadata.run.fragment_ids:
                sent = self._fragment_sent.pop(fragment_id, [])
                if sent:
                    self.fragment_latencies.append(now - sent[0])
            if run is not None and run.started and run.done is not None and not run.done.done():
                # A fragment run never preempts a full run, so ours has ended, but
                # its script_finished was dropped: a run_every poll that reaches
                # AppSession.request_rerun after the script thread finished (its
                # requests are STOPped) but before the event loop handled the
                # runner's SCRIPT_STOPPED event starts a new ScriptRunner; that
                # event then comes from a "non-current" runner and is ignored
                # (streamlit/runtime/app_session.py). The browser also gets no
                # script_finished; it goes idle on session_status_changed.
                run.lost_finish = True
                run.done.set_result(status)
            return
        if status not in FULL_RUN_DONE or run is None or not run.started:
            return  # FINISHED_EARLY_FOR_RERUN (st.rerun) or an older run's end
        if run.run_id and msg.metadata.run.script_run_id not in ("", run.run_id):
            return
        if run.done is None:
            run.done = asyncio.get_running_loop().create_future()
        if not run.done.done():
            run.done.set_result(status)

    # ------------------------------------------------------------------ HTTP

    def _fetch_cookies(self) -> str:
        # the health endpoint sets the XSRF cookie, as index.html does for a browser;
        # behind the balancer the answer also carries (or, when the jar's replica
        # is down, replaces) the affinity cookie. Sent with the jar's cookies.
        url = f"http://{self.host}:{self.port}/_stcore/health"
        response = requests.get(url, cookies=self.cookies, timeout=self.timeout)
        self.cookies.update(response.cookies.get_dict())
        return self.cookies.get(XSRF_COOKIE, "")

    def _absolute(self, url: str) -> str:
        return f"http://{self.host}:{self.port}{url}" if url.startswith("/") else url

    def _get_media(self, url: str) -> int:
        try:
            response = requests.get(self._absolute(url), cookies=self.cookies, timeout=self.timeout)
        except requests.RequestException:
            self.http[("media", "no answer")] += 1
            return 0
        self.http[("media", response.status_code)] += 1
        self._check_route("media", response)
        return response.status_code

    def _check_route(self, kind: str, response: requests.Response) -> None:
        served_by = response.headers.get(SERVED_BY)
        if served_by is None:  # no balancer in front
            return
        self.routed += 1
        if served_by != self.session_replica:
            self.misrouted[(kind, self.session_replica, served_by)] += 1

    def _put_file(self, url: str, name: str, data: bytes, mime: str) -> int:
        response = requests.put(
            self._absolute(url),
            files={"file": (name, data, mime)},
            headers={"X-Xsrftoken": self._xsrf},
            cookies=self.cookies,  # the XSRF cookie, and the replica's behind the balancer
            timeout=self.timeout,
        )
        self.http[("upload", response.status_code)] += 1
        self._check_route("upload", response)
        return response.status_code


# ---------------------------------------------------------------------- the server


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class AppServer:
    """``streamlit run APP --server.port PORT`` as the README's ``make app`` runs it.

    Run from the repo root so the repo's ``.streamlit/config.toml`` applies.
    Two flags are added and change nothing the app does: ``--server.address``
    keeps it on loopback, ``--server.headless`` stops it opening a browser.
    Use as a context manager: the process group is ended on exit.
    """

    def __init__(
        self,
        app: str = "streamlit_app.py",
        *,
        cwd: Path = REPO_ROOT,
        host: str = "127.0.0.1",
        port: int | None = None,
        log_path: Path | None = None,
        extra_args: tuple[str, ...] = (),
        launcher: tuple[str, ...] = (),
    ):
        self.app, self.cwd, self.host = app, cwd, host
        # what runs `streamlit`'s CLI instead of the streamlit script, e.g. the
        # self-profiling wrapper (benchmarks/profile_server.py)
        self.launcher = launcher
        self.port = port or free_port(host)
        self.log_path = log_path
        self.extra_args = extra_args
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 90.0) -> AppServer:
        streamlit = Path(sys.executable).with_name("streamlit")
        cmd = [
            *(self.launcher or [str(streamlit) if streamlit.exists() else "streamlit"]),
            "run",
            self.app,
            "--server.port",
            str(self.port),
            "--server.address",
            self.host,
            "--server.headless",
            "true",
            *self.extra_args,
        ]
        self._log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, cwd=self.cwd, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ClientError(f"streamlit exited with code {self.proc.returncode}: {cmd}")
            with contextlib.suppress(requests.RequestException):
                url = f"http://{self.host}:{self.port}/_stcore/health"
                if requests.get(url, timeout=2).status_code == 200:
                    return self
            time.sleep(0.25)
        self.stop()
        raise ClientError(f"streamlit did not answer /_stcore/health within {timeout:g} s")

    @property
    def pid(self) -> int:
        return self.proc.pid if self.proc else 0

    def stop(self, timeout: float = 10.0) -> None:
        """End the server (SIGTERM, then SIGKILL) and its process group."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout)
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
            self._log = None

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
