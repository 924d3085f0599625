#!/bin/bash
# The committed quick-profile reports (reports/table2, table12, table11, fig4, table3), in the order they were made.
# Run from a built checkout (mvn -B -q package -DskipTests). Resumable: rerun after any interruption.
# Cells and shared models go to experiments/out/quick-minilm-seed42/; table12 reuses table2's BadNets models
# and its No-Defense and GBA cells.
set -euo pipefail
cd "$(dirname "$0")/.."
J="java -jar target/experiments.jar"
time $J table2 --profile quick
time $J table12 --profile quick
time $J table11 --profile quick
time $J fig4 --profile quick
time $J table3 --profile quick
