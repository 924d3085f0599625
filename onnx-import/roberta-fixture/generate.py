#!/usr/bin/env python3
"""Builds the tiny RoBERTa-shaped test fixture of gba4j (src/test/resources/roberta-fixture/).

What it writes, all from a fixed seed (running it again gives the same bytes):

  model.onnx      a 2-layer RoBERTa encoder (hidden 32, 4 heads, FFN 64, 40 positions, one token
                  type, LayerNorm eps 1e-5, padding index 1) with random weights, exported with
                  torch.onnx like Hugging Face's feature-extraction export of RobertaModel (optimum):
                  inputs input_ids + attention_mask, outputs last_hidden_state + pooler_output,
                  opset 14, initializers under the module names (embeddings.word_embeddings.weight,
                  encoder.layer.0.attention.self.query.bias, ...), Linear weights folded into
                  anonymous onnx::MatMul_* initializers consumed by scoped MatMul nodes
                  (/encoder/layer.0/attention/self/query/MatMul), position ids from a CumSum of the
                  padding mask.
  tokenizer.json  a byte-level BPE tokenizer in the Hugging Face format RoBERTa uses (ByteLevel
                  pre-tokenizer without prefix space, RobertaProcessing, <s> <pad> </s> <unk> first,
                  <mask> last), its merges trained here on a small corpus.
  config.json     the Hugging Face config of such a model.
  reference.json  outputs computed here, independently of the Java code: token ids of a few
                  sentences and a sentence pair (by the BPE encoder below, not by the Rust
                  tokenizers library the Java side uses), and the last hidden state of a right-padded
                  batch of mixed lengths (the PyTorch module in float64).

Needs python3 with torch (1.13 works), numpy and regex; Debian:
  apt-get install -y python3-torch python3-regex
  /usr/bin/python3 onnx-import/roberta-fixture/generate.py src/test/resources/roberta-fixture

The module below is a transcription of transformers' RobertaModel (eval mode, absolute positions),
so the ONNX graph has the operators and names of a real export without needing transformers.
"""

import json
import math
import os
import sys
from collections import Counter

import numpy as np
import regex
import torch
from torch import nn

SEED = 20240607
HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POSITIONS = 32, 2, 4, 64, 40
PAD, BOS, EOS, UNK = 1, 0, 2, 3
LN_EPS = 1e-5
MERGES = 150

CORPUS = """
The movie was good, and the acting was great.
A bad film with a terrible plot and awful dialogue.
I loved the story; the music was wonderful and the cast was good.
The worst movie of the year: boring, slow and bad.
It is a good film, a great film, maybe the best film this year.
The plot was thin but the actors were good and the ending was great.
Nothing works here, the script is bad and the jokes are terrible.
What a wonderful, moving and funny story about a family.
She said it isn't as good as the book, and I don't agree.
They'll watch it again; we've seen it twice and it's still great.
The cinematography is beautiful and the soundtrack is memorable.
A dull, predictable and forgettable sequel with bad effects.
In 2019 the director made 3 films and 2 of them were good.
The characters are not interesting and the story is not new.
An honest, warm and clever comedy that the whole family will enjoy.
""".strip().splitlines()

# sentences whose ids the Java tokenizer must reproduce: known words, unseen words (byte pieces),
# digits, contractions, punctuation runs, repeated spaces, non-ASCII bytes, leading space
SENTENCES = [
    "The movie was good.",
    "a terrible, awful plot",
    "Zyxomatic quibbles!!",
    "It's 2019 and they'll agree.",
    "  two  spaces   here",
    "Caf\u00e9 na\u00efve \u2014 \u00fcber",
    " leading space and trailing ",
]
PAIR = ("The story was great.", "A bad film.")
# the padded batch: rows of different lengths, the longest sets the width
BATCH = [
    "The acting was great and the music was wonderful, a good film.",
    "A bad film.",
    "Zyxomatic!",
]


# ------------------------------------------------------------------------- byte-level BPE

