"""The shipped catalogues are complete and correct, and the checker really catches mistakes."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from eventsys import PROJECT_ROOT
from eventsys.i18n import TRANSLATIONS, catalogues

TEMPLATE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Log in"
msgstr ""

#, python-format
msgid "Hello %(name)s,"
msgstr ""

#, python-format
msgid "%(num)d vote"
msgid_plural "%(num)d votes"
msgstr[0] ""
msgstr[1] ""
"""


def po(text: str, locale: str = "pt"):
    return read_po(io.BytesIO(text.encode()), locale=locale)


# Each catalogue states its plural rule, as `update` and `init` write it: the number of forms
# must not follow the installed Babel's CLDR (Babel 2.19 gives Portuguese a third, "many").
PT_PLURALS = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
RU_PLURALS = (
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n'
)
CONTENT_TYPE = '"Content-Type: text/plain; charset=utf-8\\n"\n'


def with_plurals(text: str, plural_forms: str) -> str:
    return text.replace(CONTENT_TYPE, CONTENT_TYPE + plural_forms, 1)


GOOD_PT = with_plurals(
    TEMPLATE.replace('msgid "Log in"\nmsgstr ""', 'msgid "Log in"\nmsgstr "Entrar"')
    .replace(
        'msgid "Hello %(name)s,"\nmsgstr ""', 'msgid "Hello %(name)s,"\nmsgstr "Olá, %(name)s,"'
    )
    .replace('msgstr[0] ""\nmsgstr[1] ""', 'msgstr[0] "%(num)d voto"\nmsgstr[1] "%(num)d votos"'),
    PT_PLURALS,
)


def problems(text: str) -> list[str]:
    found = catalogues.catalogue_problems(po(TEMPLATE, None), po(text), "pt")
    return [p.issue for p in found]


def test_every_offered_language_has_a_complete_correct_catalogue(app):
    offered = set(app.config["LANGUAGES"])
    assert offered <= set(catalogues.catalogue_locales(TRANSLATIONS))
    found = catalogues.check(TRANSLATIONS, sorted(offered))
    assert not found, "Run `eventsys translations check`:\n" + "\n".join(map(str, found))


def test_the_template_holds_every_message_the_code_uses():
    in_code = catalogues.extract(PROJECT_ROOT, PROJECT_ROOT / "babel.cfg")
    with catalogues.pot_path(TRANSLATIONS).open("rb") as handle:
        shipped = read_po(handle)
    missing = [m.id for m in in_code if m.id and shipped.get(m.id, context=m.context) is None]
    assert not missing, (
        "messages.pot is behind the code; run `eventsys translations update`, translate, "
        f"commit. New: {missing[:10]}"
    )


def test_a_correct_catalogue_passes_the_checker():
    assert problems(GOOD_PT) == []


def test_checker_reports_a_missing_message():
    text = GOOD_PT.replace('msgid "Log in"\nmsgstr "Entrar"\n', "")
    assert problems(text) == ["missing"]


def test_checker_reports_an_empty_message():
    assert problems(GOOD_PT.replace('msgstr "Entrar"', 'msgstr ""')) == ["empty"]
    assert problems(GOOD_PT.replace('msgstr[1] "%(num)d votos"', 'msgstr[1] ""')) == ["empty"]


def test_checker_reports_a_fuzzy_message():
    text = GOOD_PT.replace('msgid "Log in"', '#, fuzzy\nmsgid "Log in"')
    assert problems(text) == ["fuzzy (needs review)"]


def test_checker_reports_placeholders_that_differ():
    renamed = GOOD_PT.replace('"Olá, %(name)s,"', '"Olá, %(nome)s,"')
    dropped = GOOD_PT.replace('"Olá, %(name)s,"', '"Olá,"')
    wrong_kind = GOOD_PT.replace('msgstr[1] "%(num)d votos"', 'msgstr[1] "%(num)s votos"')
    for text in (renamed, dropped, wrong_kind):
        [issue] = problems(text)
        assert issue.startswith("placeholders")


