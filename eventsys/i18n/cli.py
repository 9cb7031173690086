"""`eventsys translations ...`: the catalogue workflow for developers and the install."""

from __future__ import annotations

import click
from babel import Locale, UnknownLocaleError
from flask import current_app
from flask.cli import AppGroup

from eventsys import paths
from eventsys.i18n import TRANSLATIONS, catalogues

translations_cli = AppGroup("translations", help="Translation catalogues (Babel).")


def _project_root():
    return paths.CHECKOUT


@translations_cli.command("extract")
def extract_command() -> None:
    """Collect every translatable message into eventsys/translations/messages.pot."""
    root = _project_root()
    template = catalogues.extract(root, root / "babel.cfg")
    changed = catalogues.write_pot(template, catalogues.pot_path(TRANSLATIONS))
    state = "written" if changed else "unchanged"
    click.echo(f"{len(template)} messages; messages.pot {state}.")


@translations_cli.command("update")
@click.option("--locale", "-l", "locales", multiple=True, help="Only these (default: all).")
@click.option("--no-extract", is_flag=True, help="Merge the existing messages.pot as it is.")
@click.option("--drop-obsolete", is_flag=True, help="Forget translations no code uses any more.")
@click.pass_context
def update_command(
    ctx: click.Context, locales: tuple[str, ...], no_extract: bool, drop_obsolete: bool
) -> None:
    """Extract, then merge new messages into every catalogue (they arrive empty or fuzzy;
    ones kept as obsolete #~ entries come back translated)."""
    if not no_extract:
        ctx.invoke(extract_command)
    result = catalogues.update(TRANSLATIONS, locales or None, drop_obsolete=drop_obsolete)
    for locale, missing in result.items():
        click.echo(f"{locale}: {missing} messages to translate.")


@translations_cli.command("init")
@click.argument("locale")
def init_command(locale: str) -> None:
    """Start a catalogue for a new language (then add it to EVENTSYS_LANGUAGES)."""
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError) as exc:
        raise click.UsageError(f"{locale!r} is not a locale Babel knows.") from exc
    if catalogues.po_path(TRANSLATIONS, locale).exists():
        raise click.UsageError(f"The {locale} catalogue exists; use `update`.")
    catalogues.update(TRANSLATIONS, [locale])
    click.echo(f"Created {catalogues.po_path(TRANSLATIONS, locale)}.")


@translations_cli.command("compile")
@click.option("--force", is_flag=True, help="Also recompile catalogues that look current.")
def compile_command(force: bool) -> None:
    """Build the .mo files beside the .po files (the install and app start do this too)."""
    built = catalogues.compile_all(TRANSLATIONS, force=force)
    for mo in built:
        click.echo(f"compiled {mo.relative_to(TRANSLATIONS)}")
    if not built:
        click.echo("All catalogues are current.")


@translations_cli.command("check")
def check_command() -> None:
    """List missing, empty and fuzzy messages and placeholder mistakes; exit 1 if any."""
    problems = catalogues.check(TRANSLATIONS)
    configured = set(current_app.config["LANGUAGES"])
    have = set(catalogues.catalogue_locales(TRANSLATIONS))
    for locale in sorted(configured - have):
        click.echo(f"[{locale}] offered in LANGUAGES but has no catalogue")
    for problem in problems:
        click.echo(str(problem))
    if problems or configured - have:
        raise SystemExit(1)
    click.echo(f"{', '.join(sorted(have))}: complete.")
