#!/usr/bin/env bash
# Each post-rule switched off alone (issue 20's ablation), screened over detector recordings (bench nab --record DIR):
# the product's detector replays what a full replay's detector received, so one run is seconds, not minutes.
# Usage: scripts/nab-ablation.sh RECORDING... (e.g. scripts/nab-ablation.sh /tmp/rec/dev-{1..8})
# Prints, per run and category, the category's standard score at the swept threshold and at the product's default,
# then per switch and category the mean over the recordings given, its change against all rules, and the mean and
# worst category. Extra arguments for every run: NAB_ABLATION_EXTRA="--set KEY=VALUE ...".
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/MetaAnomaly.Bench/MetaAnomaly.Bench.csproj -v q >/dev/null
declare -A runs=(
  [all-rules]=""
  [no-recurrence]="--set Detection:Recurrence:Lookback=00:00:00"
  [no-deviation-memory]="--set Detection:DeviationMemory:Points=0"
  [no-excused-return]="--set Detection:ExcusedReturn:Enabled=false"
  [no-sustained]="--set Detection:Sustained:Window=0"
  [no-flatline]="--set Detection:Flatline:MinPoints=0"
)
order=(all-rules no-recurrence no-deviation-memory no-excused-return no-sustained no-flatline)
lines=$(mktemp)
for recording in "$@"; do
  for name in "${order[@]}"; do
    # shellcheck disable=SC2086
    dotnet bench/MetaAnomaly.Bench/bin/Release/net10.0/MetaAnomaly.Bench.dll nab --from "$recording" --out "$(mktemp -d)" \
      ${runs[$name]} ${NAB_ABLATION_EXTRA:-} \
      | awk -v run="$name" -v rec="$(basename "$recording")" -F'|' '
          /^[|] category[ ]/ { table = 1; next }
          table && /^[|]---/ { next }
          table && /^[|]/ { c = $2; s = $8; d = $11; gsub(/ /, "", c); gsub(/ /, "", s); gsub(/ /, "", d); if (s != "n/a") print run "\t" rec "\t" c "\t" s "\t" d }
          table && !/^[|]/ { table = 0 }
          /^RESULT/ { print $0 > "/dev/stderr"; if (match($0, /false_alarms_per_1000_series_days=[^ ]+/)) { fa = substr($0, RSTART + 34, RLENGTH - 34); if (fa != "NaN") print run "\t" rec "\tfalse-alarms\t" fa "\t" fa } }' | tee -a "$lines"
  done
done
echo
echo "mean over ${#} recordings: category standard at the swept threshold / at the default (swept change against all-rules)"
awk -F'\t' -v order="${order[*]}" '
  $3 == "false-alarms" { fa[$1] += $4; faCount[$1]++; next }
  { swept[$1, $3] += $4; dflt[$1, $3] += $5; n[$1, $3]++; cats[$3] = 1 }
  END {
    split(order, names, " ")
    for (k = 1; k in names; k++) {
      run = names[k]; line = run; total = 0; totalDefault = 0; count = 0; worst = 1e9
      for (c in cats) {
        if (!((run, c) in n)) continue
        s = swept[run, c] / n[run, c]; d = dflt[run, c] / n[run, c]
        base = swept["all-rules", c] / n["all-rules", c]
        line = line sprintf(" | %s %.1f / %.1f (%+.1f)", c, s, d, s - base)
        total += s; totalDefault += d; count++; if (s < worst) worst = s
      }
      printf "%s | mean_category %.1f / %.1f, worst %.1f", line, total / count, totalDefault / count, worst
      if (faCount[run] > 0) printf " | false alarms per 1,000 clean series-days at the default %.1f", fa[run] / faCount[run]
      printf "\n"
    }
  }' "$lines"
rm -f "$lines"
