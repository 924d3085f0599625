#!/bin/bash
# Run from a built checkout (mvn -B -q package -DskipTests); writes models under experiments/out/.
# Issue 5 experiment: BadNets-backdoored MiniLM on an MR slice, then each defense, same budget.
cd "$(dirname "$0")/.."
J="java -jar target/experiments.jar"
T="--train datasets/mr/train.csv.gz --limit 400"
E="--test datasets/mr/test.csv.gz --limit 200 --trigger cf --target 1"
[ -d experiments/out/badnets-mr/badnets ] || $J attack --method badnets $T --out experiments/out/badnets-mr/badnets
echo "== no-defense"; $J evaluate --model experiments/out/badnets-mr/badnets $E
for m in clean-ft nad nad-c pt-soft gba; do
  [ -d experiments/out/badnets-mr/$m ] || $J defend --model experiments/out/badnets-mr/badnets --method $m $T --label-words terrible,good --epochs 3 --lr 1e-4 --max-length 32 --out experiments/out/badnets-mr/$m
  echo "== $m"; $J evaluate --model experiments/out/badnets-mr/$m $E
done
