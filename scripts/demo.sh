#!/usr/bin/env bash
# `make demo`: the whole chain on the shipped sample plan and rosters, in a fresh workspace.
#   init → check → freeze → draw → verify → match → (sample results) → publish → summary
#   → deadline report → plan export → ledger verification
# Usage: scripts/demo.sh [WORKSPACE_DIR]   (default out/demo; it is recreated each run)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=${1:-out/demo}
SSJ="$ROOT/.venv/bin/ssj"
PY="$ROOT/.venv/bin/python"
export SSJ_NO_PROGRESS=${SSJ_NO_PROGRESS:-}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -rf "$DIR"
step "1. 建立工作区 ssj init $DIR"
"$SSJ" init "$DIR"
cd "$DIR"
PLAN=plans/chengzhong-2026.yaml

step "2. 检查计划和名录 ssj check"
"$SSJ" check --plan "$PLAN"

# Two tasks through the whole chain: T01 (不定向, 市场监管局) and T02 (定向, 市场监管局 + 卫健局, 所所交叉).
DRAW_SEED_T01="73920145863201947562"   # in real use: dice rolled in public, after the freeze
DRAW_SEED_T02="58203917462038175920"
MATCH_SEED_T01="40192837465019283746"  # a second, fresh public seed for the pairing
MATCH_SEED_T02="91827364501928374650"

# The demo walks through each task's dates in the plan (SSJ_NOW fixes the clock; the ledger notes it).
declare -A DRAW_DAY=([T01]=2026-04-08 [T02]=2026-05-11)
declare -A RESULTS_BY=([T01]=2026-07-31 [T02]=2026-08-31)
declare -A PUBLISH_DAY=([T01]=2026-08-12 [T02]=2026-09-11)

for T in T01 T02; do
  draw_seed_var="DRAW_SEED_$T"; match_seed_var="MATCH_SEED_$T"
  day=${DRAW_DAY[$T]}
  step "3. [$T] 固定名录并公布承诺值 ssj freeze（$day 09:00）"
  SSJ_NOW="${day}T09:00:00+08:00" "$SSJ" freeze --plan "$PLAN" --task "$T"
  step "4. [$T] 公开掷骰产生种子后正式抽取 ssj draw（$day 10:00）"
  SSJ_NOW="${day}T10:00:00+08:00" "$SSJ" draw --plan "$PLAN" --task "$T" \
    --seed "${!draw_seed_var}" --seed-source "演示：5人现场掷骰"
  step "5. [$T] 任何人可复算 ssj verify"
  "$SSJ" verify "out/$T/draw/manifest.json"
  step "6. [$T] 匹配检查人员、派发 ssj match（$day 15:00）"
  SSJ_NOW="${day}T15:00:00+08:00" "$SSJ" match --plan "$PLAN" --task "$T" \
    --seed "${!match_seed_var}" --seed-source "演示：第二次现场掷骰"
  step "6b. [$T] 检查告知书和现场检查记录表 ssj documents"
  SSJ_NOW="${day}T16:00:00+08:00" "$SSJ" documents --plan "$PLAN" --task "$T"
  step "7. [$T] （演示）各部门填写检查结果，放入 data/results/$T/"
  "$PY" "$ROOT/scripts/fill_sample_results.py" --plan "$PLAN" --task "$T" --until "${RESULTS_BY[$T]}"
  step "8. [$T] 校验结果并公示 ssj publish（${PUBLISH_DAY[$T]}）"
  SSJ_NOW="${PUBLISH_DAY[$T]}T10:00:00+08:00" "$SSJ" publish --plan "$PLAN" --task "$T" --today "${PUBLISH_DAY[$T]}"
done

step "9. 复核匹配结果 ssj verify"
"$SSJ" verify out/T02/match/manifest.json

step "10. 登记各部门认领确认、总结报送 ssj mark"
SSJ_NOW=2026-04-10T16:00:00+08:00 "$SSJ" mark confirmed --plan "$PLAN" --task T01 --department SCJG --date 2026-04-10
SSJ_NOW=2026-05-13T16:00:00+08:00 "$SSJ" mark confirmed --plan "$PLAN" --task T02 --department SCJG --date 2026-05-13
SSJ_NOW=2026-05-14T16:00:00+08:00 "$SSJ" mark confirmed --plan "$PLAN" --task T02 --department WSJK --date 2026-05-14
SSJ_NOW=2026-08-12T16:00:00+08:00 "$SSJ" mark summary --plan "$PLAN" --task T01 --department SCJG --date 2026-08-12

step "11. 总结 ssj summary"
"$SSJ" summary --plan "$PLAN" --today 2026-11-26

step "12. 期限提醒 ssj report deadlines（有逾期事项时退出码为 9）"
set +e
"$SSJ" report deadlines --plan "$PLAN" --today 2026-11-26
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ "$rc" -ne 9 ]; then exit "$rc"; fi

step "13. 工作日计算与计划表导出"
"$SSJ" calendar add 2026-09-28 5
"$SSJ" plan export --plan "$PLAN"

step "14. 核验台账哈希链 ssj verify ledger.jsonl"
"$SSJ" verify ledger.jsonl

step "完成：示例工作区在 $DIR"
