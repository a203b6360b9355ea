"""BERT-uncased tokenization (BasicTokenizer + WordPiece) in pure Python.

Enough for all-MiniLM-L6-v2 (tokenizer.json: BertNormalizer with lowercase
and accent stripping, BertPreTokenizer, WordPiece with '##' continuations and
100 characters per word at most), with no dependency and no download. The
vocabulary is the model package's vocab.txt, or tokenizer.json's
model.vocab. run_models.py checks the ids against the `tokenizers` library
when it is installed.
"""

import json
import unicodedata


def load_vocab(path):
    """Token -> id, from vocab.txt (one token a line) or tokenizer.json."""
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as f:
            return json.load(f)["model"]["vocab"]
    with open(path, encoding="utf-8") as f:
        return {line.rstrip("\n"): i for i, line in enumerate(f)}


def _is_punctuation(ch):
    o = ord(ch)
    # BERT counts every non-alphanumeric ASCII character as punctuation.
    if 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(o):
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2A6DF
            or 0x2A700 <= o <= 0x2B73F or 0x2B740 <= o <= 0x2B81F
            or 0x2B820 <= o <= 0x2CEAF or 0xF900 <= o <= 0xFAFF
            or 0x2F800 <= o <= 0x2FA1F)


def basic_tokens(text):
    """Cleans, lower-cases, strips accents, splits on spaces and punctuation
    and around CJK characters."""
    chars = []
    for ch in text:
        o = ord(ch)
        if o == 0 or o == 0xFFFD or (unicodedata.category(ch) in ("Cc", "Cf")
                                     and ch not in "\t\n\r"):
            continue
        if ch in " \t\n\r" or unicodedata.category(ch) == "Zs":
            chars.append(" ")
        elif _is_cjk(o):
            chars.append(f" {ch} ")
        else:
            chars.append(ch)
    words = []
    for word in "".join(chars).lower().split():
        word = "".join(ch for ch in unicodedata.normalize("NFD", word)
                       if unicodedata.category(ch) != "Mn")
        current = ""
        for ch in word:
            if _is_punctuation(ch):
                if current:
                    words.append(current)
                    current = ""
                words.append(ch)
            else:
                current += ch
        if current:
            words.append(current)
    return words


def wordpiece(word, vocab, unk="[UNK]", max_chars=100):
    """Greedy longest-match-first split of one word; [UNK] if impossible."""
    if len(word) > max_chars:
        return [unk]
    pieces = []
    start = 0
    while start < len(word):
        end = len(word)
        piece = None
        while start < end:
            candidate = word[start:end] if start == 0 else "##" + word[start:end]
            if candidate in vocab:
                piece = candidate
                break
            end -= 1
        if piece is None:
            return [unk]
        pieces.append(piece)
        start = end
    return pieces


def token_ids(text, vocab):
    """[CLS] pieces... [SEP] as ids, untruncated."""
    pieces = [p for w in basic_tokens(text) for p in wordpiece(w, vocab)]
    return [vocab["[CLS]"]] + [vocab[p] for p in pieces] + [vocab["[SEP]"]]


def encode(texts, vocab, seq_len):
    """input_ids, attention_mask, token_type_ids as int64 [len(texts), seq_len]:
    truncated to seq_len (keeping [SEP] last) and right-padded with [PAD]."""
    import numpy as np

    ids = np.full((len(texts), seq_len), vocab["[PAD]"], np.int64)
    mask = np.zeros((len(texts), seq_len), np.int64)
    for row, text in enumerate(texts):
        t = token_ids(text, vocab)
        if len(t) > seq_len:
            t = t[:seq_len - 1] + [vocab["[SEP]"]]
        ids[row, :len(t)] = t
        mask[row, :len(t)] = 1
    return {"input_ids": ids, "attention_mask": mask,
            "token_type_ids": np.zeros_like(ids)}
