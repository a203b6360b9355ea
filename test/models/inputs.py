"""Realistic inputs for the real models, made here with no download.

- OCR: text rendered with PIL in DejaVu Sans (Debian's fonts-dejavu-core),
  preprocessed as rapidocr-onnxruntime 1.4.4 does (BGR, x/255, mean = std =
  0.5; rec and cls resized to height 48 keeping the aspect ratio and padded
  with zeros on the right; det sides multiples of 32). rapidocr's own code
  imports opencv, so the few lines that matter are redone with numpy and PIL
  (PIL's bilinear resize stands in for cv2.resize).
- MiniLM: real English sentences, tokenized by wordpiece.py with the model
  package's vocab.txt.
- silero-vad: speech-like audio at 16 kHz (voiced syllables: harmonics of a
  moving pitch shaped by vowel formants, consonant noise bursts, pauses and
  background noise), cut into streaming chunks of 64 context + 512 samples.
- vision: a drawn scene (sky, ground, sun, shapes, text, sensor noise) with
  ImageNet normalization.
"""

import math
import os

import numpy as np

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font(size):
    from PIL import ImageFont

    if not os.path.isfile(FONT):
        raise RuntimeError(f"{FONT} is missing: install Debian's fonts-dejavu-core "
                           "(scripts/setup.sh does)")
    return ImageFont.truetype(FONT, size)


# ---------------------------------------------------------------------------
# OCR

def render_line(text, size=32, ink=(20, 20, 30), paper=(250, 248, 240)):
    """A tightly cropped text-line image, RGB uint8 [H, W, 3], as a detector's
    crop would give the recognizer."""
    from PIL import Image, ImageDraw

    font = _font(size)
    left, top, right, bottom = font.getbbox(text)
    pad = size // 4
    image = Image.new("RGB", (right - left + 2 * pad, bottom - top + 2 * pad), paper)
    ImageDraw.Draw(image).text((pad - left, pad - top), text, font=font, fill=ink)
    return np.asarray(image)


def _resize(rgb, width, height):
    from PIL import Image

    return np.asarray(Image.fromarray(rgb).resize((width, height), Image.BILINEAR))


