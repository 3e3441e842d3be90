"""playground.i18n: the language of one context, gettext lookups and deferred messages."""

from __future__ import annotations

import threading

import pytest

from playground import i18n
from playground.i18n import N_, Message, _


def test_english_is_the_default():
    """With nothing set, a message reads as written."""
    assert _("Receptive field") == "Receptive field"


def test_using_switches_the_language_inside_the_block_only():
    """``using("zh")`` translates inside the block and restores the language after it."""
    with i18n.using("zh"):
        assert _("Receptive field") == "感受野"
        assert i18n.current_language() == "zh"
    assert i18n.current_language() == "en"


def test_each_thread_keeps_its_own_language():
    """Sessions run in threads: one thread's choice never leaks into another."""
    seen = {}
    ready, done = threading.Event(), threading.Event()

    def chinese():
        i18n.set_language("zh")
        ready.set()
        done.wait(5)
        seen["zh"] = _("Stride")

    def english():
        ready.wait(5)
        seen["en"] = _("Stride")
        done.set()

    threads = [threading.Thread(target=chinese), threading.Thread(target=english)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"zh": "步幅", "en": "Stride"}


def test_the_resolver_answers_for_threads_that_never_set_a_language(monkeypatch):
    """A fragment's fresh thread reads the session's choice through the registered resolver."""
    monkeypatch.setattr(i18n, "_resolvers", [lambda: "zh"])
    found = {}
    thread = threading.Thread(target=lambda: found.setdefault("text", _("Padding")))
    thread.start()
    thread.join(5)
    assert found["text"] == "填充"


def test_a_failing_resolver_means_english(monkeypatch):
    """Outside a session the resolver may raise: the text stays English."""

    def broken():
        raise RuntimeError("no session")

    monkeypatch.setattr(i18n, "_resolvers", [broken])
    assert _("Padding") == "Padding"


def test_plural_forms_follow_the_count():
    """English picks singular or plural; Chinese has one form."""
    one = i18n.ngettext(
        "The window moved {n} column right (stride {n}).",
        "The window moved {n} columns right (stride {n}).",
        1,
    )
    assert one == "The window moved {n} column right (stride {n})."
    with i18n.using("zh"):
        many = i18n.ngettext(
            "The window moved {n} column right (stride {n}).",
            "The window moved {n} columns right (stride {n}).",
            3,
        )
    assert many.format(n=3) == "窗口向右移动了 3 列（步幅 3）。"


def test_a_message_is_translated_when_shown():
    """A Message made once reads in each reader's language; english() is for programmers."""
    message = Message(N_("Every value is {value}."), {"value": "0.5"})
    assert str(message) == "Every value is 0.5."
    with i18n.using("zh"):
        assert str(message) == "所有值都是 0.5。"
        assert f"{message}" == "所有值都是 0.5。"
    assert message.english() == "Every value is 0.5."


def test_translate_names_its_language():
    """``translate`` reads a message in a given language, whatever the current one is."""
    assert i18n.translate("5.3 Channels", "zh") == "5.3 通道"
    assert i18n.translate("5.3 Channels", "en") == "5.3 Channels"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("zh_Hans", "zh"),
        ("ZH-cn", "zh"),
        ("en-GB", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("de-DE,en;q=0.5,zh;q=0.4", "en"),
        ("fr;q=0.9, zh;q=0.95", "zh"),
        ("de", None),
        ("", None),
        (None, None),
    ],
)
def test_match_language_reads_links_and_browsers(value, expected):
    """Tags, regions and Accept-Language weights map to a supported language or None."""
    assert i18n.match_language(value) == expected


def test_an_unknown_language_is_refused_with_the_choices():
    """set_language names the supported codes and the function that reads loose values."""
    with pytest.raises(ValueError, match=r"one of en, zh; got 'fr'.*match_language"):
        i18n.set_language("fr")
