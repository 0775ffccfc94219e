"""Command-line help and click's own words in the language of the shell.

Click turns an option's help into a plain string when the command is defined, at import,
before any language is known, so `TranslatedOption` keeps the lazy text (`_l(...)`) and renders
it when --help is shown, inside the app context Flask pushes for an app's commands. Commands'
and groups' help, given as `help=_l(...)`, stays lazy in click as it is.

Click's own words (Usage:, Options:, "Missing option", …) go through Python's gettext, which
reads the same shell variables as `crm.i18n.locale.command_locale()`. `use_catalogue_for_click`
points it at our catalogue, which translates them too: `make translations` extracts them from
click's source along with ours.
"""

import gettext
from pathlib import Path

import click

#: The domain Python's gettext uses when a library calls plain `gettext.gettext`, as click does.
DEFAULT_DOMAIN = "messages"


class TranslatedOption(click.Option):
    """A click option whose help text is translated when it is shown."""

    def __init__(self, *args, help=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.help = help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        return None if record is None else (record[0], str(record[1]))


def option(*param_decls: str, **attrs):
    """`click.option` for options with a translated help text."""
    return click.option(*param_decls, cls=TranslatedOption, **attrs)


def use_catalogue_for_click(translations: Path) -> None:
    gettext.bindtextdomain(DEFAULT_DOMAIN, str(translations))
