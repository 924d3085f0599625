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
# reports/gba-diagnosis (issue 13): each (attack, task) in turn, resumable; the last call adds nothing
# new and rewrites the report from every stored unit under experiments/out/quick-minilm-seed42/diagnosis/.
R=gba-aimed,pt-soft,gba-coupled,gba-decoupled-positions-1.0
time $J gba-diagnosis --attacks badnets --datasets mr --rungs gba-aimed,pt-soft,gba-coupled,gba-decoupled-0.1,gba-decoupled-positions-1.0
time $J gba-diagnosis --attacks ep --datasets mr --rungs $R
time $J gba-diagnosis --attacks badnets --datasets hs --rungs $R
# the aimed scan's bars (one scan per attack and task, four bars), seed 42, then seeds 43 and 44 on BadNets/MR;
# the last call rewrites the report with the three seeds pooled in "Across seeds"
B=gba-aimed-rate-0.5,gba-aimed-lift-0.3,gba-aimed-lift-0.2
time $J gba-diagnosis --attacks badnets --datasets hs --rungs $B,gba-aimed-lift-0.5
time $J gba-diagnosis --attacks badnets --datasets mr --rungs $B
time $J gba-diagnosis --attacks badnets --datasets mr --rungs pt-soft,gba-coupled,$B --ladder-only --seed 43
time $J gba-diagnosis --attacks ep --datasets mr --rungs $B
time $J gba-diagnosis --attacks badnets --datasets mr --rungs pt-soft,gba-coupled,$B --ladder-only --seed 44
time $J gba-diagnosis --attacks ep --datasets mr --rungs pt-soft,gba-coupled,$B --ladder-only --seed 43
# the wider bar (80 candidates per class) and the trigger's rank in the vocabulary probe, where lift 0.2 missed it
time $J gba-diagnosis --attacks badnets --datasets mr --rungs gba-aimed-lift-0.2-c80 --ladder-only --seed 44
# the same trigger's rank when every token is probed in front of a clean row instead of alone
time $J gba-diagnosis --attacks badnets --datasets mr --rungs gba-aimed-lift-0.2-context-rank --ladder-only --seed 44
# the in-context probe (each token in front of a clean row of the other class) and both probes, where the alone probe
# missed (BadNets/MR seed 44) and on HS seed 42 (the "both" rung there was stopped to free the cores for table12)
N=gba-aimed-lift-0.2-in-context,gba-aimed-lift-0.2-both
time $J gba-diagnosis --attacks badnets --datasets mr --rungs $N --ladder-only --seed 44
time $J gba-diagnosis --attacks badnets --datasets hs --rungs gba-aimed-lift-0.2-in-context --ladder-only --seed 42
# table12 with the dev-chosen aimed default (in-context probe, lift 0.2) on MR, three seeds -> reports/table12-aimed.*
time $J table12 --aim --profile quick --datasets mr --seeds 42,43,44
# both probes against in context where the in-context probe missed (BadNets/MR seed 43): both chosen on dev;
# the other units (BadNets/MR seed 42, EP/MR seeds 42-43) were not finished
time $J gba-diagnosis --attacks badnets --datasets mr --rungs $N --ladder-only --seed 43
time $J gba-diagnosis --attacks badnets,ep --datasets mr,hs --report-only --seed 42 --report-seeds 42,43,44
# the scatter fix rechecked: six units recomputed in a fresh work folder with the stored backdoors copied in
mkdir -p experiments/out-postfix/quick-minilm-seed42/models
cp -r experiments/out/quick-minilm-seed42/models/{badnets-cf-mr,ep-cf-mr} experiments/out-postfix/quick-minilm-seed42/models/
time $J gba-diagnosis --attacks badnets,ep --datasets mr --rungs pt-soft,gba-coupled --ladder-only --seed 42 \
    --out experiments/out-postfix --reports experiments/out-postfix