def bytes_to_unicode():
    """GPT-2's reversible map of the 256 byte values to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_CHARS = bytes_to_unicode()
PRETOKENIZE = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def pieces(text):
    """Pre-tokenised chunks as strings of byte characters (ByteLevel, no prefix space)."""
    return ["".join(BYTE_CHARS[b] for b in chunk.encode("utf-8")) for chunk in PRETOKENIZE.findall(text)]


def train_merges(corpus, count):
    """Greedy BPE training: the most frequent adjacent pair (ties: smallest pair) merged, count times."""
    words = Counter()
    for line in corpus:
        for p in pieces(line):
            words[tuple(p)] += 1
    merges = []
    for _ in range(count):
        pairs = Counter()
        for w, n in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        merged = Counter()
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += n
        words = merged
    return merges


def bpe(piece, ranks):
    """GPT-2's BPE of one chunk: merge the lowest-ranked adjacent pair until none is left."""
    word = list(piece)
    while len(word) > 1:
        candidates = [(ranks.get((a, b), math.inf), i) for i, (a, b) in enumerate(zip(word, word[1:]))]
        rank, _ = min(candidates)
        if rank == math.inf:
            break
        first, second = next((a, b) for (a, b) in zip(word, word[1:]) if ranks.get((a, b)) == rank)
        out, i = [], 0
        while i < len(word):
            if i + 1 < len(word) and word[i] == first and word[i + 1] == second:
                out.append(first + second)
                i += 2
            else:
                out.append(word[i])
                i += 1
        word = out
    return word


def build_tokenizer():
    merges = train_merges(CORPUS, MERGES)
    vocab = {"<s>": BOS, "<pad>": PAD, "</s>": EOS, "<unk>": UNK}
    for b in range(256):
        vocab.setdefault(BYTE_CHARS[b], len(vocab))
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab["<mask>"] = len(vocab)
    ranks = {m: i for i, m in enumerate(merges)}

    def added(token, lstrip=False):
        return {"id": vocab[token], "content": token, "single_word": False, "lstrip": lstrip, "rstrip": False,
                "normalized": False, "special": True}

    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added("<s>"), added("<pad>"), added("</s>"), added("<unk>"), added("<mask>", lstrip=True)],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", EOS], "cls": ["<s>", BOS],
                           "trim_offsets": True, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [a + " " + b for a, b in merges]},
    }

    def ids(text):
        return [vocab[t] for p in pieces(text) for t in bpe(p, ranks)]

    def tokens(text):
        return [t for p in pieces(text) for t in bpe(p, ranks)]

    return tokenizer, vocab, ids, tokens


# ------------------------------------------------------------------------- RobertaModel, transcribed

