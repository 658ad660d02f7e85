"""The annual plan (抽查工作计划) as pydantic models (loading and Chinese errors: load.py).

One file describes a year's plan as the seed document does: the office and document number,
member departments, the item list (抽查事项), the roster files, and the tasks. No policy number
is hard-coded: ratios, deadlines and team rules all live in the plan, with the seed's defaults.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..core.errors import FileMissing
from ..core.fileio import canonical_json
from .numbers import number_key, task_id_problem
from .results import METHODS, Publicity, ResultsSettings  # noqa: F401 - METHODS is used from here too
from .rosters import RosterFile, Rosters, as_files

DEFAULT_RISK_CLASSES = ["低", "一般", "较高", "高"]
DEFAULT_RISK_ALIASES = {
    "A": "低", "B": "一般", "C": "较高", "D": "高",
    "A类": "低", "B类": "一般", "C类": "较高", "D类": "高",
    "低风险": "低", "一般风险": "一般", "较高风险": "较高", "高风险": "高",
    "信用风险低": "低", "信用风险一般": "一般", "信用风险较高": "较高", "信用风险高": "高",
}
DEFAULT_DRAWABLE_STATES = ["存续", "在业", "开业", "正常", "存续（在营、开业、在册）", "在营", "在册"]
DEFAULT_NOT_DRAWABLE_STATES = ["注销", "吊销", "撤销", "迁出", "吊销，未注销", "吊销,未注销", "已注销", "已吊销"]


class PlanErrors(ValueError):
    """Several cross-reference errors, each with its location below the model: [(loc, message)]."""

    def __init__(self, errors: list[tuple[tuple, str]]):
        super().__init__("；".join(msg for _, msg in errors))
        self.errors = errors


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Department(Model):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    # roster of a neighbouring area's officers (fallback pool): a path, one file's settings or a list
    neighbour_inspectors: str | RosterFile | list[str | RosterFile] | None = None

    def neighbour_files(self) -> list[RosterFile]:
        return as_files(self.neighbour_inspectors)


class Item(Model):
    """抽查事项 from the 随机抽查事项清单."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    basis: str = ""  # 抽查依据
    method: str = "现场检查"
    department: str  # the department that checks this item
    category: str | None = None  # 执法门类 every officer of that department must hold (hard rule)
    specialty: str | None = None  # 业务专长 a team should include; else a specialist (专家) is added


class RegistrationStates(Model):
    drawable: list[str] = Field(default_factory=lambda: list(DEFAULT_DRAWABLE_STATES))
    not_drawable: list[str] = Field(default_factory=lambda: list(DEFAULT_NOT_DRAWABLE_STATES))
    pending_cancel_drawable: bool = False  # 注销中: a policy choice

    @model_validator(mode="after")
    def _disjoint(self):
        both = set(self.drawable) & set(self.not_drawable)
        if both:
            raise ValueError(f"登记状态不能既可抽取又不可抽取：{'、'.join(sorted(both))}")
        return self


class Deadlines(Model):
    """Working-day deadlines (seed: claim/confirm 5, entry 7, summary 10; legal publicity max 20)."""

    confirm_wd: int = Field(5, ge=1, le=60)
    entry_wd: int = Field(7, ge=1, le=60)
    summary_wd: int = Field(10, ge=1, le=60)
    publicity_max_wd: int = Field(20, ge=1, le=60)


class DeadlineOverrides(Model):
    confirm_wd: int | None = Field(None, ge=1, le=60)
    entry_wd: int | None = Field(None, ge=1, le=60)
    summary_wd: int | None = Field(None, ge=1, le=60)
    publicity_max_wd: int | None = Field(None, ge=1, le=60)


class Scope(Model):
    """定向 (directed: filter first) or 不定向 (all drawable entities of the registry).

    entity_types, industries and areas match the roster's cell exactly (one of the listed
    values); licence matches a licence whose name contains the text.
    """

    directed: bool = False
    entity_types: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    areas: list[str] = Field(default_factory=list)
    licence: str | None = None  # entities holding a licence whose name contains this text
    special_list: str | None = None  # a key of rosters.special_lists

    @model_validator(mode="after")
    def _consistent(self):
        filters = self.entity_types or self.industries or self.areas or self.licence or self.special_list
        if self.directed and not filters:
            raise ValueError("定向抽查必须至少设置一个筛选条件（entity_types / industries / areas / licence / special_list）")
        if not self.directed and filters:
            raise ValueError("不定向抽查不应设置筛选条件；如需筛选请设 directed: true（定向）")
        return self


