#!/usr/bin/env bash
# Each post-rule switched off alone, on one NAB-format corpus, for the given seeds (issue 20's ablation).
# Usage: scripts/nab-ablation.sh DATA_DIR SEED... (e.g. scripts/nab-ablation.sh ../shared/data/nab 1 2)
# Runs one replay at a time, with meta-training bounded by its step count only; prints one RESULT line per run,
# prefixed with the run's name and seed. A replay is minutes on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$1
shift
dotnet build -c Release bench/MetaAnomaly.Bench/MetaAnomaly.Bench.csproj -v q >/dev/null
declare -A runs=(
  [all-rules]=""
  [no-recurrence]="--set Detection:Recurrence:Lookback=00:00:00"
  [no-deviation-memory]="--set Detection:DeviationMemory:Points=0"
  [no-excused-return]="--set Detection:ExcusedReturn:Enabled=false"
  [no-sustained]="--set Detection:Sustained:Window=0"
  [no-flatline]="--set Detection:Flatline:MinPoints=0"
)
for seed in "$@"; do
  for name in all-rules no-recurrence no-deviation-memory no-excused-return no-sustained no-flatline; do
    # shellcheck disable=SC2086
    line=$(dotnet bench/MetaAnomaly.Bench/bin/Release/net10.0/MetaAnomaly.Bench.dll nab --data "$data" --seed "$seed" \
      --out "$(mktemp -d)" --set Forecasting:MetaTrainingBudget=01:00:00 ${runs[$name]} | grep '^RESULT')
    echo "$name seed=$seed $line"
  done
done