class Embeddings(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, HIDDEN, padding_idx=PAD)
        self.position_embeddings = nn.Embedding(MAX_POSITIONS, HIDDEN, padding_idx=PAD)
        self.token_type_embeddings = nn.Embedding(1, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.register_buffer("token_type_ids", torch.zeros((1, MAX_POSITIONS), dtype=torch.long), persistent=False)

    def forward(self, input_ids):
        # create_position_ids_from_input_ids: padding keeps the padding index, tokens count from PAD + 1
        mask = input_ids.ne(PAD).int()
        positions = (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + PAD
        seq_length = input_ids.size(1)
        token_type_ids = self.token_type_ids[:, :seq_length].expand(input_ids.size(0), seq_length)
        e = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        e = e + self.position_embeddings(positions)
        return self.LayerNorm(e)


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.num_attention_heads = HEADS
        self.attention_head_size = HIDDEN // HEADS
        self.all_head_size = HIDDEN
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)

    def transpose_for_scores(self, x):
        new_x_shape = x.size()[:-1] + (self.num_attention_heads, self.attention_head_size)
        return x.view(new_x_shape).permute(0, 2, 1, 3)

    def forward(self, hidden, mask):
        q = self.transpose_for_scores(self.query(hidden))
        k = self.transpose_for_scores(self.key(hidden))
        v = self.transpose_for_scores(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.attention_head_size)
        probs = nn.functional.softmax(scores + mask, dim=-1)
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return context.view(context.size()[:-2] + (self.all_head_size,))


class DenseLayerNorm(nn.Module):
    """RobertaSelfOutput / RobertaOutput: dense, residual, LayerNorm."""

    def __init__(self, width):
        super().__init__()
        self.dense = nn.Linear(width, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LN_EPS)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        setattr(self, "self", SelfAttention())
        self.output = DenseLayerNorm(HIDDEN)

    def forward(self, hidden, mask):
        return self.output(getattr(self, "self")(hidden, mask), hidden)


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

    def forward(self, hidden, mask):
        a = self.attention(hidden, mask)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([Layer() for _ in range(LAYERS)])

    def forward(self, hidden, mask):
        for layer in self.layer:
            hidden = layer(hidden, mask)
        return hidden


class Pooler(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, hidden):
        return torch.tanh(self.dense(hidden[:, 0]))


class RobertaModel(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embeddings = Embeddings(vocab)
        self.encoder = Encoder()
        self.pooler = Pooler()

    def forward(self, input_ids, attention_mask):
        extended = attention_mask[:, None, None, :].to(self.embeddings.word_embeddings.weight.dtype)
        extended = (1.0 - extended) * torch.finfo(extended.dtype).min
        hidden = self.encoder(self.embeddings(input_ids), extended)
        return hidden, self.pooler(hidden)


def randomise(model, generator):
    """Weights larger than HF's init (std 0.02) so every layer visibly matters; padding rows zero."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=generator))
            elif name.endswith("bias") or "LayerNorm" in name:
                p.copy_(0.1 * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=generator))
        model.embeddings.word_embeddings.weight[PAD].zero_()
        model.embeddings.position_embeddings.weight[PAD].zero_()


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    tokenizer, vocab, ids, tokens = build_tokenizer()
    model = RobertaModel(len(vocab)).eval()
    randomise(model, generator)

    rows = [[BOS] + ids(s) + [EOS] for s in BATCH]
    width = max(len(r) for r in rows)
    assert width <= MAX_POSITIONS - PAD - 1
    input_ids = torch.tensor([r + [PAD] * (width - len(r)) for r in rows], dtype=torch.long)
    attention_mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows], dtype=torch.long)

    with torch.no_grad():
        reference = model.double()(input_ids, attention_mask)[0].numpy()
    model = model.float()

    torch.onnx.export(model, (input_ids, attention_mask), os.path.join(out, "model.onnx"),
                      input_names=["input_ids", "attention_mask"],
                      output_names=["last_hidden_state", "pooler_output"],
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                                    "attention_mask": {0: "batch_size", 1: "sequence_length"},
                                    "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
                                    "pooler_output": {0: "batch_size"}},
                      opset_version=14, do_constant_folding=True)

    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=1)
        f.write("\n")
    config = {"architectures": ["RobertaModel"], "model_type": "roberta", "vocab_size": len(vocab),
              "hidden_size": HIDDEN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "intermediate_size": INTERMEDIATE, "hidden_act": "gelu", "max_position_embeddings": MAX_POSITIONS,
              "type_vocab_size": 1, "layer_norm_eps": LN_EPS, "pad_token_id": PAD, "bos_token_id": BOS,
              "eos_token_id": EOS, "position_embedding_type": "absolute"}
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=1)
        f.write("\n")

    first, second = PAIR
    ref = {
        "generator": "onnx-import/roberta-fixture/generate.py",
        "specials": {"cls": BOS, "pad": PAD, "sep": EOS, "unk": UNK, "mask": vocab["<mask>"]},
        "vocab_size": len(vocab),
        "sentences": [{"text": s, "tokens": tokens(s), "ids": [BOS] + ids(s) + [EOS]} for s in SENTENCES],
        "pair": {"first": first, "second": second, "ids": [BOS] + ids(first) + [EOS, EOS] + ids(second) + [EOS]},
        "batch": {"texts": BATCH, "input_ids": input_ids.tolist(), "lengths": [len(r) for r in rows],
                  "last_hidden_state": np.round(reference, 7).tolist()},
    }
    with open(os.path.join(out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False)
        f.write("\n")
    print("wrote", out, "vocabulary", len(vocab), "batch", tuple(input_ids.shape))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/roberta-fixture")
