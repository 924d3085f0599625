#!/bin/bash
# Runs the bad-input and fault cases of issue 17 against the built jar and writes reports/bad-input.md.
# Usage: experiments/bad-input.sh   (after mvn -B -q package -DskipTests; about 3 minutes on two cores)
# Every case uses the small RoBERTa ONNX fixture (src/test/resources/roberta-fixture) or fails before a
# model is loaded. W below is the scratch folder the script makes and removes: /tmp/gba4j-bad-input.
set -u
cd "$(dirname "$0")/.."
JAR="java -jar target/experiments.jar"
W=/tmp/gba4j-bad-input
OUT=reports/bad-input.md
rm -rf "$W" && mkdir -p "$W"
umask 022
FIX=src/test/resources/roberta-fixture
mkdir -p "$W/hf/onnx" && cp "$FIX/model.onnx" "$FIX/tokenizer.json" "$FIX/config.json" "$W/hf/" \
  && cp "$FIX/model.onnx" "$W/hf/onnx/" && echo "my notes" > "$W/hf/NOTES.md"
printf 'text,label\na good film,1\na bad film,0\ngood fun,1\nbad acting,0\n' > "$W/ok.csv"
printf 'text,label\n' > "$W/empty.csv"
printf 'text,label\n"unterminated,1\nfine,0\n' > "$W/quote.csv"
printf 'sentence,label\nfine,0\n' > "$W/cols.csv"
printf 'text,label\nfine,yes\n' > "$W/nonint.csv"
printf 'text,label\nfine,-1\n' > "$W/neg.csv"
printf 'text,label\nfine,2\nok,0\n' > "$W/three.csv"
printf 'text,label\nfine,1,extra\n' > "$W/fields.csv"
printf 'text,label\na good film,1\nun caf\xe9 froid,0\n' > "$W/latin1.csv"
printf '\xef\xbb\xbftext,label\na good film,1\na bad film,0\n' > "$W/bom.csv"
printf 'not gzip at all' > "$W/broken.csv.gz"
head -c 50000 "$FIX/model.onnx" > "$W/trunc.onnx"; cp "$FIX/tokenizer.json" "$W/"
head -c 100000 /dev/urandom > "$W/random.onnx"
mkdir -p "$W/notok" && cp "$FIX/model.onnx" "$W/notok/"
echo x > "$W/a-file"
MB="--model $W/hf --label-words bad,good --epochs 1 --max-length 16"   # everything but --train
MT="--model $W/hf --train $W/ok.csv --label-words bad,good"          # everything but the training settings
M="$MB --train $W/ok.csv"
ML="--model $W/hf --train $W/ok.csv --epochs 1 --max-length 16"     # everything but the label words

n=0
rows=""
# run NAME EXPECTED_EXIT CHECK_CMD -- ARGS...: runs the jar, records exit code and first error line
run() {
  local name="$1" expected="$2" check="$3"; shift 3
  n=$((n + 1))
  local err out code first ok verdict
  out=$($JAR "$@" 2> "$W/stderr"); code=$?
  err=$(cat "$W/stderr")
  first=$(grep -m1 '^error: ' "$W/stderr" || true)
  [ -z "$first" ] && first=$(echo "$out" | grep -v '^\s*$' | tail -1)
  local lines warn trace
  lines=$(grep -c '^error: ' "$W/stderr" || true)
  warn=$(grep -c 'WARN' "$W/stderr" || true)
  trace=$(grep -c $'^\tat ' "$W/stderr" || true)
  ok=yes
  [ "$code" = "$expected" ] || ok=no
  [ "$trace" = 0 ] || [[ "$*" == *--debug* ]] || ok=no
  [ "$warn" = 0 ] || ok=no
  if [ "$code" != 0 ] && [ "$lines" != 1 ]; then ok=no; fi
  local note=""
  if [ -n "$check" ]; then
    if eval "$check"; then note="check passed: \`$check\`"; else ok=no; note="CHECK FAILED: \`$check\`"; fi
  fi
  verdict=$([ $ok = yes ] && echo ok || echo FAIL)
  local shown="java -jar target/experiments.jar ${*//$W/W}"
  first="${first//$W/W}"; first="${first//|/\\|}"; shown="${shown//|/\\|}"
  rows+="| $n | $name | \`$shown\` | $expected | $code | ${first:0:220} | $note | $verdict |"$'\n'
  echo "$n $verdict $name (exit $code)" >&2
}