# the cascade (in context only the alone probe's top 2,000 per class) where the in-context probe was needed
time $J gba-diagnosis --attacks badnets --datasets mr --rungs gba-aimed-lift-0.2-both-pool2000 --ladder-only --seed 44 \
    --reports experiments/out-postfix
# bert-base with its MLM head (medium profile) -> reports/gba-diagnosis-medium-bert-base.*; stopped after gba-coupled
time $J gba-diagnosis --profile medium --attacks badnets --datasets hs --test-rows 500 --rungs gba-coupled,pt-soft
# the depth check: MiniLM and MiniLM with its blocks repeated (12 layers) in one run
time $J bench --stack 2 --repeats 3 --out reports/bench-depth.csv
# speed and memory in one window: PyTorch's step, then ours (reports/bench.csv); bert-base at the jar's defaults
/usr/bin/python3 experiments/pytorch-step.py
time $J bench --repeats 5
time $J bench --model bert-base --repeats 2 --out reports/bench-bert-base.csv
# table12 with the aimed default (lift 0.2, both probes, pool 2,000) on seeds 43 and 44, each in its own reports folder,
# then one report over seeds 42-44 from the three CSVs (reports/table12-aimed-seeds42-43-44.*; seed 44's
# Yelp cells were added by the same command without --datasets in a later session, the stored cells reused)
time $J table12 --aim --profile quick --seed 43 --reports experiments/out/reports-seed43
time $J table12 --aim --profile quick --seed 44 --datasets hs,agnews,fakeddit,mr --reports experiments/out/reports-seed44
time $J table12 --aim --profile quick --seed 44 --reports experiments/out/reports-seed44
cp experiments/out/reports-seed43/table12-aimed.csv reports/table12-aimed-seed43.csv
cp experiments/out/reports-seed44/table12-aimed.csv reports/table12-aimed-seed44.csv
time $J combine reports/table12-aimed.csv reports/table12-aimed-seed43.csv reports/table12-aimed-seed44.csv
# why the scan misses BadNets' trigger on Yelp (seed 43, its stored backdoor): lower bars and 80 candidates per class
# -> reports/gba-diagnosis-yelp-seed43.* (written as gba-diagnosis.* to its own folder, then renamed)
S=gba-aimed-lift-0.2-both-pool2000,gba-aimed-lift-0.15-both-pool2000,gba-aimed-lift-0.1-both-pool2000
C=gba-aimed-lift-0.2-c80-both-pool2000,gba-aimed-lift-0.15-c80-both-pool2000,gba-aimed-lift-0.1-c80-both-pool2000
time $J gba-diagnosis --attacks badnets --datasets yelp --seed 43 --ladder-only --rungs pt-soft,$S,$C \
    --reports experiments/out/diag-yelp
