#!/usr/bin/env python3
"""Builds gba4j's Hugging Face Hub-folder test fixture (src/test/resources/safetensors-fixture/), and checks
a folder gba4j wrote.

  generate.py OUT            writes, from a fixed seed (the same bytes on every run):
    bert/                    a tiny BertForMaskedLM (2 layers, hidden 32, 4 heads, FFN 64, 40 positions,
                             2 token types, LayerNorm eps 1e-12) as save_pretrained writes it:
                             model.safetensors (float32, Hugging Face names: bert.embeddings.*,
                             bert.encoder.layer.N.*, cls.predictions.transform.*, cls.predictions.bias; the
                             decoder tied to the word embeddings and not stored; PyTorch [out, in] linear
                             weights; plus the int64 bert.embeddings.position_ids buffer older checkpoints
                             carry), config.json, vocab.txt, tokenizer_config.json
    bert-sharded/            the same weights in two shards with model.safetensors.index.json
    reference.json           computed here, independently of the Java code: WordPiece ids of a few
                             sentences (by the tokenizer below), and for a right-padded batch the last
                             hidden state and the masked-LM logits at every position (float64)
  generate.py --check DIR    loads DIR's model.safetensors with this file's reader and module, runs
                             DIR/reference.json's batch (written by gba4j) and prints the largest
                             difference from the logits gba4j wrote there

The safetensors writer and reader are plain Python (struct + json), not the safetensors package.
Needs python3 with torch and numpy; Debian: apt-get install -y python3-torch
  /usr/bin/python3 onnx-import/safetensors-fixture/generate.py src/test/resources/safetensors-fixture
The module is a transcription of transformers' BertForMaskedLM (eval mode, absolute positions), so
no transformers install is needed.
"""

import json
import math
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

SEED = 20241126
HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POSITIONS, TYPES = 32, 2, 4, 64, 40, 2
LN_EPS = 1e-12

