#!/bin/bash
# The quick profile's No-Defense ACC floor (issue 13): how many clean rows, epochs, which rate or length a MiniLM
# classifier needs to work on MR and Fakeddit. Each configuration is a clean head fine-tune of MiniLM (the attacker's
# classifier without the poison) on the first N rows of the (shuffled) train split, scored on 1,000 dev rows.
# Resumable: a finished configuration's JSON is kept. Usage: experiments/acc-floor.sh [OUT] (default experiments/out/acc-floor)
set -euo pipefail
cd "$(dirname "$0")/.."
J=${JAR:-target/experiments.jar}
O=${1:-experiments/out/acc-floor}
mkdir -p "$O"
for cfg in "mr 200 1e-4 3 32" "mr 200 1e-4 6 32" "mr 200 3e-4 3 32" "mr 500 1e-4 3 32" "mr 1000 1e-4 3 32" \
           "mr 200 1e-4 3 64" "fakeddit 200 1e-4 3 32" "fakeddit 200 3e-4 3 32" "fakeddit 500 1e-4 3 32" \
           "fakeddit 200 1e-4 6 32" "fakeddit 1000 1e-4 3 32"; do
  set -- $cfg
  name="$1-r$2-lr$3-e$4-l$5"
  [ -f "$O/$name.json" ] && continue
  start=$(date +%s)
  java -jar "$J" defend --model minilm --method clean-ft --label-words terrible,good --train "datasets/$1/train.csv.gz" \
       --limit "$2" --lr "$3" --epochs "$4" --max-length "$5" --seed 42 --out "$O/m-$name" --overwrite > "$O/$name.log" 2>&1
  seconds=$(( $(date +%s) - start ))
  java -jar "$J" evaluate --model "$O/m-$name" --test "datasets/$1/dev.csv.gz" --limit 1000 --format json > "$O/$name.tmp"
  mv "$O/$name.tmp" "$O/$name.json"
  echo "$name train_s=$seconds $(tr -d '\n ' < "$O/$name.json")"
  rm -rf "$O/m-$name"
done
