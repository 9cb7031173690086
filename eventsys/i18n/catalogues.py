"""Translation catalogues with Babel's Python API: extract, update, compile, check.

This module imports nothing from Flask or eventsys, so the packaging step (setup.py) can load it
by path to build the .mo files, and tests can call it with plain paths.

Layout: <root>/babel.cfg says which files hold messages; catalogues live in
<translations>/messages.pot and <translations>/<locale>/LC_MESSAGES/messages.po; the compiled
messages.mo is written beside each .po and is not kept in git.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

log = logging.getLogger("eventsys.i18n")

DOMAIN = "messages"
SOURCE_LOCALE = "en"
PROJECT = "eventsys"
COPYRIGHT = "the eventsys contributors"
# Besides gettext's defaults: Flask-Babel's lazy variants (form labels, module constants).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
    "gettext_noop": None,
}
COMMENT_TAGS = ("Translators:",)
STALE_SLACK_SECONDS = 2.0
# Translations written before their messages reach this branch (other areas' work in flight);
# `update` takes each one in as soon as the code uses its message. Never compiled by itself.
AHEAD_FILE = "ahead.po"
# %(name)s, %s, %d ... as Python's %-formatting reads them ("%%" is a literal percent sign).
# The space flag is left out on purpose: "Quorum (% of ...)" is prose, not a placeholder.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>\w*)\))?[-#0+]?(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<kind>[diouxXeEfFgGcrs%])"
)

# Several words that read the same in every language (proper names, codes); none needed yet.
SAME_IN_EVERY_LANGUAGE: frozenset[str] = frozenset()
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
SOURCE_LANGUAGE = "en"  # the msgids' language: its catalogue copies them on purpose
COPIED = "the English text copied as its translation"


@dataclass(frozen=True)
class Problem:
    locale: str
    msgid: str
    issue: str

    def __str__(self) -> str:
        return f"[{self.locale}] {self.issue}: {self.msgid!r}"


# ---------------------------------------------------------------- paths


def pot_path(translations: Path) -> Path:
    return translations / f"{DOMAIN}.pot"


def po_path(translations: Path, locale: str) -> Path:
    return translations / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_locales(translations: Path) -> list[str]:
    return sorted(p.parent.parent.name for p in translations.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


# ---------------------------------------------------------------- extract


def extract(root: Path, config: Path) -> Catalog:
    """Every message the code and templates under root use, as a template catalogue."""
    with config.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(config))
    catalog = Catalog(
        project=PROJECT,
        domain=DOMAIN,
        copyright_holder=COPYRIGHT,
        charset="utf-8",
        fuzzy=False,
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        if not _has_text(message):
            continue
        catalog.add(
            message,
            None,
            [(Path(filename).as_posix(), lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def _has_text(message: str | tuple[str, ...]) -> bool:
    first = message[0] if isinstance(message, tuple) else message
    return bool(first and first.strip())


def write_pot(catalog: Catalog, path: Path) -> bool:
    """Write the template; returns False when only its creation date would change."""
    return _write_if_changed(path, _po_bytes(catalog))


# ---------------------------------------------------------------- update and init


def update(
    translations: Path, locales: Iterable[str] | None = None, *, drop_obsolete: bool = False
) -> dict[str, int]:
    """Merge the template into each catalogue; returns {locale: messages still untranslated}.

    New messages arrive empty (or fuzzy, with a similar old translation as a suggestion);
    messages no longer in the code are kept as obsolete entries (#~) so nothing written is lost.
    The source language's catalogue is filled with the English text itself.
    """
    template = read_catalogue(pot_path(translations))
    untranslated = {}
    for locale in locales or catalogue_locales(translations):
        path = po_path(translations, locale)
        if path.exists():
            catalog = read_catalogue(path, locale)
            _take_ahead(catalog, path.with_name(AHEAD_FILE), locale)
            _revive_obsolete(catalog)
            catalog.update(template, update_creation_date=False)
        else:
            catalog = _new_catalogue(template, locale)
        if locale == SOURCE_LOCALE or drop_obsolete:
            catalog.obsolete.clear()  # English needs no memory: its text is the code's
        if locale == SOURCE_LOCALE:
            _fill_with_source(catalog)
        _write_if_changed(path, _po_bytes(catalog))
        untranslated[locale] = sum(
            1 for m in _messages(catalog) if not _is_complete(m) or "fuzzy" in m.flags
        )
    return untranslated


def _take_ahead(catalog: Catalog, ahead: Path, locale: str) -> None:
    if not ahead.exists():
        return
    for message in _messages(read_catalogue(ahead, locale)):
        known = catalog.get(message.id, context=message.context) is not None
        if message.string and not known:
            key = message.id if isinstance(message.id, str) else (message.id[0], message.id[1])
            catalog.obsolete[key] = message


def _revive_obsolete(catalog: Catalog) -> None:
    """Put obsolete (#~) entries back among the live ones before merging: a message back in
    the code (or translated ahead of a merge) regains its translation, a slightly reworded one
    gets it as a fuzzy suggestion, and the rest return to obsolete."""
    for key, message in list(catalog.obsolete.items()):
        if catalog.get(message.id, context=message.context) is None:
            catalog[message.id] = message
        del catalog.obsolete[key]


def _new_catalogue(template: Catalog, locale: str) -> Catalog:
    catalog = Catalog(
        locale=locale,
        domain=DOMAIN,
        project=PROJECT,
        copyright_holder=COPYRIGHT,
        last_translator=COPYRIGHT,
        language_team=f"{locale} <{PROJECT}>",
        charset="utf-8",
        creation_date=template.creation_date,
        fuzzy=False,
    )
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    return catalog


def _fill_with_source(catalog: Catalog) -> None:
    """The English catalogue mirrors the code exactly (a fuzzy guess would be wrong English)."""
    for message in _messages(catalog):
        if isinstance(message.id, tuple):
            message.string = tuple(message.id[min(i, 1)] for i in range(catalog.num_plurals))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
        message.previous_id = []


# ---------------------------------------------------------------- compile


def compile_catalogue(po: Path, mo: Path | None = None) -> Path:
    """Compile one catalogue (fuzzy entries left out, so English shows until reviewed).

    Written to a temporary file and renamed, so processes starting together never read half a
    file and the last writer wins with identical content."""
    mo = mo or po.with_suffix(".mo")
    catalog = read_catalogue(po, po.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    _atomic_write(mo, buffer.getvalue())
    return mo


def stale_catalogues(translations: Path) -> list[Path]:
    """Catalogues whose .mo is missing or older than the .po.

    A little slack: an installer writing the .po a moment after the .mo is not an edit."""
    stale = []
    for po in sorted(translations.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime + STALE_SLACK_SECONDS < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_all(translations: Path, *, force: bool = False) -> list[Path]:
    targets = (
        sorted(translations.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
        if force
        else stale_catalogues(translations)
    )
    return [compile_catalogue(po) for po in targets]


def ensure_compiled(translations: Path) -> list[Path]:
    """Compile what is missing or stale; a read-only installation only logs, pages stay English."""
    try:
        return compile_all(translations)
    except OSError as exc:
        log.warning("Could not compile the translation catalogues in %s: %s", translations, exc)
        return []


# ---------------------------------------------------------------- check


def placeholders(text: str) -> list[tuple[str, str]]:
    """The %-placeholders of a message: sorted (name, kind) pairs, '%%' left out."""
    found = [
        (m.group("name") or "", m.group("kind"))
        for m in PLACEHOLDER.finditer(text)
        if m.group("kind") != "%"
    ]
    if any(name for name, _ in found):
        return sorted(set(found))  # named ones may repeat or move freely
    return found  # positional ones must keep their order


def catalogue_problems(template: Catalog, catalog: Catalog, locale: str) -> list[Problem]:
    """Everything that makes a catalogue incomplete or wrong against the template."""
    problems = []
    for expected in _messages(template):
        message = catalog.get(expected.id, context=expected.context)
        label = _msgid_text(expected)
        if message is None:
            problems.append(Problem(locale, label, "missing"))
            continue
        if "fuzzy" in message.flags:
            problems.append(Problem(locale, label, "fuzzy (needs review)"))
        if not _is_complete(message):
            problems.append(Problem(locale, label, "empty"))
            continue
        problems.extend(Problem(locale, label, issue) for issue in _placeholder_issues(message))
        if locale.split("_")[0] != SOURCE_LANGUAGE and is_english_copy(message):
            problems.append(Problem(locale, label, COPIED))
    if catalog.fuzzy:
        problems.append(Problem(locale, "(header)", "the whole catalogue is marked fuzzy"))
    return problems


def check(translations: Path, locales: Iterable[str] | None = None) -> list[Problem]:
    template = read_catalogue(pot_path(translations))
    problems = []
    for locale in locales or catalogue_locales(translations):
        path = po_path(translations, locale)
        if not path.exists():
            problems.append(Problem(locale, "(catalogue)", f"missing file {path}"))
            continue
        if not states_plural_rule(path):
            problems.append(Problem(locale, "(header)", "no Plural-Forms header"))
        problems.extend(catalogue_problems(template, read_catalogue(path, locale), locale))
    return problems


def states_plural_rule(po: Path) -> bool:
    """The catalogue's header says how many plural forms it has (`update` and `init` write it).

    Without it Babel takes the number from its own CLDR data, which changes between releases
    (Babel 2.19 gave Portuguese a third form, "many"), so the same file would be complete on one
    machine and incomplete on the next. Read from the file: Babel keeps no trace of the header."""
    header = po.read_text("utf-8").split("\n\n", 1)[0]
    return '"Plural-Forms:' in header


def _placeholder_issues(message: Message) -> Iterator[str]:
    ids, strings = _forms(message.id), _forms(message.string)
    if isinstance(message.id, tuple):
        singular, plural = (placeholders(text) for text in ids)
        for index, text in enumerate(strings):
            found = placeholders(text)
            if found not in (plural, singular):
                yield f"placeholders {found} in form {index} differ from {plural}"
        return
    msgid, string = ids[0], strings[0] if strings else ""
    wanted, found = placeholders(msgid), placeholders(string)
    if found != wanted:
        yield f"placeholders {found} differ from {wanted}"
    elif _is_formatted(msgid) and _has_stray_percent(string):
        yield "a lone % (write %% for a percent sign in a message with placeholders)"


def is_english_copy(message: Message) -> bool:
    """A translation that is the English text again: a message of two words or more copied
    as its own translation reads as a forgotten one ("Log in and open your account page...").
    Single words ("OK", "Email") and the allow-listed names may stay the same."""
    ids = _forms(message.id)
    return any(
        text in ids and text not in SAME_IN_EVERY_LANGUAGE and len(ENGLISH_WORD.findall(
            PLACEHOLDER.sub("", text))) >= 2
        for text in _forms(message.string)
    )  # fmt: skip


def _is_formatted(text: str) -> bool:
    """The message goes through %-formatting: it has placeholders or an escaped percent sign."""
    return bool(PLACEHOLDER.search(text))


def _has_stray_percent(text: str) -> bool:
    return "%" in PLACEHOLDER.sub("", text)


# ---------------------------------------------------------------- helpers


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def _forms(text: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A message's id or string as its texts: one, or one per plural form. (Babel types them
    loosely; read_po gives a str, or a tuple for a plural message.)"""
    if text is None:
        return ()
    return (text,) if isinstance(text, str) else tuple(text)


def _is_complete(message: Message) -> bool:
    strings = _forms(message.string)
    return bool(strings) and all(s.strip() for s in strings)


def _msgid_text(message: Message) -> str:
    return _forms(message.id)[0]


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No line numbers: moving code does not churn every catalogue in the diff.
    write_po(buffer, catalog, width=100, sort_by_file=True, include_lineno=False)
    return buffer.getvalue()


_VOLATILE_HEADER = re.compile(
    rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\\n"\n', re.M
)


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists():
        old = path.read_bytes()
        if _VOLATILE_HEADER.sub(b"", old) == _VOLATILE_HEADER.sub(b"", content):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, content)
    return True


def _atomic_write(path: Path, content: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
