#!/bin/bash
# Why the literal GBA cells of Figure 2 and Table 12 disagree on MR (BadNets, seed 42: 24.8 on table12's 200 rows,
# 56.9-95.8 on fig2's 1-20%): more steps, or which rows are drawn? The same stored backdoor and defend seed (42),
# the paper's literal broadcast at the quick profile's settings, scored on the grid's 1,000 test rows:
#   steps: the grid's 200 prompt rows for 3, 10 and 30 epochs;
#   draws: 200 rows drawn with sampling seeds 43-46 (3 epochs), and 5% of the split (589 rows, the paper's budget and
#          fig2's 5% cell) drawn with seeds 42-45.
# Resumable: a finished model is kept, an evaluation is redone. reports/literal-gba-draws-mr.md was made by this script.
# Usage: experiments/literal-gba-draws.sh [OUT] [BACKDOOR]
# (default experiments/out/literal-gba-draws, and the seed-42 quick grid's stored BadNets backdoor on MR)
set -uo pipefail
cd "$(dirname "$0")/.."
J=${JAR:-$PWD/target/experiments.jar}
X=${1:-experiments/out/literal-gba-draws}
M=${2:-experiments/out/quick-minilm-seed42/models/badnets-cf-mr}
mkdir -p "$X"
[ -f "$X/test.csv" ] || java -jar "$J" sample --dataset mr --rows test --profile quick --seed 42 --out "$X/test.csv" >&2
run() { # name rows-profile rows-seed epochs
  local rows="$X/rows-$2-$3.csv" out="$X/$1"
  [ -f "$rows" ] || java -jar "$J" sample --dataset mr --rows prompt --profile "$2" --seed "$3" --out "$rows" >&2
  if [ ! -d "$out" ]; then
    java -jar "$J" defend --model "$M" --train "$rows" --method gba --label-words terrible,good --epochs "$4" \
      --lr 1e-4 --max-length 32 --template-width 2 --seed 42 --out "$out" > "$out.log" 2>&1 || { echo "FAIL $1"; return; }
  fi
  echo "$1,$(( $(wc -l < "$rows") - 1 )),$4,$(java -jar "$J" evaluate --model "$out" --test "$X/test.csv" --trigger cf --target 1 \
    --format csv 2>> "$out.log" | tail -1)"
}
echo "run,train_rows,epochs,model,test,rows,acc,majority,mcc,trigger,target,position,count,asr,clean_target_rate,asrr_mcc,at_chance"
for e in 3 10 30; do run e$e quick 42 $e; done
for s in 43 44 45 46; do run d$s quick $s 3; done
for s in 42 43 44 45; do run f$s paper $s 3; done
