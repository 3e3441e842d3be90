"""A training run's ending, in the reader's language.

The training code (``playground/learning/job.py``, and ``Diverged`` in
``playground/learning/learn.py``) ends a run with an English sentence for
programmers and logs. The Learn page shows it translated: each pattern below
matches one of those templates and names its variable parts, so a translation
may put them in its own order. A sentence no pattern knows is shown as it is.
"""

from __future__ import annotations

import re

from playground.i18n import N_, _

# The sentences a run ends with (playground/learning/job.py, and the Diverged message of
# playground/learning/learn.py) are English; each pattern matches one template and names
# its variable parts, so the reader's language can put them in its own order.
_DIVERGED_PARTS = {
    "loss": N_("the loss"),
    "gradient": N_("the gradient"),
    "kernel": N_("the kernel"),
}
_JOB_SENTENCES = (
    (
        re.compile(
            r"Training diverged at step (?P<step>\d+): the (?P<part>\w+) became "
            r"(?P<how>NaN \(not a number\)|infinite)\. Lower the learning rate "
            r"\(try (?P<lr>[^)]+)\) or (?P<way>lower the clipnorm|turn on gradient clipping)\."
        ),
        None,  # built in _diverged_sentence: its parts are translated too
    ),
    (
        re.compile(r"Stopped after (?P<n>\d+) steps\."),
        N_("Stopped after {n} steps."),
    ),
    (
        re.compile(
            r"Stopped after (?P<n>\d+) steps: the page stopped checking on this run for "
            r"(?P<seconds>[^ ]+) s \(was the tab closed\?\)\."
        ),
        N_(
            "Stopped after {n} steps: the page stopped checking on this run for {seconds} s "
            "(was the tab closed?)."
        ),
    ),
    (
        re.compile(
            r"Stopped at the time limit of (?P<seconds>[^ ]+) s per run, after (?P<n>\d+) steps\."
        ),
        N_("Stopped at the time limit of {seconds} s per run, after {n} steps."),
    ),
    (
        re.compile(
            r"Stopped at the limit of (?P<n>\d+) steps per run \(you asked for (?P<asked>\d+)\)\."
        ),
        N_("Stopped at the limit of {n} steps per run (you asked for {asked})."),
    ),
    (re.compile(r"Stopped before it started\."), N_("Stopped before it started.")),
    (
        re.compile(r"Stopped: the page stopped checking on this run\."),
        N_("Stopped: the page stopped checking on this run."),
    ),
    (
        re.compile(
            r"Training stopped because of an internal error \((?P<kind>\w+)\)\. "
            r"Try again with a smaller image or fewer steps\."
        ),
        N_(
            "Training stopped because of an internal error ({kind}). "
            "Try again with a smaller image or fewer steps."
        ),
    ),
)


def _diverged_sentence(found: re.Match) -> str:
    part = _(_DIVERGED_PARTS.get(found["part"], found["part"]))
    if found["how"] == "infinite":
        problem = _("{part} became infinite").format(part=part)
    else:
        problem = _("{part} became NaN (not a number)").format(part=part)
    if found["way"] == "lower the clipnorm":
        return _(
            "Training diverged at step {step}: {problem}. Lower the learning rate (try {lr}) "
            "or lower the clipnorm."
        ).format(step=found["step"], problem=problem, lr=found["lr"])
    return _(
        "Training diverged at step {step}: {problem}. Lower the learning rate (try {lr}) "
        "or turn on gradient clipping."
    ).format(step=found["step"], problem=problem, lr=found["lr"])


def job_sentence(message: str) -> str:
    """A training run's English sentence (a ``Diverged`` message too) in the reader's language.

    A sentence no pattern knows is shown as it is.
    """
    for pattern, template in _JOB_SENTENCES:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        if template is None:
            return _diverged_sentence(found)
        return _(template).format(**found.groupdict())
    return message