def test_checker_reports_a_lone_percent_sign_in_a_formatted_message():
    template = TEMPLATE + '\nmsgid "Cut CO2 by 95%% by 2050"\nmsgstr ""\n'
    catalog = (
        GOOD_PT + '\nmsgid "Cut CO2 by 95%% by 2050"\nmsgstr "Reduzir o CO2 em 95% até 2050"\n'
    )
    found = catalogues.catalogue_problems(po(template, None), po(catalog), "pt")
    assert [p.issue for p in found] == [
        "a lone % (write %% for a percent sign in a message with placeholders)"
    ]
    fixed = catalog.replace("95% até", "95%% até")
    assert catalogues.catalogue_problems(po(template, None), po(fixed), "pt") == []


def test_placeholders_ignore_literal_percent_and_order_of_named_ones():
    assert catalogues.placeholders("100%% of %(a)s and %(b)d") == [("a", "s"), ("b", "d")]
    assert catalogues.placeholders("%(b)d, %(a)s") == catalogues.placeholders("%(a)s %(b)d")
    assert catalogues.placeholders("%s of %d") == [("", "s"), ("", "d")]
    assert catalogues.placeholders("Quorum (% of voting rights)") == []


def test_russian_plurals_have_three_forms_in_the_shipped_catalogue():
    catalog = catalogues.read_catalogue(catalogues.po_path(TRANSLATIONS, "ru"), "ru")
    assert catalog.num_plurals == 3


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A translations folder with a template and a Portuguese catalogue."""
    (tmp_path / "messages.pot").write_text(TEMPLATE, encoding="utf-8")
    target = catalogues.po_path(tmp_path, "pt")
    target.parent.mkdir(parents=True)
    target.write_text(GOOD_PT, encoding="utf-8")
    return tmp_path


def _translate(mo: Path, message: str) -> str:
    with mo.open("rb") as handle:
        return Translations(handle).gettext(message)


def test_compile_on_demand_builds_missing_and_stale_catalogues_only(workspace: Path):
    mo = catalogues.po_path(workspace, "pt").with_suffix(".mo")
    assert catalogues.ensure_compiled(workspace) == [mo]
    assert _translate(mo, "Log in") == "Entrar"
    assert catalogues.ensure_compiled(workspace) == []  # current: nothing to do
    po_file = catalogues.po_path(workspace, "pt")
    po_file.write_text(GOOD_PT.replace("Entrar", "Iniciar sessão"), encoding="utf-8")
    later = mo.stat().st_mtime + 5
    os.utime(po_file, (later, later))
    assert catalogues.ensure_compiled(workspace) == [mo]
    assert _translate(mo, "Log in") == "Iniciar sessão"


def test_fuzzy_translations_are_left_out_of_the_compiled_catalogue(workspace: Path):
    po_file = catalogues.po_path(workspace, "pt")
    po_file.write_text(GOOD_PT.replace('msgid "Log in"', '#, fuzzy\nmsgid "Log in"'), "utf-8")
    mo = catalogues.compile_catalogue(po_file)
    assert _translate(mo, "Log in") == "Log in"
    assert _translate(mo, "Hello %(name)s,") == "Olá, %(name)s,"


def test_processes_compiling_at_once_leave_one_whole_file(workspace: Path):
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def compile_once() -> None:
        try:
            start.wait()
            catalogues.compile_all(workspace, force=True)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=compile_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    folder = catalogues.po_path(workspace, "pt").parent
    assert sorted(p.name for p in folder.iterdir()) == ["messages.mo", "messages.po"]
    assert _translate(folder / "messages.mo", "Log in") == "Entrar"


def test_a_read_only_installation_does_not_stop_the_app(workspace: Path, monkeypatch, caplog):
    def refuse(path: Path, content: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(catalogues, "_atomic_write", refuse)
    assert catalogues.ensure_compiled(workspace) == []
    assert "Could not compile" in caplog.text


def test_update_adds_new_messages_empty_and_keeps_translations(workspace: Path):
    template = TEMPLATE + '\nmsgid "Log out"\nmsgstr ""\n'
    (workspace / "messages.pot").write_text(template, encoding="utf-8")
    assert catalogues.update(workspace, ["pt"]) == {"pt": 1}
    # New: empty, or a fuzzy suggestion from a similar message; either way the check fails.
    issues = catalogues.check(workspace, ["pt"])
    assert {p.msgid for p in issues} == {"Log out"}
    catalog = catalogues.read_catalogue(catalogues.po_path(workspace, "pt"), "pt")
    assert catalog.get("Log in").string == "Entrar"


def test_update_revives_translations_kept_as_obsolete_entries(workspace: Path):
    po_file = catalogues.po_path(workspace, "pt")
    po_file.write_text(GOOD_PT + '\n#~ msgid "Log out"\n#~ msgstr "Terminar sessão"\n', "utf-8")
    assert catalogues.update(workspace, ["pt"]) == {"pt": 0}  # not in the code: stays obsolete
    assert "#~ msgid" in po_file.read_text("utf-8")
    (workspace / "messages.pot").write_text(TEMPLATE + '\nmsgid "Log out"\nmsgstr ""\n', "utf-8")
    assert catalogues.update(workspace, ["pt"]) == {"pt": 0}
    catalog = catalogues.read_catalogue(po_file, "pt")
    assert catalog.get("Log out").string == "Terminar sessão"
    assert not catalog.obsolete
    assert catalogues.check(workspace, ["pt"]) == []


def test_update_suggests_an_obsolete_translation_for_a_reworded_message(workspace: Path):
    po_file = catalogues.po_path(workspace, "pt")
    old = (
        '\n#~ msgid "The poll is closed and the result fixed."\n'
        '#~ msgstr "A votação está encerrada."\n'
    )
    po_file.write_text(GOOD_PT + old, "utf-8")
    reworded = '\nmsgid "The poll is closed and its result fixed."\nmsgstr ""\n'
    (workspace / "messages.pot").write_text(TEMPLATE + reworded, "utf-8")
    catalogues.update(workspace, ["pt"])
    message = catalogues.read_catalogue(po_file, "pt").get(
        "The poll is closed and its result fixed."
    )
    assert message.string == "A votação está encerrada." and "fuzzy" in message.flags


def test_update_takes_translations_written_ahead(workspace: Path):
    ahead = catalogues.po_path(workspace, "pt").with_name(catalogues.AHEAD_FILE)
    ahead.write_text('msgid "Log out"\nmsgstr "Terminar sessão"\n', "utf-8")
    assert catalogues.update(workspace, ["pt"]) == {"pt": 0}
    (workspace / "messages.pot").write_text(TEMPLATE + '\nmsgid "Log out"\nmsgstr ""\n', "utf-8")
    assert catalogues.update(workspace, ["pt"]) == {"pt": 0}
    catalog = catalogues.read_catalogue(catalogues.po_path(workspace, "pt"), "pt")
    assert catalog.get("Log out").string == "Terminar sessão"
    assert catalogues.catalogue_locales(workspace) == ["pt"]  # not a catalogue of its own


def test_update_fills_the_english_catalogue_with_the_source_text(workspace: Path):
    assert catalogues.update(workspace, ["en"]) == {"en": 0}
    catalog = catalogues.read_catalogue(catalogues.po_path(workspace, "en"), "en")
    assert catalog.get("Hello %(name)s,").string == "Hello %(name)s,"
    assert catalog.get(("%(num)d vote", "%(num)d votes")).string == (
        "%(num)d vote",
        "%(num)d votes",
    )


def test_cli_check_fails_on_an_incomplete_catalogue(app, monkeypatch, workspace: Path):
    from eventsys.i18n import cli

    monkeypatch.setattr(cli, "TRANSLATIONS", workspace)
    app.config["LANGUAGES"] = ["pt"]
    try:
        runner = app.test_cli_runner()
        assert runner.invoke(args=["translations", "check"]).exit_code == 0
        po_file = catalogues.po_path(workspace, "pt")
        po_file.write_text(GOOD_PT.replace("Entrar", ""), encoding="utf-8")
        result = runner.invoke(args=["translations", "check"])
    finally:
        app.config["LANGUAGES"] = ["en", "pt", "ru"]
    assert result.exit_code == 1
    assert "[pt] empty: 'Log in'" in result.output


def test_the_app_leaves_no_catalogue_uncompiled(app):
    assert catalogues.stale_catalogues(TRANSLATIONS) == []
    for locale in app.config["LANGUAGES"]:
        assert catalogues.po_path(TRANSLATIONS, locale).with_suffix(".mo").exists()


def test_russian_needs_all_three_plural_forms():
    ru = (
        GOOD_PT.replace(PT_PLURALS, RU_PLURALS)
        .replace('msgstr "Entrar"', 'msgstr "Войти"')
        .replace('"Olá, %(name)s,"', '"Здравствуйте, %(name)s!"')
        .replace(
            'msgstr[0] "%(num)d voto"\nmsgstr[1] "%(num)d votos"',
            'msgstr[0] "%(num)d голос"\nmsgstr[1] "%(num)d голоса"\nmsgstr[2] ""',
        )
    )
    found = catalogues.catalogue_problems(po(TEMPLATE, None), po(ru, "ru"), "ru")
    assert [p.issue for p in found] == ["empty"]
    complete = ru.replace('msgstr[2] ""', 'msgstr[2] "%(num)d голосов"')
    assert catalogues.catalogue_problems(po(TEMPLATE, None), po(complete, "ru"), "ru") == []


def test_checker_reports_a_catalogue_that_does_not_state_its_plural_rule(workspace: Path):
    # Without the header the number of forms would be whatever the installed Babel says.
    assert catalogues.check(workspace, ["pt"]) == []
    po_file = catalogues.po_path(workspace, "pt")
    po_file.write_text(GOOD_PT.replace(PT_PLURALS, ""), "utf-8")
    found = catalogues.check(workspace, ["pt"])
    assert found[0] == catalogues.Problem("pt", "(header)", "no Plural-Forms header")


def test_the_stated_plural_rule_wins_over_the_installed_babel():
    catalog = po(GOOD_PT)
    assert catalog.num_plurals == 2
    forms = catalog.get(("%(num)d vote", "%(num)d votes")).string
    assert forms == ("%(num)d voto", "%(num)d votos")


def test_every_shipped_catalogue_states_its_plural_rule():
    for locale in catalogues.catalogue_locales(TRANSLATIONS):
        text = catalogues.po_path(TRANSLATIONS, locale).read_text("utf-8")
        assert '"Plural-Forms: nplurals=' in text, locale


def test_checker_refuses_the_english_text_copied_as_a_translation():
    copied = GOOD_PT.replace('msgstr "Olá, %(name)s,"', 'msgstr "Hello %(name)s,"')
    # One word may read the same ("OK", "Email"); two words or more copied are a forgotten one.
    assert problems(copied) == []
    template = TEMPLATE + '\nmsgid "Give up your place?"\nmsgstr ""\n'
    catalog = GOOD_PT + '\nmsgid "Give up your place?"\nmsgstr "Give up your place?"\n'
    found = catalogues.catalogue_problems(po(template, None), po(catalog), "pt")
    assert [p.issue for p in found] == [catalogues.COPIED]
    plural = GOOD_PT.replace('msgstr[1] "%(num)d votos"', 'msgstr[1] "%(num)d votes"')
    assert problems(plural) == []  # "votes" is a single word
    template = TEMPLATE + '\nmsgid "from %(num)s country"\nmsgid_plural "from %(num)s countries"\n'
    template += 'msgstr[0] ""\nmsgstr[1] ""\n'
    catalog = GOOD_PT + (
        '\nmsgid "from %(num)s country"\nmsgid_plural "from %(num)s countries"\n'
        'msgstr[0] "de %(num)s país"\nmsgstr[1] "from %(num)s countries"\n'
    )
    found = catalogues.catalogue_problems(po(template, None), po(catalog), "pt")
    assert [p.issue for p in found] == [catalogues.COPIED]


@pytest.mark.parametrize("locale", ["pt", "ru"])
@pytest.mark.parametrize("name", ["messages.po", catalogues.AHEAD_FILE])
def test_no_shipped_translation_is_the_english_text_again(locale, name):
    catalog = catalogues.read_catalogue(TRANSLATIONS / locale / "LC_MESSAGES" / name, locale)
    copied = [m.id for m in catalog if m.id and catalogues.is_english_copy(m)]
    assert copied == []