# untrusted model files
run "model path does not exist" 2 "" evaluate --model $W/nope --test $W/ok.csv
run "folder with model.onnx but no tokenizer.json" 2 "" defend --model $W/notok --train $W/ok.csv --label-words bad,good --out $W/o1
run "truncated ONNX file" 2 "" defend --model $W/trunc.onnx --train $W/ok.csv --label-words bad,good --out $W/o1
run "random bytes as ONNX" 2 "" defend --model $W/random.onnx --train $W/ok.csv --label-words bad,good --out $W/o1
# a model written by gba4j, for the evaluate and overwrite cases
run "defend (clean-ft) on the fixture: the reference run" 0 "test -f $W/ref/gba4j-output.json" defend $M --method clean-ft --out $W/ref
cp -r $W/ref $W/flip && python3 -c "
import sys; p='$W/flip/tensors.bin'; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=0x40; open(p,'wb').write(b)"
run "one flipped byte in tensors.bin" 2 "" evaluate --model $W/flip --test $W/ok.csv
cp -r $W/ref $W/forged && python3 -c "
import json; p='$W/forged/checkpoint.json'; j=json.load(open(p)); j['tensors'][0]['shape']=[2**40, 2**3]; json.dump(j, open(p,'w'))"
run "forged 8 TB tensor shape in checkpoint.json" 2 "" evaluate --model $W/forged --test $W/ok.csv
cp -r $W/ref $W/meta && sed -i 's/"gba4j.classes": "2"/"gba4j.classes": "3"/' $W/meta/metadata.json
run "edited metadata.json (classes 2 -> 3)" 2 "" evaluate --model $W/meta --test $W/ok.csv

# CSV input
run "--train file does not exist" 2 "" defend $MB --train $W/missing.csv --out $W/o1
run "CSV with a header and no rows" 2 "" defend $MB --train $W/empty.csv --out $W/o1
run "CSV with an unterminated quote" 2 "" defend $MB --train $W/quote.csv --out $W/o1
run "CSV without the text column" 2 "" defend $MB --train $W/cols.csv --out $W/o1
run "label that is not an integer" 2 "" defend $MB --train $W/nonint.csv --out $W/o1
run "negative label" 2 "" defend $MB --train $W/neg.csv --out $W/o1
run "label beyond the label words" 2 "" defend $MB --train $W/three.csv --out $W/o1
run "row with more fields than the header" 2 "" defend $MB --train $W/fields.csv --out $W/o1
run "Latin-1 bytes in a UTF-8 CSV" 2 "" defend $MB --train $W/latin1.csv --out $W/o1
run "CSV with a UTF-8 byte-order mark" 0 "" evaluate --model $W/ref --test $W/bom.csv
run "corrupt .csv.gz" 2 "" defend $MB --train $W/broken.csv.gz --out $W/o1

# options, all checked before a model is loaded
run "clean-ft --epochs -1" 2 "test ! -e $W/o1" defend $MT --method clean-ft --epochs -1 --out $W/o1
run "--batch 0" 2 "" defend $M --method nad --batch 0 --out $W/o1
run "--lr 0" 2 "" defend $M --lr 0 --out $W/o1
run "--max-length 4" 2 "" defend $MT --epochs 1 --max-length 4 --out $W/o1
run "--method misspelt" 2 "" defend $M --method gbaa --out $W/o1
run "--optimizer misspelt" 2 "" defend $M --optimizer adamw --out $W/o1
run "--broadcast misspelt" 2 "" defend $M --broadcast both --out $W/o1
run "one label word" 2 "" defend $ML --label-words good --out $W/o1
run "[MASK] as a label word" 2 "" defend $ML --label-words '[MASK],good' --out $W/o1
run "<s> as a label word" 2 "" defend $ML --label-words 'bad,<s>' --out $W/o1
run "label word of several tokens" 2 "" defend $ML --label-words bad,gargantuan --out $W/o1
run "--aim-flip-rate 2" 2 "" defend $M --aim --aim-flip-rate 2 --out $W/o1
run "evaluate --target 7 on a 2-class model" 2 "" evaluate --model $W/ref --test $W/ok.csv --trigger cf --target 7
run "evaluate --position middle" 2 "" evaluate --model $W/ref --test $W/ok.csv --trigger cf --position middle
run "evaluate --count 0" 2 "" evaluate --model $W/ref --test $W/ok.csv --trigger cf --count 0
run "attack --target 5 with 2 classes" 2 "" attack --method badnets --train $W/ok.csv --target 5 --out $W/o2
run "attack --classes 1" 2 "" attack --method badnets --train $W/ok.csv --classes 1 --target 0 --out $W/o2
run "attack --method misspelt" 2 "" attack --method badnet --train $W/ok.csv --out $W/o2
run "attack badnets without --train" 2 "" attack --method badnets --out $W/o2
run "unknown option" 2 "" defend $MT --epoch 1 --out $W/o1
run "table2 --profile misspelt" 2 "" table2 --profile quik --out $W/grid --reports $W/rep
run "table2 --datasets misspelt" 2 "" table2 --datasets imdb --out $W/grid --reports $W/rep

