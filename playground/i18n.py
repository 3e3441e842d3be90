"""Translations: the language one session reads, and gettext over the app's catalogs.

Every sentence a person reads is written in English in the code and wrapped
where it is written (docs/i18n.md):

- ``_("...")`` translates now, into the language of the current session.
  Use it wherever the text is made while a page runs.
- ``N_("...")`` only marks a module-level constant (a kernel preset's
  explanation, a lesson's prose) for extraction; whoever shows it
  translates it then with ``_(constant)``, so the constant itself stays
  English and can be shared by every session.
- :class:`Message` is a marked template with its values, for sentences made
  before anyone knows who will read them: results cached for every session,
  and exception messages that stay English for programmers (``exc.args``)
  but are shown translated (``str(message)``).
- :class:`TranslatedError` is a ValueError raised with a Message (``ImageError``,
  a kernel larger than the padded input): ``str(exc)`` English, and
  :func:`error_sentence` (what a page shows) in the reader's language.

Placeholders are named (``{shape}``), never glued fragments, so a
translation may put them in its own order.

The language lives in a context variable, never in a module global: the
server runs many sessions at once, each in its own thread. A page run sets it
first (``views.language``); a thread that never set it (a fragment's rerun
starts on a fresh thread) asks the resolver the views registered, which reads
the session's choice; with neither, it is English. Catalogs are compiled
``locales/<lang>/LC_MESSAGES/messages.mo`` files read by the standard
library's :mod:`gettext`; a message missing from a catalog stays English.

>>> with using("zh"):
...     print(_("Receptive field"))
感受野
>>> print(_("Receptive field"))
Receptive field
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "CJK_RANGES",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "SOURCE_LANGUAGE",
    "Message",
    "TranslatedError",
    "_",
    "current_language",
    "error_sentence",
    "gettext",
    "is_cjk",
    "match_language",
    "ngettext",
    "set_language",
    "set_resolver",
    "translate",
    "using",
]

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
#: language code -> its name in that language (never translated: a reader finds their own)
LANGUAGES: Mapping[str, str] = MappingProxyType({"en": "English", "zh": "简体中文"})

#: code points the Chinese web font serves (CJK punctuation, ideographs, full-width forms);
#: scripts/make_font.py subsets to the characters of these ranges the app uses
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FFF),
    (0x3000, 0x303F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
)

_language: ContextVar[str | None] = ContextVar("playground_language", default=None)
# Set once by views.language: reads the session's choice on threads that never set
# _language. It holds a function, not a language, so sessions never share a choice.
_resolvers: list[Callable[[], str | None]] = []


def _check(code: str) -> str:
    if code not in LANGUAGES:
        raise ValueError(
            f"language must be one of {', '.join(LANGUAGES)}; got {code!r}. "
            "Use match_language() to read a browser's or a link's value."
        )
    return code


def is_cjk(char: str) -> bool:
    """True for a character the Chinese web font draws (see :data:`CJK_RANGES`)."""
    return any(low <= ord(char) <= high for low, high in CJK_RANGES)


def set_language(code: str) -> None:
    """Make ``code`` ("en" or "zh") the language of this thread's current context."""
    _language.set(_check(code))


def set_resolver(resolver: Callable[[], str | None]) -> None:
    """Register where a thread without a set language finds its session's choice."""
    _resolvers[:] = [resolver]


def current_language() -> str:
    """The language this context reads: set, else the resolver's, else English."""
    code = _language.get()
    if code is None and _resolvers:
        try:
            code = _resolvers[0]()
        except Exception:  # outside a session (a worker thread): English
            code = None
    return code if code in LANGUAGES else SOURCE_LANGUAGE


@contextmanager
def using(code: str) -> Iterator[None]:
    """Read in ``code`` inside the ``with`` block (tests, tools), then as before."""
    token = _language.set(_check(code))
    try:
        yield
    finally:
        _language.reset(token)


def match_language(value: str | None) -> str | None:
    """A supported language for a link's or a browser's value, or None.

    Accepts "zh", "zh-CN", "zh_Hans", "en-GB" and Accept-Language headers
    ("zh-CN,zh;q=0.9,en;q=0.8": the first supported entry by weight wins).

    >>> match_language("zh-CN"), match_language("fr, en;q=0.5"), match_language("de")
    ('zh', 'en', None)
    """
    if not isinstance(value, str):
        return None
    entries = []
    for position, part in enumerate(value.split(",")):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        entries.append((-weight, position, tag.strip().lower().replace("_", "-")))
    for _weight, _position, tag in sorted(entries):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return None


@cache
def _translations(code: str) -> _gettext.NullTranslations:
    # read once per process; GNUTranslations only reads its dict after loading
    if code == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


def translate(message: str, code: str) -> str:
    """``message`` in the language ``code``, whatever this session reads."""
    return _translations(_check(code)).gettext(message)


def gettext(message: str) -> str:
    """``message`` in the current session's language."""
    return _translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current session's language."""
    return _translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated where it is shown, with ``_``."""
    return message


_ = gettext


@dataclass(frozen=True)
class Message:
    """A sentence to translate where it is shown: a marked template and its values.

    ``str(message)`` is the sentence in the current session's language;
    :meth:`english` is the programmers' form (logs, exception args).

    >>> m = Message(N_("Kernel size {size} is larger than the input."), {"size": "(5, 5)"})
    >>> m.english()
    'Kernel size (5, 5) is larger than the input.'
    """

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return gettext(self.template).format(**self.params)

    def english(self) -> str:
        # a value may be a Message itself (a reason inside a sentence): English too
        params = {
            name: value.english() if isinstance(value, Message) else value
            for name, value in self.params.items()
        }
        return self.template.format(**params)


class TranslatedError(ValueError):
    """A ValueError whose sentence a page shows in the reader's language.

    ``str(exc)`` (and ``exc.args``) stays English, for programmers and logs;
    :meth:`sentence` is the same sentence translated. Raise it with a
    :class:`Message`, or a plain English string (then both are English).
    ``ImageError`` and the geometry errors (a kernel larger than the padded
    input) are TranslatedErrors, so a page can show their reason translated.

    >>> exc = TranslatedError(Message(N_("Receptive field")))
    >>> str(exc)
    'Receptive field'
    >>> with using("zh"):
    ...     print(exc.sentence(), "{}".format(exc))
    感受野 感受野
    """

    def __init__(self, message: str | Message) -> None:
        self.message = message
        super().__init__(message.english() if isinstance(message, Message) else message)

    def sentence(self) -> str:
        """The message in the current session's language."""
        return str(self.message) if isinstance(self.message, Message) else str(self)

    def __format__(self, spec: str) -> str:
        # a page's sentence with the reason in it, ``_("... {reason}").format(reason=exc)``,
        # reads in one language: format() gives the translated sentence, str() stays English
        return format(self.sentence(), spec)


def error_sentence(exc: BaseException) -> str:
    """What a page shows for ``exc``: a TranslatedError's translated sentence, else ``str(exc)``."""
    return exc.sentence() if isinstance(exc, TranslatedError) else str(exc)
