// Classifies sentences with a prompt classifier gba4j wrote with `--format onnx`, using transformers.js only
// (local files, no network): the rule in the folder's config.json (gba4j_prompt), nothing of gba4j's code.
//   node classify.mjs MODEL_FOLDER "a sentence" "another sentence"
// prints one JSON line per sentence: {"text", "label", "logits"}.
import path from 'node:path';
import { env, AutoTokenizer, AutoModel, Tensor } from '@huggingface/transformers';

const [folder, ...sentences] = process.argv.slice(2);
if (!folder || sentences.length === 0) {
  console.error('usage: node classify.mjs MODEL_FOLDER SENTENCE...');
  process.exit(2);
}
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(folder)) + path.sep;
const name = path.basename(path.resolve(folder));

const tokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
const model = await AutoModel.from_pretrained(name, { local_files_only: true, subfolder: '', dtype: 'fp32' });
const rule = model.config.gba4j_prompt;
if (!rule || rule.onnx_output !== 'label_logits') {
  console.error(`error: ${folder}: config.json has no gba4j_prompt with an ONNX label_logits output`);
  process.exit(2);
}
for (const text of sentences) {
  // [CLS] x [SEP] as the tokenizer adds them, cut so that the template fits max_length, then the template with [MASK]
  let ids = tokenizer(text).input_ids.tolist()[0].map(Number);
  const room = rule.max_length - rule.suffix_ids.length;
  if (ids.length > room) {
    ids = [...ids.slice(0, room - 1), ids[ids.length - 1]];
  }
  ids = [...ids, ...rule.suffix_ids];
  const n = ids.length;
  const feeds = {
    input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
    attention_mask: new Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, n]),
    token_type_ids: new Tensor('int64', new BigInt64Array(n), [1, n]),
  };
  const output = await model(feeds);
  const logits = Array.from(output.label_logits.data);
  const label = logits.indexOf(Math.max(...logits));
  console.log(JSON.stringify({ text, label, logits }));
}