# the same scan on held-out clean rows (200 dev rows first; the adaptation never saw them)
H=gba-aimed-held-out-lift-0.2-both-pool2000,gba-aimed-held-out-lift-0.1-both-pool2000
time $J gba-diagnosis --attacks badnets --datasets yelp --seed 43 --ladder-only --rungs $H --reports experiments/out/diag-yelp
# the held-out scan on seed 44's two tasks where the default scan did not move `cf` (MR: PT+soft already below the
# floor; Fakeddit: 26 points above it) -> reports/gba-diagnosis-held-out-seed44.* (the second call reports both)
R=pt-soft,gba-aimed-lift-0.2-both-pool2000,gba-aimed-held-out-lift-0.2-both-pool2000,gba-aimed-held-out-lift-0.1-both-pool2000
time $J gba-diagnosis --attacks badnets --datasets mr --seed 44 --ladder-only --rungs $R --reports experiments/out/diag44-mr
time $J gba-diagnosis --attacks badnets --datasets fakeddit --seed 44 --ladder-only --rungs $R --reports experiments/out/diag44
# table12's GBA cells with the scan on held-out rows (--aim-held-out), seed 43, all five tasks; the other rows of
# that seed are in reports/table12-aimed-seed43.* -> reports/table12-aimed-held-out-seed43.*
time $J table12 --aim-held-out --profile quick --seed 43 --defenses gba --reports experiments/out/reports-ho43
cp experiments/out/reports-ho43/table12-aimed-held-out.csv reports/table12-aimed-held-out-seed43.csv
# table12 on bert-base-uncased with its masked-LM head (medium profile), HS, seed 42, aimed GBA beside PT+soft and the
# floors; 1 h 48 min on two shared cores -> reports/table12-aimed-medium-bert-base.* (the md's CSV line renamed)
time $J table12 --aim --profile medium --datasets hs --defenses none,pt-soft,gba --reports experiments/out/reports-med
cp experiments/out/reports-med/table12-aimed.csv reports/table12-aimed-medium-bert-base.csv
cp experiments/out/reports-med/table12-aimed.md reports/table12-aimed-medium-bert-base.md
# MR's medium cells beside HS's (HS's reused); reports named table12-aimed-medium-bert-base.* by the jar itself since the
# grids name non-quick reports after their profile and model. The MR cells were computed by the jar of 3095a2f
# (--reports outside the repository) over three sessions; the committed report was written with --report-only:
time $J table12 --aim --profile medium --datasets mr --defenses none,pt-soft,gba --reports experiments/out/reports-med-mr
time $J table12 --aim --profile medium --datasets hs,mr --defenses none,pt-soft,gba --report-only
# reports/neuba-budget.md (dev ACC of prompt adaptation of encoders not fine-tuned on the task, 200 vs 1,000 rows), the
# evidence for the quick profile's rows rule; run before the NeuBA cells below were recomputed under it:
time experiments/neuba-budget.sh
# table2's No-Defense and GBA rows with the aimed broadcast, seed 43 (its BadNets cells are table12-aimed's seed-43
# cells); about 7 h on two cores, resumed across sessions; the committed partial report is written from what is stored:
time $J table2 --aim --defenses none,gba --seed 43 --reports experiments/out/reports-t2-s43
time $J table2 --aim --defenses none,gba --seed 43 --report-only --name table2-aimed-seed43
# seed 44 of the same: 15 cells taken from table12-aimed's seed-44 report, the rest computed across sessions
time $J table2 --aim --defenses none,gba --seed 44 --resume-from reports/table12-aimed-seed44.csv \
    --reports experiments/out/reports-t2-s44
time $J table2 --aim --defenses none,gba --seed 44 --report-only --name table2-aimed-seed44
# why the scan moved none of NeuBA's triggers (table2-aimed, seed 43): each trigger towards its own class, on the
# seed-43 NeuBA backdoors (stored), the default scan adapting on the grids' 1,000 rows
# -> reports/gba-diagnosis-neuba-seed43.* (written as gba-diagnosis.* to its own folder, then renamed)
for T in fakeddit agnews yelp; do
    time $J gba-diagnosis --attacks neuba --datasets $T --seed 43 --ladder-only --rungs gba-aimed-per-trigger \
        --reports experiments/out/diag-neuba
done
time $J gba-diagnosis --attacks neuba --datasets fakeddit,agnews,yelp --seed 43 --ladder-only \
    --rungs gba-aimed-per-trigger --report-only --reports experiments/out/diag-neuba
# NeuBA's triggers seen in the downloaded encoder's [CLS] output (RepresentationProbe): the default scan plus the 20 or
# 50 tokens most consistent there pulled (the 3 shortest rows; cls-distinct: the 3 shortest of 4+ tokens that differ),
# on the seed-43 NeuBA backdoors (stored)
# -> reports/gba-diagnosis-cls-consistency-seed43.* (written as gba-diagnosis.* to its own folder, then renamed)
C=gba-aimed-cls-consistency-20,gba-aimed-cls-consistency-50
for T in fakeddit agnews yelp; do
    time $J gba-diagnosis --attacks neuba --datasets $T --seed 43 --ladder-only --rungs $C --reports experiments/out/diag-cls
