#!/bin/bash
# How many clean rows GBA needs to teach the task to an encoder never fine-tuned on it (NeuBA's downloaded encoder,
# its floor's clean MiniLM): PT+soft (GBA's adaptation without the broadcast) at the quick profile's rate, batch and
# length, on 200 or 1,000 rows for 3 epochs, or 200 rows for 15 (as many steps as 1,000 for 3), scored on 1,000 dev
# rows. Samples: python3's seeded shuffle of the train and dev splits (seed 43; a second train sample, seed 44).
# Resumable: a finished configuration's JSON is kept. Usage: experiments/neuba-budget.sh [OUT] [NEUBA_ENCODER]
# (default experiments/out/neuba-budget, and the seed-43 quick grid's stored NeuBA pre-training).
# reports/neuba-budget.md was made by this script (run as two scripts, the same commands).
set -uo pipefail
cd "$(dirname "$0")/.."
J=${JAR:-$PWD/target/experiments.jar}
O=${1:-experiments/out/neuba-budget}
NEUBA=${2:-$PWD/experiments/out/quick-minilm-seed43/models/neuba-table5-pretrained}
export ROOT=$PWD
mkdir -p "$O" && cd "$O"
python3 - <<'PY'
import csv, gzip, os, random
for t in ["yelp", "mr"]:
    for split, seed, sizes in [("train", 43, [200, 1000]), ("train", 44, [200, 1000]), ("dev", 43, [1000])]:
        rows = list(csv.reader(gzip.open(os.path.join(os.environ["ROOT"], f"datasets/{t}/{split}.csv.gz"), "rt")))
        header, rows = rows[0], rows[1:]
        random.Random(seed).shuffle(rows)
        for n in sizes:
            name = f"{t}-{split}{n}.csv" if seed == 43 else f"{t}-s44-{split}{n}.csv"
            with open(name, "w", newline="") as f:
                w = csv.writer(f); w.writerow(header); w.writerows(rows[:n])
PY
run() { # task model-name model sample rows epochs seed
  local out="out-$1-$2-$4$5-e$6"
  [ -f "$out.eval.json" ] && return
  rm -rf "$out"; local s=$(date +%s)
  java -jar "$J" defend --model "$3" --method pt-soft --train "$1-$4train$5.csv" --label-words terrible,good \
    --lr 1e-4 --epochs "$6" --batch 32 --max-length 32 --seed "$7" --out "$out" > "$out.log" 2>&1 || { echo "FAIL $out"; return; }
  java -jar "$J" evaluate --model "$out" --test "$1-dev1000.csv" --format json > "$out.eval.tmp" 2>> "$out.log" \
    && mv "$out.eval.tmp" "$out.eval.json"
  echo "$1 $2 sample=${4:-s43-} rows=$5 epochs=$6 train+eval_s=$(( $(date +%s) - s )) $(tr -d '\n ' < "$out.eval.json")"
}
for t in yelp mr; do
  run $t minilm minilm "" 200 3 43;  run $t minilm minilm "" 1000 3 43;  run $t minilm minilm "" 200 15 43
  run $t neuba "$NEUBA" "" 200 3 43; run $t neuba "$NEUBA" "" 1000 3 43
done
for t in yelp mr; do
  run $t minilm minilm s44- 200 3 44; run $t minilm minilm s44- 1000 3 44
done
