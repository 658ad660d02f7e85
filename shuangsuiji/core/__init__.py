"""Core: what every stage stands on. No stage logic here, and no imports of any stage.

Takes in: nothing of the domain. Gives out:
- errors.py     `ExitCode`, `Problem` (file, sheet, row, column, value, reason), `SsjError` family
- clock.py      `TZ` (Asia/Shanghai), `now()` / `today()` / `stamp()` (`SSJ_NOW` fixes the clock)
- fileio.py     hashing, `canonical_json`, atomic writes, `staged_dir` (a whole folder or nothing)
- jsontext.py   `json_text` / `json_parts`: json.dumps(indent=2)'s exact text by json's C encoder
- recovery.py   `recover` (run when the lock is taken: interrupted outputs moved aside, kept),
                `crash_point` (SSJ_TEST_CRASH test hook), `drain_notices`, `unrecorded_outputs`, `loose_files`
- yamlload.py   YAML with every scalar a string, and line numbers (`load_yaml`, `line_of`)
- workspace.py  `Workspace`, `find_workspace`, `lock()`, `safe_name`
- ledger.py     the hash-chained JSONL ledger, `LEDGER_HEAD` sidecars; state.py `TaskState` (what the ledger says of a task)
- audit.py      `Report` (pass / fail / skipped / finding) and the ledger checks every stage's
                verification builds on; `verify_outputs` (workspace outputs against the ledger)
- workdays.py   `WorkCalendar` (working-day arithmetic); schedules.py where a year's days off
                come from (chinesecalendar or data/calendar/YYYY.yaml), `CalendarMissing`.
                Here and not in deadlines/ because match (dispatch deadlines) needs it too.
- resultcodes.py the national result-code table and the results template's headers: the
                vocabulary match writes into templates and publish reads back
- progress.py   `report(progress, …)`, a progress callback that is a no-op when None
- perf.py       `gc_paused()`
Other stages may use every name above that does not start with an underscore.
"""
