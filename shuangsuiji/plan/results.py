"""The plan's settings for the results stage: reading platform results sheets, the public files.

`results:` maps a platform's own results export onto ssj's fields (header names and cell values);
`publicity:` chooses how the public files write dates. Both are small on purpose: docs/publish.md
shows a worked example.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .rosters import header_lists

METHODS = [  # 检查方式 (plan.model re-exports it)
    "现场检查", "书面检查", "网络检查", "网络监测", "抽样检验", "检验检测", "委托专业机构核查"]


class Model(BaseModel):  # as plan.model.Model (that module imports this one)
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResultsSettings(Model):
    """How to read the departments' results sheets when they are not ssj's own template.

    `columns`: field -> header name(s) of the platform's export, tried before the defaults
    (fields: core.resultcodes.RESULT_FIELDS). `values`: field -> {cell text: plan term}, for the
    department (a division name -> a department id), result and problem-type codes, follow-up
    categories and methods. `sheet`: the sheet to read when it is not the template's.
    """

    sheet: str | None = None
    columns: dict[str, list[str]] = Field(default_factory=dict)
    values: dict[str, dict[str, str | list[str]]] = Field(default_factory=dict)

    @field_validator("columns", mode="before")
    @classmethod
    def _listify(cls, v):
        return header_lists(v)

    @model_validator(mode="after")
    def _known(self):
        from ..core.resultcodes import FOLLOW_UPS, PROBLEM_SUBCODES, RESULT_CODES, RESULT_FIELDS, VALUE_FIELDS

        errs = [f"results.columns 中的 {k} 不是结果表的字段（可用：{'、'.join(RESULT_FIELDS)}）"
                for k in self.columns if k not in RESULT_FIELDS]
        errs += [f"results.values 中的 {k} 不能映射（可映射：{'、'.join(VALUE_FIELDS)}）"
                 for k in self.values if k not in VALUE_FIELDS]
        allowed = {"result": (list(RESULT_CODES) + list(PROBLEM_SUBCODES), "结果代码"),
                   "subcodes": (list(PROBLEM_SUBCODES), "问题类型代码"), "follow_up": (FOLLOW_UPS, "后续处置"),
                   "method": (METHODS, "检查方式")}
        for f, (ok, what) in allowed.items():
            for text, to in self.values.get(f, {}).items():
                for x in [to] if isinstance(to, str) else to:
                    if str(x) not in ok:
                        errs.append(f"results.values.{f} 把「{text}」映射到「{x}」，它不是{what}（可选：{'、'.join(ok)}）")
        if errs:
            raise ValueError("；".join(errs))
        return self


class Publicity(Model):
    """The public files: dates as the national system shows them (2026年06月06日) or ISO."""

    dates: Literal["年月日", "iso"] = "年月日"