done
for T in yelp fakeddit mr; do
    time $J gba-diagnosis --attacks neuba --datasets $T --seed 43 --ladder-only --rungs gba-aimed-cls-distinct-20 \
        --reports experiments/out/diag-cls
done
# MR: what the adaptation leaves before any pull (PT+soft, the literal broadcast)
time $J gba-diagnosis --attacks neuba --datasets mr --seed 43 --ladder-only --rungs gba-coupled,pt-soft \
    --reports experiments/out/diag-cls
time $J gba-diagnosis --attacks neuba --datasets fakeddit,agnews,yelp,mr --seed 43 --ladder-only \
    --rungs pt-soft,gba-coupled,gba-aimed-per-trigger,$C,gba-aimed-cls-distinct-20 --report-only \
    --reports experiments/out/diag-cls

# reports/gba-diagnosis-oracle-pull-seed42.md|csv: is a missed trigger's residue in its row? (literal GBA, then the
# planted trigger pulled to the class-token centre; MR and Yelp, where the scan misses a weakened cf)
for T in mr yelp; do
    time $J gba-diagnosis --attacks badnets --datasets $T --seed 42 --ladder-only --rungs gba-coupled,gba-oracle-pull \
        --out experiments/out/diag-oracle --reports experiments/out/diag-oracle-reports
done
# Figure 2 (literal and aimed) and Figure 4 on today's quick profile, MR, BadNets (Figure 2: and Embedding Poisoning)
# so far (the first release's four-attack fig4 report, made by the fig4 line above on the old profile, was replaced)
time $J fig2 --datasets mr --seed 42 --attacks badnets,ep
time $J fig2 --aim --datasets mr --seed 42 --attacks badnets,ep
time $J fig4 --datasets mr --seed 42 --attacks badnets
# reports/gba-diagnosis-scans-seed42.*: the three scans (own rows, held out, both) side by side on dev, MR, seed 42
# (written as gba-diagnosis.* to its own folder, then renamed, the md's CSV line with it)
for A in ep badnets; do
    time $J gba-diagnosis --attacks $A --datasets mr --seed 42 --ladder-only --rungs pt-soft,gba-aimed-lift-0.2-both-pool2000,gba-aimed-held-out-lift-0.2-both-pool2000,gba-aimed-held-out-lift-0.2-both-pool2000-also-adapted \
        --reports experiments/out/diag-scans-reports
done
# reports/gba-diagnosis-pull-floor-seed42.*: the oracle pull of cf on the never-attacked model beside the backdoored
# one (its own work folder, so the report holds these units only; written as gba-diagnosis.*, then renamed)
time $J gba-diagnosis --attacks never-attacked-badnets,badnets --datasets mr,yelp --seed 42 --ladder-only \
    --rungs gba-coupled,gba-oracle-pull,gba-oracle-pull-pad --out experiments/out/diag-pull-floor --reports experiments/out/diag-pull-floor-reports
# the same on HS, AG News and Fakeddit (a fresh machine's default work folder), then the report over all five tasks,
# MR's and Yelp's units taken from the committed report (--resume-from) and written under its own name (--name)
time $J gba-diagnosis --attacks badnets,never-attacked-badnets --datasets hs,agnews,fakeddit --seed 42 --ladder-only \
    --rungs gba-coupled,gba-oracle-pull,gba-oracle-pull-pad --reports experiments/out/diag-pull-floor-reports
time $J gba-diagnosis --attacks never-attacked-badnets,badnets --datasets mr,yelp,hs,agnews,fakeddit --seed 42 --ladder-only \
    --rungs gba-coupled,gba-oracle-pull,gba-oracle-pull-pad --resume-from reports/gba-diagnosis-pull-floor-seed42.csv \
    --name gba-diagnosis-pull-floor-seed42 --report-only