# outputs: ownership, writability, leftovers
mkdir -p $W/exists
run "--out exists, no --overwrite" 2 "test -d $W/exists" defend $M --out $W/exists
run "--out is the --model folder, --overwrite" 2 "test -f $W/hf/NOTES.md -a -f $W/hf/onnx/model.onnx -a -f $W/hf/config.json" defend $M --out $W/hf --overwrite
run "--out is a parent of --model, --overwrite" 2 "test -f $W/hf/NOTES.md" defend $M --out $W --overwrite
mkdir -p $W/user && cp $FIX/model.onnx $W/user/ && echo keep > $W/user/README
run "--out is a user's folder holding model.onnx, --overwrite" 2 "grep -q keep $W/user/README" defend $M --out $W/user --overwrite
run "--out is gba4j's own earlier output, --overwrite" 0 "test -f $W/ref/gba4j-output.json" defend $M --method clean-ft --out $W/ref --overwrite
cp -r $W/ref $W/ref2 && echo mine > $W/ref2/extra.txt
run "--out is gba4j's output with a file added, --overwrite" 2 "grep -q mine $W/ref2/extra.txt" defend $M --method clean-ft --out $W/ref2 --overwrite
run "--out under a file (cannot be created)" 3 "" defend $M --out $W/a-file/out
run "table2 --out is an existing file" 3 "grep -q x $W/a-file" table2 --out $W/a-file --reports $W/rep
mkdir -p "$W/.o3.gba4j-partial-999999999-k" && mkdir -p $W/.git
run "a killed write's temporary folder is removed by the next command" 0 "test ! -e $W/.o3.gba4j-partial-999999999-k -a -d $W/.git" defend $M --method clean-ft --out $W/o3
run "outputs follow the umask (022: folder 755, files 644)" 0 "test \$(stat -c %a $W/o4) = 755 -a \$(stat -c %a $W/o4/tensors.bin) = 644" defend $M --method clean-ft --out $W/o4
run "--debug adds the stack trace to an unexpected or input failure" 2 "grep -q \$'^\tat ' $W/stderr" defend $M --method gbaa --out $W/o1 --debug

# a kill -9 during training leaves no output folder and no live temporary folder
$JAR defend $MT --max-length 16 --method clean-ft --epochs 100000 --out $W/killed > /dev/null 2>&1 & pid=$!
sleep 8; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
run "after kill -9 during training: no --out folder; the rerun succeeds" 0 "test -f $W/killed/gba4j-output.json" defend $M --method clean-ft --out $W/killed

{
  echo "# Bad input and faults (issue 17)"
  echo
  echo "Generated by \`experiments/bad-input.sh\` on $(date -u +%Y-%m-%d) from the built jar: every row below is a command it ran"
  echo "(W is the script's scratch folder, /tmp/gba4j-bad-input). A row is **ok** when the exit code is the expected one, a failure"
  echo "printed exactly one \`error:\` line, stderr has no stack trace and no WARN line, and the check (if any) passed."
  echo "Exit codes: 0 done, 2 bad input, 3 the environment (disk, permissions, memory)."
  echo
  echo "The final-write failure (a full or read-only disk after training) cannot be staged here as root; it is the test"
  echo "\`BadInputTest.aFailedFinalWriteKeepsTheModelInARecoveryFolder\` (the model is written to a recovery folder, exit 3),"
  echo "and the fuzzing of both readers is \`ReaderFuzzTest\`."
  echo
  echo "| # | case | command | expected exit | exit | first error line (or last output line) | check | result |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s' "$rows"
  echo
  echo "$(printf '%s' "$rows" | grep -c '| ok |') of $n cases ok."
} > "$OUT.partial" && mv "$OUT.partial" "$OUT"
rm -rf "$W"
echo "wrote $OUT ($n cases)" >&2
