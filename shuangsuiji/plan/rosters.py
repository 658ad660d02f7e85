"""The plan's `rosters` section: which files, with which per-file settings (RosterFile).

A roster setting is a path, one file's settings, or (inspectors, neighbouring pools) a list of
either; `as_files` turns any of them into a list of `RosterFile`. Docs: docs/rosters.md.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["ColumnMap", "RosterFile", "Rosters", "as_files"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RosterFile(_Model):
    """One roster file with its own settings (a department's own export, a province layout).

    `columns`: extra header names per field for this file (tried before rosters.columns and the
    defaults); a list under `credential_no` maps several licence columns, the first valid one
    identifies the officer. `department`: every officer of the file belongs to this plan
    department (the file's own department column is then read as a division, see `values`).
    `values`: field -> {cell text -> plan term}, applied before a cell is interpreted
    (department: division -> department id; area: division or local name -> area; expert:
    expert type -> 是; state: local word -> a registration state; risk: local word -> risk class).
    """

    path: str = Field(min_length=1)
    sheet: str | None = None
    columns: dict[str, list[str]] = Field(default_factory=dict)
    department: str | None = None
    values: dict[str, dict[str, str]] = Field(default_factory=dict)

    @field_validator("columns", mode="before")
    @classmethod
    def _listify(cls, v):
        return header_lists(v)


def header_lists(v):
    """`columns` values as lists: a single header name may be written without brackets."""
    if isinstance(v, dict):
        return {k: [x] if isinstance(x, str) else x for k, x in v.items()}
    return v


def as_files(v, sheet: str | None = None) -> list[RosterFile]:
    """A roster setting (path, one file's settings, or a list of either) as a list of RosterFile."""
    if v is None:
        return []
    if isinstance(v, str):
        return [RosterFile(path=v, sheet=sheet)]
    if isinstance(v, RosterFile):
        return [v]
    return [f for x in v for f in as_files(x, sheet)]


class ColumnMap(_Model):
    """Extra header names per field, tried before the defaults (see rosters.DEFAULT_COLUMNS)."""

    targets: dict[str, list[str]] = Field(default_factory=dict)
    inspectors: dict[str, list[str]] = Field(default_factory=dict)
    conflicts: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("targets", "inspectors", "conflicts", mode="before")
    @classmethod
    def _listify(cls, v):
        if isinstance(v, dict):
            return {k: [x] if isinstance(x, str) else x for k, x in v.items()}
        return v


class Rosters(_Model):
    """Files the plan uses; relative paths are relative to the plan file."""

    targets: str | RosterFile
    targets_sheet: str | None = None
    inspectors: str | RosterFile | list[str | RosterFile]  # one file, or one per department
    inspectors_sheet: str | None = None
    conflicts: str | None = None
    special_lists: dict[str, str] = Field(default_factory=dict)  # 专项库 name -> CSV/xlsx of codes
    columns: ColumnMap = Field(default_factory=ColumnMap)
    # (results mapping lives with the results intake: publish stage)

    def target_file(self) -> RosterFile:
        return as_files(self.targets, self.targets_sheet)[0]

    def inspector_files(self) -> list[RosterFile]:
        return as_files(self.inspectors, self.inspectors_sheet)
