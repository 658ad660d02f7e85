"""Typed records read from the rosters (检查对象名录库, 执法检查人员名录库, 回避名单).

Plain slotted dataclasses, not pydantic models: a provincial roster has a million rows.
Personal fields (legal_rep, phone, id_number) exist for the office's internal files only and
must never reach a public output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Code kinds of a target's key.
USCC = "uscc"  # 18-character 统一社会信用代码
REGNO = "regno"  # 15-digit 注册号 of an older entity (ISO 7064 MOD 11,10 check digit)
REGNO13 = "regno13"  # 13-digit 注册号 from before 2007 (no check digit)
KIND_TEXT = {USCC: "统一社会信用代码", REGNO: "15位注册号", REGNO13: "13位注册号"}


@dataclass(slots=True, frozen=True)
class Source:
    """Where a record came from: file, sheet and the row number as Excel shows it."""

    file: str
    sheet: str | None
    row: int


@dataclass(slots=True)
class Target:
    """检查对象: one market entity (duplicates per licence already collapsed)."""

    credit_code: str  # normalised key: the identifier as written (USCC, or a 15/13-digit 注册号)
    name: str
    code_kind: str = USCC
    entity_type: str = ""  # 市场主体类型: 企业 / 个体工商户 / 农民专业合作社 / ...
    industry: str = ""
    address: str = ""
    legal_rep: str = ""  # personal
    phone: str = ""  # personal
    reg_authority: str = ""
    area: str = ""  # 属地监管所 / 片区
    state: str = ""  # 登记状态 as written
    drawable: bool = True  # state maps to drawable
    established: date | None = None
    risk: str = ""  # canonical risk class (a key of plan.risk_classes)
    licences: tuple[str, ...] = ()  # 许可证名称/编号, one per collapsed row
    last_inspected: date | None = None
    source: Source | None = None


@dataclass(slots=True)
class Inspector:
    """执法检查人员."""

    id: str  # 执法证号 (or 工号 when the roster has no credential number column)
    name: str  # personal in public outputs
    department: str  # department id from the plan
    area: str = ""  # 所属所 / 片区
    categories: tuple[str, ...] = ()  # 执法门类 / 执法事项范围
    specialties: tuple[str, ...] = ()  # 业务专长
    expert: bool = False  # 是否专家
    credential_no: str = ""  # 执法证号; empty = no credential = never eligible
    credential_expiry: date | None = None
    active: bool = True  # 在岗 (not 失效 / 离岗 / 调离)
    status: str = ""  # 在岗状态 as written
    id_number: str = ""  # 身份证号, personal
    phone: str = ""  # personal
    source: Source | None = None

    def credential_valid(self, start: date, end: date) -> bool:
        """A credential that exists and stays valid over the whole window [start, end]."""
        return bool(self.credential_no) and (self.credential_expiry is None or self.credential_expiry >= end)


@dataclass(slots=True, frozen=True)
class Conflict:
    """回避: an officer who must not inspect an entity, with the declared reason."""

    inspector_id: str
    credit_code: str
    reason: str
    source: Source | None = None


@dataclass
class RosterReport:
    """What intake found: accepted records plus every rejected or suspicious row with its reason."""

    file: str
    sheet: str | None
    rows_read: int = 0
    accepted: int = 0
    problems: list = field(default_factory=list)  # list[errors.Problem]
    duplicates_collapsed: int = 0
    column_map: dict[str, str] = field(default_factory=dict)  # field -> header found
    headers: list[str] = field(default_factory=list)  # every header of the file, as written
