"""CLI: the command line, a thin layer over the stages (the top of the house; nothing imports it).

Takes in: the clerk's options. Gives out: plain Chinese text, or the JSON envelope with --json,
and named exit codes. One module per command; each imports the library inside its function,
so `ssj --help` stays light (no pandas, no openpyxl). i18n.py puts click's and typer's own text
into Simplified Chinese (gettext catalog in locale/); app.py's `SsjGroup` keeps the JSON envelope
for usage errors under --json, and `--plan` defaults to the plan recorded in workspace.yaml.
"""

from .i18n import install as _install_chinese

_install_chinese()  # before typer is imported: click's and typer's own text in Simplified Chinese
