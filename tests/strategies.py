"""Hypothesis strategies for SMS text: GSM-7, extension characters, CRLF, emoji sequences,
combining marks, CJK and lone surrogates, mixed so that awkward characters land on part edges."""

from __future__ import annotations

from hypothesis import strategies as st

from smsencode.alphabet.default import BASIC, EXTENSION

GSM_BASIC = "".join(sorted(BASIC.values()))
GSM_EXT = "".join(sorted(EXTENSION.values()))

# Multi-code-point grapheme clusters and other awkward pieces.
PIECES = [
    "\r\n",
    "👍🏽",  # skin tone modifier
    "👨\u200d👩\u200d👧\u200d👦",  # ZWJ family
    "🇮🇹",
    "🇩🇪🇫🇷",  # two flags: regional indicators pair up
    "e\u0301",  # combining acute
    "a\u0308\u0323",  # two combining marks
    "😀",
    "中",
    "\u00a0",  # NBSP: not GSM-7
    "`",  # backtick: not GSM-7
    "ç",  # small c cedilla: not GSM-7
    "Ç",  # capital: GSM-7
    "€",
    "\x0c",  # form feed: extension
    "§",
    "\u0915\u094d\u0937",  # Devanagari conjunct क्ष
    "\u1100\u1161\u11a8",  # Hangul jamo L V T
    "❤\ufe0f",  # variation selector
]

gsm_char = st.sampled_from(GSM_BASIC + GSM_EXT)
gsm_text = st.lists(
    st.one_of(gsm_char, st.sampled_from(GSM_EXT), st.just("\r\n")), max_size=500
).map("".join)

mixed_piece = st.one_of(
    st.sampled_from(GSM_BASIC),
    st.sampled_from(GSM_EXT),
    st.sampled_from(PIECES),
    st.characters(codec="utf-8"),
)
mixed_text = st.lists(mixed_piece, max_size=300).map("".join)
# Long runs of one awkward piece put it on every possible part boundary.
runs = st.builds(
    lambda a, n, b, m: a * n + b * m,
    st.sampled_from(PIECES + list(GSM_EXT) + ["a"]),
    st.integers(0, 180),
    st.sampled_from([*PIECES, "a", "€"]),
    st.integers(0, 180),
)
sms_text = st.one_of(gsm_text, mixed_text, runs)
lone_surrogate = st.integers(0xD800, 0xDFFF).map(chr)
text_with_surrogates = st.lists(st.one_of(mixed_piece, lone_surrogate), max_size=100).map("".join)