def _normalize_chw(rgb):
    """rapidocr: BGR channels, x / 255, mean = std = 0.5, CHW."""
    bgr = rgb[:, :, ::-1].astype(np.float32)
    return ((bgr / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)


def resize_norm_line(rgb, height=48, width=320):
    """rapidocr's TextRecognizer/TextClassifier.resize_norm_img: resize to
    `height` keeping the aspect ratio (at most `width` wide), normalize, pad
    with zeros on the right to `width`."""
    h, w = rgb.shape[:2]
    resized_w = min(width, int(math.ceil(height * w / float(h))))
    out = np.zeros((3, height, width), np.float32)
    out[:, :, :resized_w] = _normalize_chw(_resize(rgb, resized_w, height))
    return out


def ocr_rec_batch(texts, width=320):
    return np.stack([resize_norm_line(render_line(t), 48, width) for t in texts])


def ocr_cls_batch(texts, width=192):
    """Each line upright, then turned by 180 degrees: labels '0' then '180'."""
    lines = [render_line(t) for t in texts]
    lines += [line[::-1, ::-1] for line in lines]
    return np.stack([resize_norm_line(line, 48, width) for line in lines])


def ocr_page(lines, height, width, seed=0):
    """A page with a few lines of text at different sizes and colours,
    normalized for the detector: float32 [1, 3, height, width]. height and
    width must be multiples of 32 (DetPreProcess rounds to them)."""
    from PIL import Image, ImageDraw

    if height % 32 or width % 32:
        raise ValueError("det input sides must be multiples of 32")
    rng = np.random.default_rng(seed)
    page = Image.new("RGB", (width, height), (245, 243, 236))
    draw = ImageDraw.Draw(page)
    y = 12
    for i, text in enumerate(lines):
        size = (26, 20, 30, 22)[i % 4]
        ink = tuple(int(c) for c in rng.integers(0, 90, 3))
        draw.text((14 + 10 * (i % 3), y), text, font=_font(size), fill=ink)
        y += int(size * 1.8)
    pixels = np.asarray(page).astype(np.float32)
    pixels += rng.normal(0.0, 3.0, pixels.shape)  # scanner noise
    pixels = np.clip(pixels, 0, 255).astype(np.uint8)
    return _normalize_chw(pixels)[None]


def ctc_characters(rec_model_path):
    """rapidocr's CTCLabelDecode character list: 'blank', the model's
    metadata 'character' lines, ' '."""
    import onnx

    model = onnx.load(rec_model_path, load_external_data=False)
    meta = {p.key: p.value for p in model.metadata_props}
    return ["blank"] + meta["character"].splitlines() + [" "]


def ctc_greedy_decode(probs, characters):
    """[N, T, classes] -> N strings: argmax per step, repeats merged, blanks
    (index 0) dropped."""
    texts = []
    for best in probs.argmax(axis=2):
        keep = np.ones(len(best), bool)
        keep[1:] = best[1:] != best[:-1]
        keep &= best != 0
        texts.append("".join(characters[i] for i in best[keep]))
    return texts


# ---------------------------------------------------------------------------
# MiniLM: three groups of real sentences, one per sequence length. Each group
# has a paraphrase pair (rows 0 and 1) and two unrelated sentences.

SENTENCES = {
    16: ["A man is playing a guitar.",
         "Someone is playing an instrument.",
         "The cat sleeps on the sofa.",
         "What time does the train leave?"],
    32: ["The new open source library compiles trained neural networks into small, "
         "fast native programs.",
         "A compiler turns machine learning models into efficient executables that "
         "need no extra runtime.",
         "Heavy rain and strong winds are expected across the northern region this "
         "weekend, so drive carefully.",
         "She baked a chocolate cake with fresh strawberries for her grandmother's "
         "ninetieth birthday party."],
    64: ["After months of difficult negotiations, the two companies finally agreed on a "
         "merger that will create the largest logistics network in the country, "
         "employing more than forty thousand people in three hundred cities.",
         "The firms reached a deal to combine, forming the nation's biggest shipping "
         "and delivery business with a huge workforce.",
         "Astronomers observed a distant galaxy whose light left it when the universe "
         "was less than a billion years old.",
         "Cook the onions slowly in butter until they are soft and golden, then add "
         "the garlic, the tomatoes and a pinch of salt."],
}


# ---------------------------------------------------------------------------
# silero-vad

VAD_SR = 16000
VAD_CONTEXT = 64
VAD_CHUNK = 512

# Formant frequencies (Hz) of a few vowels (adult male, approximate).
_VOWELS = {"a": (730, 1090, 2440), "i": (270, 2290, 3010), "u": (300, 870, 2240),
           "e": (530, 1840, 2480), "o": (570, 840, 2410)}


def _voiced(duration, f0_start, f0_end, vowels, rng, sr=VAD_SR):
    """Syllables of a voiced signal: harmonics of a pitch contour (with
    jitter and vibrato), each weighted by the vowel's formant resonances, a
    syllable-rate amplitude envelope, and short fricative noise between
    syllables."""
    n = int(duration * sr)
    t = np.arange(n) / sr
    f0 = np.linspace(f0_start, f0_end, n) * (1 + 0.03 * np.sin(2 * np.pi * 5.5 * t))
    f0 *= 1 + 0.01 * np.cumsum(rng.standard_normal(n)) / np.sqrt(n)
    phase = 2 * np.pi * np.cumsum(f0) / sr
    syllables = max(1, int(round(duration * 4.5)))
    which = np.minimum((t * syllables / duration).astype(int), syllables - 1)
    formants = np.array([_VOWELS[vowels[i % len(vowels)]] for i in range(syllables)])[which]
    signal = np.zeros(n)
    for k in range(1, 41):
        freq = k * f0
        gain = sum(1.0 / (1.0 + ((freq - formants[:, j]) / (60.0 + 40 * j)) ** 2)
                   for j in range(3))
        gain *= np.where(freq < sr / 2 - 200, 1.0, 0.0) / k ** 0.7
        signal += gain * np.sin(k * phase)
    local = (t * syllables / duration) % 1.0
    envelope = np.sin(np.pi * np.clip(local * 1.15, 0, 1)) ** 0.6
    signal *= envelope
    # Fricatives: high-passed noise in the gaps between syllables.
    hiss = np.diff(rng.standard_normal(n + 1)) * 0.15 * (local > 0.85)
    signal += hiss
    return signal / np.max(np.abs(signal))


def speech_like_audio(seed=0):
    """About 3.3 s at 16 kHz, float32 in [-1, 1]: pause, phrase, pause,
    phrase, noise-only tail."""
    rng = np.random.default_rng(seed)

    def quiet(seconds, level):
        return rng.standard_normal(int(seconds * VAD_SR)) * level

    parts = [quiet(0.45, 0.002),
             0.5 * _voiced(1.1, 135, 105, "aieou", rng),
             quiet(0.5, 0.002),
             0.4 * _voiced(0.8, 190, 150, "oeai", rng),
             quiet(0.45, 0.02)]
    audio = np.concatenate(parts)
    audio += rng.standard_normal(len(audio)) * 0.003  # room noise throughout
    return np.clip(audio, -1, 1).astype(np.float32)


def vad_chunks(audio, chunk=VAD_CHUNK, context=VAD_CONTEXT):
    """silero's streaming contract: each step sees the last `context` samples
    of the previous chunk followed by `chunk` new ones -> [steps, context +
    chunk]. 16 kHz: 64 + 512; 8 kHz: 32 + 256."""
    steps = len(audio) // chunk
    padded = np.concatenate([np.zeros(context, np.float32), audio])
    return np.stack([padded[i * chunk:i * chunk + context + chunk]
                     for i in range(steps)])


def to_8khz(audio):
    """The 16 kHz audio at 8 kHz: pairs averaged (a crude low-pass, enough
    for comparing two runtimes on the same samples)."""
    return audio[:len(audio) // 2 * 2].reshape(-1, 2).mean(axis=1).astype(np.float32)


# ---------------------------------------------------------------------------
# vision

def imagenet_image(seed, size=224):
    """A drawn outdoor scene, ImageNet-normalized: float32 [1, 3, size, size]."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, size)[:, None, None]
    sky = (1 - y) * np.array([90, 150, 235]) + y * np.array([200, 225, 250])
    image = np.broadcast_to(sky, (size, size, 3)).astype(np.uint8).copy()
    picture = Image.fromarray(image)
    draw = ImageDraw.Draw(picture)
    horizon = int(size * rng.uniform(0.55, 0.7))
    draw.rectangle([0, horizon, size, size], fill=(70, 120, 40))
    sun = rng.integers(20, size - 20, 2)
    draw.ellipse([sun[0] - 16, sun[1] // 3 - 16, sun[0] + 16, sun[1] // 3 + 16],
                 fill=(255, 220, 80))
    for _ in range(6):
        x0, y0 = rng.integers(0, size - 40, 2)
        w, h = rng.integers(15, 70, 2)
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.rectangle([x0, y0, x0 + w, y0 + h], fill=color)
        else:
            draw.ellipse([x0, y0, x0 + w, y0 + h], fill=color)
    draw.text((10, size - 30), "quantc", font=_font(20), fill=(250, 250, 250))
    pixels = np.asarray(picture).astype(np.float32)
    pixels = np.clip(pixels + rng.normal(0, 4, pixels.shape), 0, 255) / 255.0
    mean = np.array([0.485, 0.456, 0.406], np.float32)
    std = np.array([0.229, 0.224, 0.225], np.float32)
    return ((pixels - mean) / std).transpose(2, 0, 1)[None].astype(np.float32)
