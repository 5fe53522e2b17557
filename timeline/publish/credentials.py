"""Credentials in text: find secrets in files about to be published, and redact them from output.

One set of token patterns serves both: whatever the deploy scan would refuse to publish, the
redaction also hides from anything deploy prints. Every pattern is linear: literal prefixes,
bounded repeats, no nested quantifiers, so a hostile file cannot make the scan slow.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from urllib.parse import unquote

# Token shapes with a fixed prefix: (rule name, what it looks like, literals one of which it
# holds, pattern). One pass over a file finds which literals it holds, and only their patterns
# run: a pattern led by \b is tried at every byte, and there are eight of them.
_TOKENS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("private-key", "a PEM private key", ("-----BEGIN",), r"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"),
    (
        "aws-access-key-id",
        "an AWS access key id",
        ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b",
    ),
    (
        "aws-secret-key",
        "an AWS secret access key",
        ("aws", "AWS", "Aws"),
        r"(?i:aws[_. -]?secret[_. -]?(?:access[_. -]?)?key)[\"']?[ \t]{0,8}[:=][ \t]{0,8}[\"']?"
        r"[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])",
    ),
    ("github-token", "a GitHub token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b"),
    ("github-token", "a GitHub token", ("github_pat_",), r"\bgithub_pat_[A-Za-z0-9_]{22,255}\b"),
    ("slack-token", "a Slack token", ("xox",), r"\bxox[abposre]-[A-Za-z0-9-]{10,250}"),
    (
        "slack-webhook",
        "a Slack webhook URL",
        ("hooks.slack.com",),
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,300}",
    ),
    ("google-api-key", "a Google API key", ("AIza",), r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
)
_TOKEN_RES = tuple((rule, what, re.compile(pattern.encode())) for rule, what, _, pattern in _TOKENS)
_RULE_OF = {literal.encode(): i for i, (_, _, literals, _) in enumerate(_TOKENS) for literal in literals}
# Plain literals, no groups: the engine then skips ahead to bytes that can start one.
_PREFILTER = re.compile(b"|".join(re.escape(literal) for literal in _RULE_OF))
# A whole line that is one NAME=value assignment, as in .env files and shell profiles.
_ASSIGNMENT = re.compile(
    rb"\n[ \t]{0,16}(?:export[ \t]{1,8})?([A-Za-z_][A-Za-z0-9_.-]{0,80})[ \t]{0,8}[=:][ \t]{0,8}"
    rb"[\"']?([^\s\"'#]{16,512})[\"']?[ \t]*\r?(?=\n|\Z)"
)
_SECRET_NAME = re.compile(rb"(?i)secret|token|passw|pwd|api.?key|access.?key|private|credential|auth")
_MIN_ENTROPY = 3.5  # bits per character: random tokens score 4-6, words and paths below 3.5


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """A secret found in a file: where, and which rule matched."""

    path: str
    line: int
    rule: str
    what: str

    def format(self) -> str:
        """Return ``path:line: rule: what``, never the secret itself."""
        return f"{self.path}:{self.line}: {self.rule}: looks like {self.what}"


def _entropy(value: bytes) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def find_secrets(path: str, data: bytes) -> list[Finding]:
    """Return every secret-looking token in ``data`` (the bytes of site file ``path``), in order."""
    hits: list[tuple[int, str, str]] = []
    present = {_RULE_OF[match[0]] for match in _PREFILTER.finditer(data)}
    for index in sorted(present):
        rule, what, pattern = _TOKEN_RES[index]
        hits += [(match.start(), rule, what) for match in pattern.finditer(data)]
    # Led by a newline, the pattern is looked for with a fast search for "\n", not at every byte.
    for match in _ASSIGNMENT.finditer(b"\n" + data):
        if _SECRET_NAME.search(match[1]) and _entropy(match[2]) >= _MIN_ENTROPY:
            name = match[1].decode("latin-1")
            hits.append((match.start(2) - 1, "high-entropy-assignment", f"a secret assigned to {name}"))
    hits.sort()
    found: list[Finding] = []
    line, counted = 1, 0
    for offset, rule, what in hits:
        line += data.count(b"\n", counted, offset)
        counted = offset
        if not found or found[-1].line != line:  # one finding a line is enough to find it
            found.append(Finding(path, line, rule, what))
    return found


def allowed(path: str, patterns: Sequence[str]) -> bool:
    """Return True if site path ``path`` matches one of the allow-list globs (``*`` spans folders)."""
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


# Redaction. A URL is taken whole (up to white space or a quote) and its user-info cut out; a query
# parameter whose name sounds secret loses its value; the token shapes above are replaced anywhere.
_URL = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,30}://)(?P<rest>[^\s'\"<>]+)")
_QUERY = re.compile(r"(?P<lead>[?&;](?P<name>[A-Za-z0-9_.\-\[\]]{1,80})=)(?P<value>[^&#;\s'\"<>]+)")
_SECRET_PARAM = re.compile(r"(?i)token|key|secret|pass|pwd|sig|auth|cred|session|code|jwt")
_AUTH_FORMS = re.compile(
    r"(?i)(?P<lead>\b(?:x-access-token|x-token-auth|x-oauth-basic|oauth2|gitlab-ci-token)[:=]"
    r"|\bauthorization:[ \t]{0,8}(?:bearer|basic|token)[ \t]{1,8}"
    r"|\b(?:bearer|token)[ \t]{1,8}(?=[A-Za-z0-9._~+/=-]{16}))"
    r"(?P<value>[^\s@'\"<>]+)"
)
_TOKEN_TEXT = re.compile("|".join(p for _, _, _, p in _TOKENS))
MASK = "***"


def _url_without_userinfo(match: re.Match[str]) -> str:
    rest = match["rest"]
    at = rest.rfind("@")
    if at >= 0:
        slash = rest.find("/")
        colon = rest.find(":")
        # A user name alone cannot hold '/', so an '@' after the first '/' is in the path, unless a
        # ':' before that '/' starts a password (which may hold '/', '@' and ':').
        if slash < 0 or at < slash or 0 <= colon < slash:
            rest = MASK + rest[at:]
    return match["scheme"] + _QUERY.sub(_query_value, rest)


def _query_value(match: re.Match[str]) -> str:
    return match["lead"] + (MASK if _SECRET_PARAM.search(match["name"]) else match["value"])


def redact(text: str, known: Iterable[str] = ()) -> str:
    """Return ``text`` with every credential form replaced by ``***``.

    Forms: URL user-info (passwords with ``/``, ``@``, ``:`` or %-escapes included), secret-sounding
    query parameters (``access_token=``, ``token=``, ``key=``), ``x-access-token:`` and
    ``Authorization:`` forms, the token shapes of the deploy scan, and each ``known`` string in its
    raw, %-encoded and decoded spellings (passwords taken from the remote's configured URL).
    """
    for secret in sorted({s for k in known for s in (k, unquote(k)) if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _URL.sub(_url_without_userinfo, text)
    text = _QUERY.sub(_query_value, text)
    text = _AUTH_FORMS.sub(lambda m: m["lead"] + MASK, text)
    return _TOKEN_TEXT.sub(MASK, text)


def url_credentials(urls: Iterable[str]) -> tuple[str, ...]:
    """Return the user-info and secret query values of ``urls``, for ``redact(known=...)``."""
    found: set[str] = set()
    for url in urls:
        for match in _URL.finditer(url):
            rest = match["rest"]
            redacted = _url_without_userinfo(match)
            if redacted.startswith(match["scheme"] + MASK + "@"):
                userinfo = rest[: rest.rfind("@")]
                user, colon, password = userinfo.partition(":")
                if colon:
                    found.update((password, userinfo))
                elif match["scheme"].lower().startswith("http"):
                    found.add(user)  # https://TOKEN@host: the user name is the token; on ssh it is an account
            for query in _QUERY.finditer(rest):
                if _SECRET_PARAM.search(query["name"]):
                    found.add(query["value"])
    return tuple(sorted((c for c in found if len(c) >= 4), key=len, reverse=True))
