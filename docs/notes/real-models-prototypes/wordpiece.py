"""Minimal pure-python BERT-uncased WordPiece (no deps). vocab: vocab.txt or tokenizer.json."""
import unicodedata, json
def load_vocab(path):
    if path.endswith(".json"):
        v=json.load(open(path,encoding="utf-8"))["model"]["vocab"]; return v
    return {l.rstrip("\n"):i for i,l in enumerate(open(path,encoding="utf-8"))}
def _is_punc(c):
    o=ord(c)
    return (33<=o<=47) or (58<=o<=64) or (91<=o<=96) or (123<=o<=126) or unicodedata.category(c).startswith("P")
def _is_cjk(o):
    return (0x4E00<=o<=0x9FFF) or (0x3400<=o<=0x4DBF) or (0x20000<=o<=0x2A6DF) or (0x2A700<=o<=0x2B73F) or (0x2B740<=o<=0x2B81F) or (0x2B820<=o<=0x2CEAF) or (0xF900<=o<=0xFAFF) or (0x2F800<=o<=0x2FA1F)
def basic(text):
    out=[]
    for c in text:
        o=ord(c)
        if o==0 or o==0xFFFD or (unicodedata.category(c) in ("Cc","Cf") and c not in "\t\n\r"): continue
        if c in " \t\n\r" or unicodedata.category(c)=="Zs": out.append(" ")
        elif _is_cjk(o): out.append(" "+c+" ")
        else: out.append(c)
    words=[]
    for w in "".join(out).lower().split():
        w="".join(ch for ch in unicodedata.normalize("NFD",w) if unicodedata.category(ch)!="Mn")
        cur=""
        for ch in w:
            if _is_punc(ch):
                if cur: words.append(cur); cur=""
                words.append(ch)
            else: cur+=ch
        if cur: words.append(cur)
    return words
def wordpiece(word, vocab, unk="[UNK]", maxlen=100):
    if len(word)>maxlen: return [unk]
    toks=[]; s=0
    while s<len(word):
        e=len(word); cur=None
        while s<e:
            sub=word[s:e] if s==0 else "##"+word[s:e]
            if sub in vocab: cur=sub; break
            e-=1
        if cur is None: return [unk]
        toks.append(cur); s=e
    return toks
def encode(texts, vocab, max_len=256):
    ids=[[vocab["[CLS]"]]+[vocab[t] for w in basic(x) for t in wordpiece(w,vocab)][:max_len-2]+[vocab["[SEP]"]] for x in texts]
    L=max(map(len,ids))
    return ([r+[0]*(L-len(r)) for r in ids], [[1]*len(r)+[0]*(L-len(r)) for r in ids], [[0]*L for _ in ids])