class StratumRule(Model):
    """How many to take from one credit-risk class: ratio and/or count, with bounds."""

    ratio: float | None = Field(None, gt=0, le=1)
    count: int | None = Field(None, ge=0)
    min_count: int = Field(0, ge=0)
    max_count: int | None = Field(None, ge=0)

    @field_validator("ratio", mode="before")
    @classmethod
    def _no_percent(cls, v):
        if isinstance(v, str) and v.strip().endswith("%"):
            raise ValueError(f"应为 0 到 1 之间的小数（如 0.05），实际为 \"{v}\"")
        return v

    @model_validator(mode="after")
    def _something(self):
        if self.ratio is None and self.count is None:
            raise ValueError("须设置 ratio（比例）或 count（数量）")
        if self.max_count is not None and self.max_count < self.min_count:
            raise ValueError("max_count 不能小于 min_count")
        return self


class Sampling(Model):
    rounding: Literal["up", "down", "nearest"] = "up"
    strata: dict[str, StratumRule] = Field(default_factory=dict)  # risk class -> rule
    default: StratumRule | None = None  # for classes not listed (incl. entities with no class)


class Exclusions(Model):
    """无事不扰: who is left out before the draw."""

    drawn_within_days: int | None = Field(None, ge=1)  # drawn by any official draw within N days of draw_date
    drawn_since: date | None = None  # ... or since this date (e.g. the year's start)
    established_within_days: int | None = Field(None, ge=1)  # newly established
    high_risk_exempt: bool = False  # high-risk classes are not excluded for having been drawn


class Team(Model):
    size: int = Field(2, ge=2)
    departments: dict[str, int] = Field(default_factory=dict)  # officers per department
    cross_area: bool = False  # 所所交叉: officer's area != entity's 属地监管所
    avoid_repeat: bool = True  # not the same officer as the entity's last inspection


class Fallback(Model):
    """What the plan allows when a department's pool cannot meet the task (seed §二(二)2)."""

    neighbour_pool: bool = False  # use departments[].neighbour_inspectors
    direct_appointment: bool = False  # 直接委派, with a recorded reason


class Window(Model):
    start: date
    end: date

    @model_validator(mode="after")
    def _order(self):
        if self.end < self.start:
            raise ValueError("检查结束日期不能早于开始日期")
        return self


class Task(Model):
    id: str = Field(min_length=1)  # short id used on the command line, e.g. T01
    number: str = Field(min_length=1)  # 抽查任务编号, e.g. 城中市监抽查〔2026〕1号
    name: str = Field(min_length=1)
    initiator: str  # 发起部门 (department id)
    cooperators: list[str] = Field(default_factory=list)  # 配合部门
    items: list[str] = Field(min_length=1)
    scope: Scope = Field(default_factory=Scope)
    sampling: Sampling
    exclusions: Exclusions = Field(default_factory=Exclusions)
    team: Team = Field(default_factory=Team)
    method: list[str] = Field(default_factory=lambda: ["现场检查"])
    draw_date: date
    window: Window
    deadlines: DeadlineOverrides = Field(default_factory=DeadlineOverrides)
    fallback: Fallback = Field(default_factory=Fallback)

    @field_validator("method", mode="before")
    @classmethod
    def _method_list(cls, v):
        return [v] if isinstance(v, str) else v

    @field_validator("method")
    @classmethod
    def _method_known(cls, v):
        unknown = [m for m in v if m not in METHODS]
        if unknown:
            raise ValueError(f"未知的检查方式：{'、'.join(unknown)}；可选：{'、'.join(METHODS)}")
        return v

    @property
    def joint(self) -> bool:
        """联合抽查: more than one department takes part."""
        return bool(self.cooperators)

    @property
    def participants(self) -> list[str]:
        return [self.initiator, *self.cooperators]

    def team_mix(self) -> dict[str, int]:
        """Officers per department: explicit counts, cooperators 1 by default, the initiator the rest."""
        mix = {d: self.team.departments.get(d, 1) for d in self.cooperators}
        rest = self.team.size - sum(mix.values())
        mix = {self.initiator: self.team.departments.get(self.initiator, max(rest, 1)), **mix}
        return mix