SPECIALS = ["[PAD]", "[unused0]", "[unused1]", "[unused2]", "[unused3]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = """the a an and or but of to in is was it this that film movie story plot acting music good great
bad terrible awful wonderful boring funny best worst not very really so with for on at by from as be are
were has have had i you he she they we one two three year family end script actor actors character""".split()
PIECES = ["##s", "##ing", "##ed", "##ly", "##er", "##est", "##y", "##e", "##a", "##o", "##n", "##t", "##r"]
LETTERS = list("abcdefghijklmnopqrstuvwxyz0123456789") + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
PUNCT = list(".,!?;:'\"-()")
VOCAB = SPECIALS + WORDS + PIECES + PUNCT + [t for t in LETTERS if t not in WORDS + PIECES]
assert len(set(VOCAB)) == len(VOCAB), "duplicate vocabulary entries"

SENTENCES = ["The movie was good.", "A terrible, awful plot!", "Zyxomatic films: boring and FUNNY", "the actors acted"]
BATCH = ["the acting was great and the music was wonderful , a good film .", "a bad film .", "zyx plot !"]


# ----------------------------------------------------------------------------- WordPiece (uncased BERT)

def basic_tokens(text):
    """Lower-case, split on whitespace and punctuation (BERT's BasicTokenizer for ASCII text)."""
    out, word = [], ""
    for ch in text.lower():
        if ch.isspace():
            if word:
                out.append(word)
            word = ""
        elif not ch.isalnum():
            if word:
                out.append(word)
            word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out


def wordpiece(word, vocab):
    """Greedy longest-match-first; [UNK] for a word with an unmatched rest."""
    pieces, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            piece = ("##" if start > 0 else "") + word[start:end]
            if piece in vocab:
                found = piece
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def encode(text, vocab):
    """[CLS] pieces [SEP]."""
    ids = [vocab["[CLS]"]]
    for w in basic_tokens(text):
        ids += [vocab[p] for p in wordpiece(w, vocab)]
    return ids + [vocab["[SEP]"]]


# ----------------------------------------------------------------------------- the module

class Embeddings(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, HIDDEN)
        self.position_embeddings = nn.Embedding(MAX_POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(TYPES, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) \
            + self.token_type_embeddings(torch.zeros_like(ids))
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = (nn.Linear(HIDDEN, HIDDEN) for _ in range(3))

    def split(self, x):
        return x.view(x.shape[0], x.shape[1], HEADS, HIDDEN // HEADS).permute(0, 2, 1, 3)

    def forward(self, h, mask):
        q, k, v = self.split(self.query(h)), self.split(self.key(h)), self.split(self.value(h))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + mask
        context = torch.softmax(scores, dim=-1) @ v
        return context.permute(0, 2, 1, 3).reshape(h.shape)


class DenseLayerNorm(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.dense = nn.Linear(width, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.self = SelfAttention()
        self.output = DenseLayerNorm(HIDDEN)

    def forward(self, h, mask):
        return self.output(self.self(h, mask), h)


class Intermediate(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, INTERMEDIATE)

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = Attention()
        self.intermediate = Intermediate()
        self.output = DenseLayerNorm(INTERMEDIATE)

    def forward(self, h, mask):
        a = self.attention(h, mask)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList(Layer() for _ in range(LAYERS))

    def forward(self, h, mask):
        for layer in self.layer:
            h = layer(h, mask)
        return h


class Bert(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embeddings = Embeddings(vocab)
        self.encoder = Encoder()

    def forward(self, ids, attention):
        mask = (1.0 - attention[:, None, None, :].to(self.embeddings.word_embeddings.weight.dtype)) \
            * torch.finfo(self.embeddings.word_embeddings.weight.dtype).min
        return self.encoder(self.embeddings(ids), mask)


class Transform(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)

    def forward(self, h):
        return self.LayerNorm(nn.functional.gelu(self.dense(h)))


class Predictions(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.transform = Transform()
        self.bias = nn.Parameter(torch.zeros(vocab))


class Cls(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.predictions = Predictions(vocab)


class BertForMaskedLM(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.bert = Bert(vocab)
        self.cls = Cls(vocab)

    def forward(self, ids, attention):
        h = self.bert(ids, attention)
        t = self.cls.predictions.transform(h)
        return h, t @ self.bert.embeddings.word_embeddings.weight.T + self.cls.predictions.bias


# ----------------------------------------------------------------------------- safetensors, by hand

DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = t.contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # the format pads the header to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        dtype = {"F32": np.float32, "I64": np.int64}[e["dtype"]]
        out[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype=np.dtype(dtype).newbyteorder("<"))
                                     .astype(dtype).reshape(e["shape"]).copy())
    return out


# ----------------------------------------------------------------------------- fixture

def randomise(model, generator):
    for name, p in model.named_parameters():
        with torch.no_grad():
            if name.endswith("LayerNorm.weight"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=generator))


def config_json(vocab_size):
    return {"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_size": HIDDEN,
            "num_hidden_layers": LAYERS, "num_attention_heads": HEADS, "intermediate_size": INTERMEDIATE,
            "max_position_embeddings": MAX_POSITIONS, "type_vocab_size": TYPES, "vocab_size": vocab_size,
            "layer_norm_eps": LN_EPS, "hidden_act": "gelu", "pad_token_id": 0, "position_embedding_type": "absolute"}


def write_folder(folder, tensors, vocab_size, shards=1):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config_json(vocab_size), f, indent=2, sort_keys=True)
    with open(os.path.join(folder, "vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "tokenizer_class": "BertTokenizer"}, f, indent=2, sort_keys=True)
    if shards == 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), tensors, {"format": "pt"})
        return
    names = list(tensors)
    weight_map = {}
    for s in range(shards):
        part = names[s::shards]
        file = "model-%05d-of-%05d.safetensors" % (s + 1, shards)
        write_safetensors(os.path.join(folder, file), {n: tensors[n] for n in part}, {"format": "pt"})
        weight_map.update({n: file for n in part})
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": sum(t.numel() * t.element_size() for t in tensors.values())},
                   "weight_map": dict(sorted(weight_map.items()))}, f, indent=2)


def batch_ids(texts, vocab):
    rows = [encode(t, vocab) for t in texts]
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [vocab["[PAD]"]] * (width - len(r)) for r in rows])
    attention = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    return rows, ids, attention


def generate(out):
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    vocab = {t: i for i, t in enumerate(VOCAB)}
    model = BertForMaskedLM(len(VOCAB)).eval()
    randomise(model, generator)
    tensors = {n: p.detach().to(torch.float32) for n, p in model.named_parameters()}
    tensors["bert.embeddings.position_ids"] = torch.arange(MAX_POSITIONS, dtype=torch.int64).unsqueeze(0)
    write_folder(os.path.join(out, "bert"), tensors, len(VOCAB))
    write_folder(os.path.join(out, "bert-sharded"), tensors, len(VOCAB), shards=2)

    rows, ids, attention = batch_ids(BATCH, vocab)
    with torch.no_grad():
        hidden, logits = model.double()(ids, attention)
    reference = {
        "generator": "onnx-import/safetensors-fixture/generate.py, seed %d" % SEED,
        "vocab_size": len(VOCAB),
        "sentences": [{"text": s, "ids": encode(s, vocab)} for s in SENTENCES],
        "batch": {"texts": BATCH, "lengths": [len(r) for r in rows], "input_ids": ids.tolist(),
                  "last_hidden_state": [[[round(v, 9) for v in pos] for pos in row] for row in hidden.tolist()],
                  "mlm_logits": [[[round(v, 9) for v in pos] for pos in row] for row in logits.tolist()]},
    }
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"))


def check(folder):
    """Runs gba4j's written folder with this module: the folder's reference.json has input_ids, lengths, logits."""
    config = json.load(open(os.path.join(folder, "config.json")))
    tensors = read_safetensors(os.path.join(folder, "model.safetensors"))
    global HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POSITIONS, TYPES, LN_EPS
    HIDDEN, LAYERS, HEADS = config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"]
    INTERMEDIATE, MAX_POSITIONS = config["intermediate_size"], config["max_position_embeddings"]
    TYPES, LN_EPS = config["type_vocab_size"], config["layer_norm_eps"]
    model = BertForMaskedLM(config["vocab_size"]).eval()
    state = {n: t for n, t in tensors.items() if n in dict(model.named_parameters())}
    missing = set(dict(model.named_parameters())) - set(state)
    if missing:
        sys.exit("missing tensors: %s" % sorted(missing))
    model.load_state_dict(state, strict=True)
    expected = json.load(open(os.path.join(folder, "reference.json")))
    ids = torch.tensor(expected["input_ids"])
    attention = torch.tensor([[1] * n + [0] * (ids.shape[1] - n) for n in expected["lengths"]])
    with torch.no_grad():
        _, logits = model.double()(ids, attention)
    worst = 0.0
    for b, n in enumerate(expected["lengths"]):
        ours = np.array(expected["mlm_logits"][b])[:n]
        worst = max(worst, float(np.abs(logits[b, :n].numpy() - ours).max()))
    print("max |PyTorch - gba4j| over %d rows: %.3g" % (len(expected["lengths"]), worst))
    sys.exit(0 if worst < 1e-4 else 1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    elif len(sys.argv) == 2:
        generate(sys.argv[1])
    else:
        sys.exit(__doc__)
