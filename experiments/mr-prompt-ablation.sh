#!/bin/bash
# Run from a built checkout (mvn -B -q package -DskipTests); writes models under experiments/out/.
cd "$(dirname "$0")/.."
J="java -jar target/experiments.jar"
for m in pt-soft gba; do
  $J defend --model minilm --train datasets/mr/train.csv.gz --label-words terrible,good --method $m --limit 1000 --epochs 1 --lr 5e-5 --out experiments/out/mr-$m --overwrite
  $J evaluate --model experiments/out/mr-$m --test datasets/mr/test.csv.gz --limit 1000 --trigger cf --target 1
done