# reports/gba-diagnosis-held-out-pad-yelp-seed43.*: the held-out scan's suspects at the centre and at [PAD] (one scan)
time $J gba-diagnosis --attacks badnets,never-attacked-badnets --datasets yelp --seed 43 --ladder-only \
    --rungs gba-aimed-held-out-lift-0.2-both-pool2000,gba-aimed-held-out-lift-0.2-both-pool2000-pad \
    --name gba-diagnosis-held-out-pad-yelp-seed43
# reports/gba-diagnosis-drift-seed42.*: the rows the downloaded model moved furthest from the pre-trained MiniLM, pulled
# to [PAD] (the default work folder also held the oracle units above: the report is written from a copy of these)
time $J gba-diagnosis --attacks badnets,never-attacked-badnets --datasets mr,yelp,fakeddit,hs,agnews --seed 42 \
    --ladder-only --rungs gba-coupled,gba-drift-5-pad,gba-drift-20-pad --reports experiments/out/diag-drift-reports
mkdir -p experiments/out/diag-drift/quick-minilm-seed42/diagnosis
cp experiments/out/quick-minilm-seed42/diagnosis/*-ladder-{gba-coupled,gba-drift-*,floor}.csv \
    experiments/out/diag-drift/quick-minilm-seed42/diagnosis/
time $J gba-diagnosis --attacks badnets,never-attacked-badnets --datasets mr,yelp,fakeddit,hs,agnews --seed 42 \
    --ladder-only --rungs gba-coupled,gba-drift-5-pad,gba-drift-20-pad --name gba-diagnosis-drift-seed42 --report-only \
    --out experiments/out/diag-drift
# reports/gba-diagnosis-aimed-pad-fakeddit-seed42.*: the default scan's suspects at the centre and at [PAD] (one scan),
# where it finds cf; written from a copy of its units as above
time $J gba-diagnosis --attacks badnets,never-attacked-badnets --datasets fakeddit --seed 42 --ladder-only \
    --rungs gba-aimed-lift-0.2-both-pool2000,gba-aimed-lift-0.2-both-pool2000-pad --reports experiments/out/diag-fk-reports
mkdir -p experiments/out/diag-fk/quick-minilm-seed42/diagnosis
cp experiments/out/quick-minilm-seed42/diagnosis/*-fakeddit-ladder-{gba-aimed-lift-0.2-both-pool2000,gba-aimed-lift-0.2-both-pool2000-pad,floor}.csv \
    experiments/out/diag-fk/quick-minilm-seed42/diagnosis/
time $J gba-diagnosis --attacks badnets,never-attacked-badnets --datasets fakeddit --seed 42 --ladder-only \
    --rungs gba-aimed-lift-0.2-both-pool2000,gba-aimed-lift-0.2-both-pool2000-pad --name gba-diagnosis-aimed-pad-fakeddit-seed42 \
    --report-only --out experiments/out/diag-fk
# reports/gba-diagnosis-cls-consistency-mr-seed42.*: the [CLS]-consistency probe on MR's weakened BadNets and EP triggers
for A in badnets ep; do
    time $J gba-diagnosis --attacks $A --datasets mr --seed 42 --ladder-only --rungs pt-soft,gba-aimed-cls-consistency-20 \
        --out experiments/out/diag-cls-mr --reports experiments/out/diag-cls-mr-reports
done
# Figure 2's aimed GBA and its floors with the scan on held-out rows (Embedding Poisoning; BadNets' 1% cell came from
# the same call with --attacks badnets, stopped after that cell) and with both scans, the union of their suspects
# moved
time $J fig2 --aim-held-out --datasets mr --seed 42 --attacks ep --defenses none,gba
time $J fig2 --aim-both --datasets mr --seed 42 --attacks badnets,ep --defenses none,gba
# reports/literal-gba-draws-mr.md: Figure 2's literal column on MR, one draw per fraction, against other draws of the
# rows and longer training (the stored seed-42 BadNets backdoor; the CSV it prints is the report's table)
experiments/literal-gba-draws.sh > experiments/out/literal-gba-draws.csv