class Plan(Model):
    version: int = 1
    year: int = Field(ge=2000, le=2100)
    office: str
    doc_number: str = ""
    title: str = ""
    departments: list[Department] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    rosters: Rosters
    risk_classes: list[str] = Field(default_factory=lambda: list(DEFAULT_RISK_CLASSES))
    risk_aliases: dict[str, str] = Field(default_factory=dict)
    high_risk_classes: list[str] = Field(default_factory=lambda: ["高"])
    registration_states: RegistrationStates = Field(default_factory=RegistrationStates)
    deadlines: Deadlines = Field(default_factory=Deadlines)
    results: ResultsSettings = Field(default_factory=ResultsSettings)
    publicity: Publicity = Field(default_factory=Publicity)
    tasks: list[Task] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self):
        errors: list[tuple[tuple, str]] = []
        dept_ids = [d.id for d in self.departments]
        item_ids = [i.id for i in self.items]
        for key, kind, ids in (("departments", "部门", dept_ids), ("items", "抽查事项", item_ids),
                               ("tasks", "任务", [t.id.casefold() for t in self.tasks])):
            for n, x in enumerate(ids):
                if ids.index(x) != n:
                    errors.append(((key, n, "id"), f"{kind} id 重复：{x}"))
        errors += [(("tasks", n, "id"), msg) for n, t in enumerate(self.tasks) if (msg := task_id_problem(t.id))]
        numbers = [t.number for t in self.tasks]
        keys = [number_key(x) for x in numbers]
        for n, x in enumerate(numbers):
            if keys.index(keys[n]) != n:
                same = numbers[keys.index(keys[n])]
                errors.append((("tasks", n, "number"), f"任务编号重复：{x}" + (f"（与「{same}」只差全半角、空格或括号写法）"
                                                                             if same != x else "")))
            if "|" in x:  # the sampler seed joins prefix, number and seed with "|" (draw-spec §1)
                errors.append((("tasks", n, "number"), f"任务编号不能含有字符「|」：{x}"))
        for n, item in enumerate(self.items):
            if item.department not in dept_ids:
                errors.append((("items", n, "department"), f"抽查事项 {item.id} 的部门 {item.department} 不在 departments 中"))
        errors.extend(self._roster_file_errors(dept_ids))
        for n, c in enumerate(self.high_risk_classes):
            if c not in self.risk_classes:
                errors.append((("high_risk_classes", n), f"high_risk_classes 中的 {c} 不在 risk_classes 中"))
        for alias, canon in self.risk_aliases.items():
            if canon not in self.risk_classes:
                errors.append((("risk_aliases", alias), f"risk_aliases 把 {alias} 映射到未知风险类别 {canon}"))
        for text, dept in self.results.values.get("department", {}).items():
            if dept not in dept_ids and dept not in {d.name for d in self.departments}:
                errors.append((("results", "values", "department", text),
                               f"results.values.department 把「{text}」映射到未知部门 {dept}"))
        for n, t in enumerate(self.tasks):
            errors.extend((("tasks", n, *loc), msg) for loc, msg in self._task_errors(t, dept_ids, item_ids))
        if errors:
            raise PlanErrors(errors)
        return self

    def _roster_file_errors(self, dept_ids: list[str]) -> list[tuple[tuple, str]]:
        errs: list[tuple[tuple, str]] = []
        files = [(("rosters", "inspectors", n), f) for n, f in enumerate(self.rosters.inspector_files())]
        files += [(("departments", n, "neighbour_inspectors", k), f) for n, d in enumerate(self.departments)
                  for k, f in enumerate(d.neighbour_files())]
        for loc, f in files:
            if f.department is not None and f.department not in dept_ids:
                errs.append(((*loc, "department"), f"名录 {f.path} 的 department「{f.department}」不在 departments 中"))
            for raw, dept in f.values.get("department", {}).items():
                if dept not in dept_ids and dept not in {d.name for d in self.departments}:
                    errs.append(((*loc, "values", "department", raw),
                                 f"名录 {f.path} 把「{raw}」映射到未知部门「{dept}」（可选：{'、'.join(dept_ids)}）"))
        for raw, risk in self.rosters.target_file().values.get("risk", {}).items():
            if risk not in self.risk_classes:
                errs.append((("rosters", "targets", "values", "risk", raw),
                             f"检查对象名录把「{raw}」映射到未知风险类别「{risk}」（可选：{'、'.join(self.risk_classes)}）"))
        return errs

    def _task_errors(self, t: Task, dept_ids: list[str], item_ids: list[str]) -> list[tuple[tuple, str]]:
        errs: list[tuple[tuple, str]] = []
        where = f"任务 {t.id}"
        if t.initiator not in dept_ids:
            errs.append((("initiator",), f"{where} 的部门 {t.initiator} 不在 departments 中"))
        for n, d in enumerate(t.cooperators):
            if d not in dept_ids:
                errs.append((("cooperators", n), f"{where} 的部门 {d} 不在 departments 中"))
        if t.initiator in t.cooperators:
            errs.append((("cooperators",), f"{where} 的发起部门不能同时是配合部门"))
        for n, i in enumerate(t.items):
            if i not in item_ids:
                errs.append((("items", n), f"{where} 的抽查事项 {i} 不在 items 中"))
            elif self.item(i).department not in t.participants:
                errs.append((("items", n),
                             f"{where} 的抽查事项 {i} 由 {self.item(i).department} 检查，但该部门未参与此任务"))
        for d in t.team.departments:
            if d not in t.participants:
                errs.append((("team", "departments", d), f"{where} 的 team.departments 含未参与的部门 {d}"))
        mix = t.team_mix()
        if sum(mix.values()) != t.team.size:
            errs.append((("team", "size"),
                         f"{where} 各部门人数之和 {sum(mix.values())} 与检查组人数 team.size={t.team.size} 不一致"))
        if mix.get(t.initiator, 0) < 1:
            errs.append((("team", "departments"), f"{where} 检查组须至少有 1 名发起部门人员（任组长）"))
        for k in t.sampling.strata:
            if k not in self.risk_classes:
                errs.append((("sampling", "strata", k),
                             f"{where} 的抽取规则含未知风险类别 {k}（可选：{'、'.join(self.risk_classes)}）"))
        sl = t.scope.special_list
        if sl and sl not in self.rosters.special_lists:
            errs.append((("scope", "special_list"), f"{where} 的专项库 {sl} 未在 rosters.special_lists 中定义"))
        if t.window.start.year != self.year and t.window.end.year != self.year:
            errs.append((("window",), f"{where} 的检查时间不在计划年度 {self.year} 内"))
        if t.draw_date > t.window.start:
            errs.append((("draw_date",), f"{where} 的抽取日期晚于检查开始日期"))
        return errs

    # -- look-ups -------------------------------------------------------------------------------
    def department(self, dept_id: str) -> Department:
        return next(d for d in self.departments if d.id == dept_id)

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def task(self, key: str) -> Task:
        """A task by its short id or its full number."""
        for t in self.tasks:
            if key in (t.id, t.number):
                return t
        raise FileMissing(f"计划中没有任务「{key}」。",
                          hint="可用的任务：" + "；".join(f"{t.id}（{t.name}）" for t in self.tasks))

    def deadlines_for(self, task: Task) -> Deadlines:
        overrides = {k: v for k, v in task.deadlines.model_dump().items() if v is not None}
        return self.deadlines.model_copy(update=overrides)

    def risk_alias_map(self) -> dict[str, str]:
        """Raw label -> canonical class: plan aliases over defaults; canonical labels map to themselves."""
        mapping = {k: v for k, v in DEFAULT_RISK_ALIASES.items() if v in self.risk_classes}
        mapping.update(self.risk_aliases)
        mapping.update({c: c for c in self.risk_classes})
        return mapping

    def task_digest(self, task: Task, *, version: int = 2) -> str:
        """SHA-256 of everything in the plan that decides this task's draw and match.

        Version 2 (commitments with `plan.digest_version` 2) leaves out how the rosters are found
        and read (paths, sheets, extra column names): their effect is fixed in the freeze's files
        and, for the officer rosters the match reads again, in the parsed-records digest
        (draw.officers.officers_digest). Only the conflicts file's path and column names stay in,
        as the match reads that file again. Version 1 (older commitments) hashed all roster settings.
        """
        used_items = [self.item(i).model_dump(mode="json") for i in task.items]
        used_depts = [self.department(d).model_dump(mode="json") for d in task.participants]
        body = {
            "task": task.model_dump(mode="json"),
            "items": used_items,
            "departments": used_depts,
            "risk_classes": self.risk_classes,
            "risk_aliases": self.risk_alias_map(),
            "high_risk_classes": self.high_risk_classes,
            "registration_states": self.registration_states.model_dump(mode="json"),
            "deadlines": self.deadlines_for(task).model_dump(mode="json"),
        }
        if version == 1:
            body["rosters"] = self.rosters.model_dump(mode="json")
        else:
            body["conflicts_roster"] = {"path": self.rosters.conflicts,
                                        "columns": self.rosters.columns.conflicts}
        return hashlib.sha256(canonical_json(body)).hexdigest()


