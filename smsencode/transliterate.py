"""Closest GSM-7 text for characters the default alphabet cannot carry (the TRANSLITERATE policy).

:func:`to_gsm` takes one extended grapheme cluster (UAX #29) that is not GSM-7 as it stands and
returns the GSM-7 text a reader would accept in its place, or ``None`` when there is none (the
policy then puts the caller's replacement there and reports it). The steps, in order:

1. **Compose (NFC).** ``"e\\u0301"`` becomes ``"é"``, which *is* GSM-7; ``"A\\u030a"`` becomes
   ``"Å"``. A letter the alphabet has is never degraded.
2. **Curated tables** (below, one entry per line, written by character name with where the
   mapping comes from). They are GSM-aware: they prefer a GSM-7 accented letter when it is the
   same letter (``"ǘ"`` -> ``"ü"``, ``"ǻ"`` -> ``"å"``) and otherwise the base letter
   (``"á"`` -> ``"a"``, ``"È"`` -> ``"E"``: only lowercase è is GSM-7, and a reader takes
   "E" for "È" more readily than "É").
3. **Emoji and pictographs** give ``None``: a visible replacement is better than a word such as
   "thumbs up" eating septets, and spelling emoji out is a job for the sender, not the encoder.
4. **Letter plus marks.** A letter the tables know followed by combining marks keeps the first
   mark if that composes to a GSM-7 or curated letter and drops the rest: Vietnamese
   ``"ế"`` -> ``"e"``, polytonic Greek ``"ᾧ"`` -> ``"Ω"``, stressed Cyrillic ``"а́"`` -> ``"a"``.
5. **Code point by code point:** GSM-7, the tables, compatibility decomposition (NFKC: ``"ﬁ"``
   -> ``"fi"``, ``"Ａ"`` -> ``"A"``), then ``unidecode``. Its output is kept only when it is
   non-empty and all GSM-7 (its backtick becomes an apostrophe; ``"[?]"`` is refused).
   Combining marks and invisible format characters with no letter of their own become ``""``.

The choices a reader may question:

* **ç -> "c".** GSM-7 0x09 is capital Ç (TS 23.038 §6.2.1). Some gateways send small ç as 0x09
  because a few old handsets showed that code in lowercase; on today's handsets that prints
  "garÇon". Lowercase "c" is what a reader of French, Portuguese or Turkish expects from text
  without diacritics, so that is what we send. Capital Ç stays Ç.
* **Greek** has only the capitals Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ in GSM-7 and no lowercase at all, so every
  Greek letter becomes a capital: the GSM-7 Greek capital where there is one (``"ω"``, ``"ώ"`` ->
  ``"Ω"``; ``"σ"``, ``"ς"`` -> ``"Σ"``), else the Latin capital that looks the same
  (``"α"`` -> ``"A"``, ``"η"`` -> ``"H"``, ``"ρ"`` -> ``"P"``, ``"χ"`` -> ``"X"``). Tonos and
  dialytika are dropped. This is how Greek SMS has long been written in GSM-7:
  "Καλημέρα" -> "KAΛHMEPA".
* **Cyrillic** follows BGN/PCGN (the Russian system of 1947, the Ukrainian of 1965) as readers of
  English know it from maps and news: Ж Zh, Х Kh, Ц Ts, Ч Ch, Ш Sh, Щ Shch, Ы Y, Й Y, Ю Yu,
  Я Ya. Reduced to GSM-7 and to one cluster at a time: no diacritics (Ё -> E), no
  position-dependent "Ye", and both hard and soft sign become an apostrophe (BGN/PCGN writes
  primes; a double quote inside a word would read as a quotation mark). ICAO Doc 9303 (passports)
  was not chosen because its Ю Iu, Я Ia, Й I, Ъ Ie read poorly in a message. Letters other
  languages add: Ukrainian Є Ye, Ї Yi, І I, Ґ G; Belarusian Ў U; Serbian and Macedonian as in
  their Latin alphabets (Ђ Dj, Ј J, Љ Lj, Њ Nj, Ћ C, Џ Dz, Ѓ Gj, Ќ Kj, Ѕ Dz); Kazakh and other
  Turkic letters as in the Kazakh Latin alphabet, which lands on GSM-7 letters (Ә Ä, Ө Ö, Ү Ü,
  Ң Ñ). Where languages disagree on a shared letter (Г, И), Russian wins.
* **Quotes** become ``'`` and ``"``; guillemets « » too (one septet each, and they are
  quotation marks, not "much less than"). Dashes and the minus sign become ``-``; the ellipsis
  ``...``; a bullet ``-`` and a middle dot ``.`` (Catalan "l·l" is written "l.l" without it).
* **Spaces** of every width become one space; TAB a space; line and paragraph separators, NEL
  and the vertical tab (Word's manual line break) a line feed. Zero-width characters, soft
  hyphen, byte order mark, bidi controls and variation selectors are dropped (``""``).
* **Fractions** keep CLDR's leading space: ``"1½"`` -> ``"1 1/2"``, never ``"11/2"``.
  Superscript digits become plain digits (``"m²"`` -> ``"m2"``).
* **Symbols**: ™ TM, © (C), ® (R), ° o (``"25°C"`` -> ``"25oC"``), × x, ÷ /, ± +/-, ≤ <=,
  ≥ >=, ≠ !=, arrows -> <- <-> =>. Currency signs GSM-7 lacks become the abbreviation readers
  use (₹ Rs, ₺ TL, from CLDR) or the ISO 4217 code (₽ RUB, ₴ UAH ...); ¢ becomes c.
  $ £ ¥ € ¤ are GSM-7 and stay.
* **Scripts without a curated table** (Arabic, Hebrew, Indic, Hangul, kana, Han ...) get
  ``unidecode``'s romanisation, which is rough (Han characters come out as Mandarin syllables
  with a trailing space). Sending such text as UTF-16 is usually the better choice.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex
from unidecode import unidecode

from smsencode.alphabet import DEFAULT

__all__ = ["CURATED", "CYRILLIC", "GREEK", "LATIN", "PUNCTUATION", "SPACES", "SYMBOLS", "to_gsm"]

#: Spaces, line breaks and invisible format characters.
SPACES: dict[str, str] = {
    "\N{CHARACTER TABULATION}": " ",  # GSM-7 has no TAB; one septet rather than several
    "\N{LINE TABULATION}": "\n",  # Word writes its manual line break as U+000B
    "\N{NEXT LINE}": "\n",  # Unicode line break class BK
    "\N{LINE SEPARATOR}": "\n",  # Unicode line break class BK
    "\N{PARAGRAPH SEPARATOR}": "\n",  # Unicode line break class BK
    "\N{NO-BREAK SPACE}": " ",  # CLDR Latin-ASCII
    "\N{OGHAM SPACE MARK}": " ",  # General_Category Zs
    "\N{EN SPACE}": " ",  # CLDR Latin-ASCII
    "\N{EM SPACE}": " ",  # CLDR Latin-ASCII
    "\N{THREE-PER-EM SPACE}": " ",  # CLDR Latin-ASCII
    "\N{FOUR-PER-EM SPACE}": " ",  # CLDR Latin-ASCII
    "\N{SIX-PER-EM SPACE}": " ",  # CLDR Latin-ASCII
    "\N{FIGURE SPACE}": " ",  # CLDR Latin-ASCII
    "\N{PUNCTUATION SPACE}": " ",  # CLDR Latin-ASCII
    "\N{THIN SPACE}": " ",  # CLDR Latin-ASCII
    "\N{HAIR SPACE}": " ",  # CLDR Latin-ASCII
    "\N{NARROW NO-BREAK SPACE}": " ",  # NFKC; French puts it before ; : ! ?
    "\N{MEDIUM MATHEMATICAL SPACE}": " ",  # CLDR Latin-ASCII
    "\N{IDEOGRAPHIC SPACE}": " ",  # CLDR Latin-ASCII
    "\N{SOFT HYPHEN}": "",  # invisible unless a line breaks there, and SMS text is not hyphenated
    "\N{ZERO WIDTH SPACE}": "",  # invisible
    "\N{ZERO WIDTH NON-JOINER}": "",  # invisible, shaping control
    "\N{ZERO WIDTH JOINER}": "",  # invisible, shaping control
    "\N{WORD JOINER}": "",  # invisible
    "\N{ZERO WIDTH NO-BREAK SPACE}": "",  # byte order mark
    "\N{FUNCTION APPLICATION}": "",  # invisible mathematical operator
    "\N{INVISIBLE TIMES}": "",  # invisible mathematical operator
    "\N{INVISIBLE SEPARATOR}": "",  # invisible mathematical operator
    "\N{INVISIBLE PLUS}": "",  # invisible mathematical operator
    "\N{LEFT-TO-RIGHT MARK}": "",  # bidi control (UAX #9)
    "\N{RIGHT-TO-LEFT MARK}": "",  # bidi control (UAX #9)
    "\N{ARABIC LETTER MARK}": "",  # bidi control (UAX #9)
    "\N{LEFT-TO-RIGHT EMBEDDING}": "",  # bidi control (UAX #9)
    "\N{RIGHT-TO-LEFT EMBEDDING}": "",  # bidi control (UAX #9)
    "\N{POP DIRECTIONAL FORMATTING}": "",  # bidi control (UAX #9)
    "\N{LEFT-TO-RIGHT OVERRIDE}": "",  # bidi control (UAX #9)
    "\N{RIGHT-TO-LEFT OVERRIDE}": "",  # bidi control (UAX #9)
    "\N{LEFT-TO-RIGHT ISOLATE}": "",  # bidi control (UAX #9)
    "\N{RIGHT-TO-LEFT ISOLATE}": "",  # bidi control (UAX #9)
    "\N{FIRST STRONG ISOLATE}": "",  # bidi control (UAX #9)
    "\N{POP DIRECTIONAL ISOLATE}": "",  # bidi control (UAX #9)
    "\N{COMBINING GRAPHEME JOINER}": "",  # invisible, collation control
    "\N{MONGOLIAN VOWEL SEPARATOR}": "",  # invisible format character
    "\N{VARIATION SELECTOR-15}": "",  # text presentation selector, nothing to show on its own
    "\N{VARIATION SELECTOR-16}": "",  # emoji presentation selector, nothing to show on its own
}

#: Quotation marks, apostrophes, dashes, dots and spacing accents.
PUNCTUATION: dict[str, str] = {
    "\N{GRAVE ACCENT}": "'",  # not GSM-7; used as an opening quote or apostrophe
    "\N{ACUTE ACCENT}": "'",  # used as an apostrophe; unidecode
    "\N{LEFT SINGLE QUOTATION MARK}": "'",  # CLDR Latin-ASCII
    "\N{RIGHT SINGLE QUOTATION MARK}": "'",  # CLDR Latin-ASCII
    "\N{SINGLE LOW-9 QUOTATION MARK}": "'",  # German opening quote (CLDR has ",", which reads as a comma)
    "\N{SINGLE HIGH-REVERSED-9 QUOTATION MARK}": "'",  # CLDR Latin-ASCII
    "\N{LEFT DOUBLE QUOTATION MARK}": '"',  # CLDR Latin-ASCII
    "\N{RIGHT DOUBLE QUOTATION MARK}": '"',  # CLDR Latin-ASCII
    "\N{DOUBLE LOW-9 QUOTATION MARK}": '"',  # German opening quote (CLDR has ",,")
    "\N{DOUBLE HIGH-REVERSED-9 QUOTATION MARK}": '"',  # CLDR Latin-ASCII
    "\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}": '"',  # a quotation mark (CLDR has "<<")
    "\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}": '"',  # a quotation mark (CLDR has ">>")
    "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}": "'",  # a quotation mark (CLDR has "<")
    "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}": "'",  # a quotation mark (CLDR has ">")
    "\N{HEAVY SINGLE TURNED COMMA QUOTATION MARK ORNAMENT}": "'",  # ornamental quote
    "\N{HEAVY SINGLE COMMA QUOTATION MARK ORNAMENT}": "'",  # ornamental quote
    "\N{HEAVY DOUBLE TURNED COMMA QUOTATION MARK ORNAMENT}": '"',  # ornamental quote
    "\N{HEAVY DOUBLE COMMA QUOTATION MARK ORNAMENT}": '"',  # ornamental quote
    "\N{REVERSED DOUBLE PRIME QUOTATION MARK}": '"',  # CLDR Latin-ASCII
    "\N{DOUBLE PRIME QUOTATION MARK}": '"',  # CLDR Latin-ASCII
    "\N{PRIME}": "'",  # CLDR Latin-ASCII
    "\N{DOUBLE PRIME}": '"',  # CLDR Latin-ASCII
    "\N{TRIPLE PRIME}": "'''",  # NFKC
    "\N{REVERSED PRIME}": "'",  # like PRIME
    "\N{REVERSED DOUBLE PRIME}": '"',  # like DOUBLE PRIME
    "\N{MODIFIER LETTER PRIME}": "'",  # CLDR Latin-ASCII
    "\N{MODIFIER LETTER DOUBLE PRIME}": '"',  # CLDR Latin-ASCII
    "\N{MODIFIER LETTER TURNED COMMA}": "'",  # CLDR Latin-ASCII (Hawaiian okina)
    "\N{MODIFIER LETTER APOSTROPHE}": "'",  # CLDR Latin-ASCII (Ukrainian apostrophe)
    "\N{MODIFIER LETTER REVERSED COMMA}": "'",  # CLDR Latin-ASCII
    "\N{MODIFIER LETTER VERTICAL LINE}": "'",  # CLDR Latin-ASCII (stress mark)
    "\N{MODIFIER LETTER GRAVE ACCENT}": "'",  # CLDR has "`", which GSM-7 lacks
    "\N{HYPHEN}": "-",  # CLDR Latin-ASCII
    "\N{NON-BREAKING HYPHEN}": "-",  # CLDR Latin-ASCII
    "\N{FIGURE DASH}": "-",  # CLDR Latin-ASCII
    "\N{EN DASH}": "-",  # CLDR Latin-ASCII
    "\N{EM DASH}": "-",  # CLDR Latin-ASCII
    "\N{HORIZONTAL BAR}": "-",  # CLDR Latin-ASCII
    "\N{TWO-EM DASH}": "-",  # like EM DASH
    "\N{THREE-EM DASH}": "-",  # like EM DASH
    "\N{HYPHEN BULLET}": "-",  # a list bullet
    "\N{MODIFIER LETTER MINUS SIGN}": "-",  # CLDR Latin-ASCII
    "\N{HORIZONTAL ELLIPSIS}": "...",  # CLDR Latin-ASCII
    "\N{TWO DOT LEADER}": "..",  # CLDR Latin-ASCII
    "\N{ONE DOT LEADER}": ".",  # CLDR Latin-ASCII
    "\N{BULLET}": "-",  # a list bullet; "- item" reads as a list
    "\N{TRIANGULAR BULLET}": "-",  # a list bullet
    "\N{WHITE BULLET}": "-",  # a list bullet
    "\N{MIDDLE DOT}": ".",  # separator; Catalan l·l is written l.l without it
    "\N{BULLET OPERATOR}": ".",  # like MIDDLE DOT
    "\N{DOT OPERATOR}": ".",  # like MIDDLE DOT
    "\N{DOUBLE EXCLAMATION MARK}": "!!",  # CLDR Latin-ASCII
    "\N{EXCLAMATION QUESTION MARK}": "!?",  # CLDR Latin-ASCII
    "\N{QUESTION EXCLAMATION MARK}": "?!",  # CLDR Latin-ASCII
    "\N{DOUBLE QUESTION MARK}": "??",  # CLDR Latin-ASCII
    "\N{INTERROBANG}": "?!",  # unidecode
    "\N{DIAERESIS}": '"',  # unidecode
    "\N{CEDILLA}": ",",  # unidecode
    "\N{MACRON}": "-",  # spacing macron looks like a dash
    "\N{MODIFIER LETTER CIRCUMFLEX ACCENT}": "^",  # CLDR Latin-ASCII
    "\N{SMALL TILDE}": "~",  # CLDR Latin-ASCII
    "\N{RING ABOVE}": "o",  # often typed for the degree sign; unidecode gives "@"
    "\N{DOUBLE ACUTE ACCENT}": '"',  # unidecode
    "\N{MODIFIER LETTER TRIANGULAR COLON}": ":",  # CLDR Latin-ASCII
}

#: Latin letters outside GSM-7 (Latin-1 Supplement, Latin Extended-A and -B): the GSM-7 letter
#: that keeps the first accent where there is one, else the base letter; letters with no
#: decomposition follow CLDR's Latin-ASCII transform.
LATIN: dict[str, str] = {
    "\N{LATIN CAPITAL LETTER A WITH GRAVE}": "A",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH ACUTE}": "A",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH CIRCUMFLEX}": "A",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH TILDE}": "A",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH GRAVE}": "E",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH CIRCUMFLEX}": "E",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH DIAERESIS}": "E",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH GRAVE}": "I",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH ACUTE}": "I",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH CIRCUMFLEX}": "I",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH DIAERESIS}": "I",  # NFD base letter
    "\N{LATIN CAPITAL LETTER ETH}": "D",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER O WITH GRAVE}": "O",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH ACUTE}": "O",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH CIRCUMFLEX}": "O",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH TILDE}": "O",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH GRAVE}": "U",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH ACUTE}": "U",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH CIRCUMFLEX}": "U",  # NFD base letter
    "\N{LATIN CAPITAL LETTER Y WITH ACUTE}": "Y",  # NFD base letter
    "\N{LATIN CAPITAL LETTER THORN}": "Th",  # CLDR Latin-ASCII (TH), title case
    "\N{LATIN SMALL LETTER A WITH ACUTE}": "a",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH CIRCUMFLEX}": "a",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH TILDE}": "a",  # NFD base letter
    "\N{LATIN SMALL LETTER C WITH CEDILLA}": "c",  # not Ç (0x09): see the module docstring
    "\N{LATIN SMALL LETTER E WITH CIRCUMFLEX}": "e",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH DIAERESIS}": "e",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH ACUTE}": "i",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH CIRCUMFLEX}": "i",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH DIAERESIS}": "i",  # NFD base letter
    "\N{LATIN SMALL LETTER ETH}": "d",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER O WITH ACUTE}": "o",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH CIRCUMFLEX}": "o",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH TILDE}": "o",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH ACUTE}": "u",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH CIRCUMFLEX}": "u",  # NFD base letter
    "\N{LATIN SMALL LETTER Y WITH ACUTE}": "y",  # NFD base letter
    "\N{LATIN SMALL LETTER THORN}": "th",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER Y WITH DIAERESIS}": "y",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH MACRON}": "A",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH MACRON}": "a",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH BREVE}": "A",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH BREVE}": "a",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH OGONEK}": "A",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH OGONEK}": "a",  # NFD base letter
    "\N{LATIN CAPITAL LETTER C WITH ACUTE}": "C",  # NFD base letter
    "\N{LATIN SMALL LETTER C WITH ACUTE}": "c",  # NFD base letter
    "\N{LATIN CAPITAL LETTER C WITH CIRCUMFLEX}": "C",  # NFD base letter
    "\N{LATIN SMALL LETTER C WITH CIRCUMFLEX}": "c",  # NFD base letter
    "\N{LATIN CAPITAL LETTER C WITH DOT ABOVE}": "C",  # NFD base letter
    "\N{LATIN SMALL LETTER C WITH DOT ABOVE}": "c",  # NFD base letter
    "\N{LATIN CAPITAL LETTER C WITH CARON}": "C",  # NFD base letter
    "\N{LATIN SMALL LETTER C WITH CARON}": "c",  # NFD base letter
    "\N{LATIN CAPITAL LETTER D WITH CARON}": "D",  # NFD base letter
    "\N{LATIN SMALL LETTER D WITH CARON}": "d",  # NFD base letter
    "\N{LATIN CAPITAL LETTER D WITH STROKE}": "D",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER D WITH STROKE}": "d",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER E WITH MACRON}": "E",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH MACRON}": "e",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH BREVE}": "E",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH BREVE}": "e",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH DOT ABOVE}": "E",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH DOT ABOVE}": "e",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH OGONEK}": "E",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH OGONEK}": "e",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH CARON}": "E",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH CARON}": "e",  # NFD base letter
    "\N{LATIN CAPITAL LETTER G WITH CIRCUMFLEX}": "G",  # NFD base letter
    "\N{LATIN SMALL LETTER G WITH CIRCUMFLEX}": "g",  # NFD base letter
    "\N{LATIN CAPITAL LETTER G WITH BREVE}": "G",  # NFD base letter
    "\N{LATIN SMALL LETTER G WITH BREVE}": "g",  # NFD base letter
    "\N{LATIN CAPITAL LETTER G WITH DOT ABOVE}": "G",  # NFD base letter
    "\N{LATIN SMALL LETTER G WITH DOT ABOVE}": "g",  # NFD base letter
    "\N{LATIN CAPITAL LETTER G WITH CEDILLA}": "G",  # NFD base letter
    "\N{LATIN SMALL LETTER G WITH CEDILLA}": "g",  # NFD base letter
    "\N{LATIN CAPITAL LETTER H WITH CIRCUMFLEX}": "H",  # NFD base letter
    "\N{LATIN SMALL LETTER H WITH CIRCUMFLEX}": "h",  # NFD base letter
    "\N{LATIN CAPITAL LETTER H WITH STROKE}": "H",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER H WITH STROKE}": "h",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER I WITH TILDE}": "I",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH TILDE}": "i",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH MACRON}": "I",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH MACRON}": "i",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH BREVE}": "I",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH BREVE}": "i",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH OGONEK}": "I",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH OGONEK}": "i",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH DOT ABOVE}": "I",  # NFD base letter
    "\N{LATIN SMALL LETTER DOTLESS I}": "i",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LIGATURE IJ}": "IJ",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LIGATURE IJ}": "ij",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER J WITH CIRCUMFLEX}": "J",  # NFD base letter
    "\N{LATIN SMALL LETTER J WITH CIRCUMFLEX}": "j",  # NFD base letter
    "\N{LATIN CAPITAL LETTER K WITH CEDILLA}": "K",  # NFD base letter
    "\N{LATIN SMALL LETTER K WITH CEDILLA}": "k",  # NFD base letter
    "\N{LATIN SMALL LETTER KRA}": "q",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER L WITH ACUTE}": "L",  # NFD base letter
    "\N{LATIN SMALL LETTER L WITH ACUTE}": "l",  # NFD base letter
    "\N{LATIN CAPITAL LETTER L WITH CEDILLA}": "L",  # NFD base letter
    "\N{LATIN SMALL LETTER L WITH CEDILLA}": "l",  # NFD base letter
    "\N{LATIN CAPITAL LETTER L WITH CARON}": "L",  # NFD base letter
    "\N{LATIN SMALL LETTER L WITH CARON}": "l",  # NFD base letter
    "\N{LATIN CAPITAL LETTER L WITH MIDDLE DOT}": "L",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER L WITH MIDDLE DOT}": "l",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER L WITH STROKE}": "L",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER L WITH STROKE}": "l",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER N WITH ACUTE}": "N",  # NFD base letter
    "\N{LATIN SMALL LETTER N WITH ACUTE}": "n",  # NFD base letter
    "\N{LATIN CAPITAL LETTER N WITH CEDILLA}": "N",  # NFD base letter
    "\N{LATIN SMALL LETTER N WITH CEDILLA}": "n",  # NFD base letter
    "\N{LATIN CAPITAL LETTER N WITH CARON}": "N",  # NFD base letter
    "\N{LATIN SMALL LETTER N WITH CARON}": "n",  # NFD base letter
    "\N{LATIN SMALL LETTER N PRECEDED BY APOSTROPHE}": "'n",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER ENG}": "N",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER ENG}": "n",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER O WITH MACRON}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH MACRON}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH BREVE}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH BREVE}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH DOUBLE ACUTE}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH DOUBLE ACUTE}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LIGATURE OE}": "OE",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LIGATURE OE}": "oe",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER R WITH ACUTE}": "R",  # NFD base letter
    "\N{LATIN SMALL LETTER R WITH ACUTE}": "r",  # NFD base letter
    "\N{LATIN CAPITAL LETTER R WITH CEDILLA}": "R",  # NFD base letter
    "\N{LATIN SMALL LETTER R WITH CEDILLA}": "r",  # NFD base letter
    "\N{LATIN CAPITAL LETTER R WITH CARON}": "R",  # NFD base letter
    "\N{LATIN SMALL LETTER R WITH CARON}": "r",  # NFD base letter
    "\N{LATIN CAPITAL LETTER S WITH ACUTE}": "S",  # NFD base letter
    "\N{LATIN SMALL LETTER S WITH ACUTE}": "s",  # NFD base letter
    "\N{LATIN CAPITAL LETTER S WITH CIRCUMFLEX}": "S",  # NFD base letter
    "\N{LATIN SMALL LETTER S WITH CIRCUMFLEX}": "s",  # NFD base letter
    "\N{LATIN CAPITAL LETTER S WITH CEDILLA}": "S",  # NFD base letter
    "\N{LATIN SMALL LETTER S WITH CEDILLA}": "s",  # NFD base letter
    "\N{LATIN CAPITAL LETTER S WITH CARON}": "S",  # NFD base letter
    "\N{LATIN SMALL LETTER S WITH CARON}": "s",  # NFD base letter
    "\N{LATIN CAPITAL LETTER T WITH CEDILLA}": "T",  # NFD base letter
    "\N{LATIN SMALL LETTER T WITH CEDILLA}": "t",  # NFD base letter
    "\N{LATIN CAPITAL LETTER T WITH CARON}": "T",  # NFD base letter
    "\N{LATIN SMALL LETTER T WITH CARON}": "t",  # NFD base letter
    "\N{LATIN CAPITAL LETTER T WITH STROKE}": "T",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER T WITH STROKE}": "t",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER U WITH TILDE}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH TILDE}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH MACRON}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH MACRON}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH BREVE}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH BREVE}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH RING ABOVE}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH RING ABOVE}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH DOUBLE ACUTE}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH DOUBLE ACUTE}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH OGONEK}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH OGONEK}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER W WITH CIRCUMFLEX}": "W",  # NFD base letter
    "\N{LATIN SMALL LETTER W WITH CIRCUMFLEX}": "w",  # NFD base letter
    "\N{LATIN CAPITAL LETTER Y WITH CIRCUMFLEX}": "Y",  # NFD base letter
    "\N{LATIN SMALL LETTER Y WITH CIRCUMFLEX}": "y",  # NFD base letter
    "\N{LATIN CAPITAL LETTER Y WITH DIAERESIS}": "Y",  # NFD base letter
    "\N{LATIN CAPITAL LETTER Z WITH ACUTE}": "Z",  # NFD base letter
    "\N{LATIN SMALL LETTER Z WITH ACUTE}": "z",  # NFD base letter
    "\N{LATIN CAPITAL LETTER Z WITH DOT ABOVE}": "Z",  # NFD base letter
    "\N{LATIN SMALL LETTER Z WITH DOT ABOVE}": "z",  # NFD base letter
    "\N{LATIN CAPITAL LETTER Z WITH CARON}": "Z",  # NFD base letter
    "\N{LATIN SMALL LETTER Z WITH CARON}": "z",  # NFD base letter
    "\N{LATIN SMALL LETTER LONG S}": "s",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER REVERSED E}": "E",  # turned E
    "\N{LATIN CAPITAL LETTER SCHWA}": "E",  # Azerbaijani; unidecode gives @
    "\N{LATIN CAPITAL LETTER OPEN E}": "E",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER F WITH HOOK}": "f",  # CLDR Latin-ASCII
    "\N{LATIN CAPITAL LETTER O WITH HORN}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH HORN}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH HORN}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH HORN}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH CARON}": "A",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH CARON}": "a",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH CARON}": "I",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH CARON}": "i",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH CARON}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH CARON}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH CARON}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH CARON}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH DIAERESIS AND MACRON}": "Ü",  # NFD, first mark kept: Ü is GSM-7
    "\N{LATIN SMALL LETTER U WITH DIAERESIS AND MACRON}": "ü",  # NFD, first mark kept: ü is GSM-7
    "\N{LATIN CAPITAL LETTER U WITH DIAERESIS AND ACUTE}": "Ü",  # NFD, first mark kept: Ü is GSM-7
    "\N{LATIN SMALL LETTER U WITH DIAERESIS AND ACUTE}": "ü",  # NFD, first mark kept: ü is GSM-7
    "\N{LATIN CAPITAL LETTER U WITH DIAERESIS AND CARON}": "Ü",  # NFD, first mark kept: Ü is GSM-7
    "\N{LATIN SMALL LETTER U WITH DIAERESIS AND CARON}": "ü",  # NFD, first mark kept: ü is GSM-7
    "\N{LATIN CAPITAL LETTER U WITH DIAERESIS AND GRAVE}": "Ü",  # NFD, first mark kept: Ü is GSM-7
    "\N{LATIN SMALL LETTER U WITH DIAERESIS AND GRAVE}": "ü",  # NFD, first mark kept: ü is GSM-7
    "\N{LATIN SMALL LETTER TURNED E}": "e",  # turned e; unidecode gives @
    "\N{LATIN CAPITAL LETTER A WITH DIAERESIS AND MACRON}": "Ä",  # NFD, first mark kept: Ä is GSM-7
    "\N{LATIN SMALL LETTER A WITH DIAERESIS AND MACRON}": "ä",  # NFD, first mark kept: ä is GSM-7
    "\N{LATIN CAPITAL LETTER A WITH DOT ABOVE AND MACRON}": "A",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH DOT ABOVE AND MACRON}": "a",  # NFD base letter
    "\N{LATIN CAPITAL LETTER AE WITH MACRON}": "Æ",  # NFD base letter
    "\N{LATIN SMALL LETTER AE WITH MACRON}": "æ",  # NFD base letter
    "\N{LATIN CAPITAL LETTER G WITH CARON}": "G",  # NFD base letter
    "\N{LATIN SMALL LETTER G WITH CARON}": "g",  # NFD base letter
    "\N{LATIN CAPITAL LETTER K WITH CARON}": "K",  # NFD base letter
    "\N{LATIN SMALL LETTER K WITH CARON}": "k",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH OGONEK}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH OGONEK}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH OGONEK AND MACRON}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH OGONEK AND MACRON}": "o",  # NFD base letter
    "\N{LATIN SMALL LETTER J WITH CARON}": "j",  # NFD base letter
    "\N{LATIN CAPITAL LETTER G WITH ACUTE}": "G",  # NFD base letter
    "\N{LATIN SMALL LETTER G WITH ACUTE}": "g",  # NFD base letter
    "\N{LATIN CAPITAL LETTER N WITH GRAVE}": "N",  # NFD base letter
    "\N{LATIN SMALL LETTER N WITH GRAVE}": "n",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH RING ABOVE AND ACUTE}": "Å",  # NFD, first mark kept: Å is GSM-7
    "\N{LATIN SMALL LETTER A WITH RING ABOVE AND ACUTE}": "å",  # NFD, first mark kept: å is GSM-7
    "\N{LATIN CAPITAL LETTER AE WITH ACUTE}": "Æ",  # NFD base letter
    "\N{LATIN SMALL LETTER AE WITH ACUTE}": "æ",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH STROKE AND ACUTE}": "Ø",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH STROKE AND ACUTE}": "ø",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH DOUBLE GRAVE}": "A",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH DOUBLE GRAVE}": "a",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH INVERTED BREVE}": "A",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH INVERTED BREVE}": "a",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH DOUBLE GRAVE}": "E",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH DOUBLE GRAVE}": "e",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH INVERTED BREVE}": "E",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH INVERTED BREVE}": "e",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH DOUBLE GRAVE}": "I",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH DOUBLE GRAVE}": "i",  # NFD base letter
    "\N{LATIN CAPITAL LETTER I WITH INVERTED BREVE}": "I",  # NFD base letter
    "\N{LATIN SMALL LETTER I WITH INVERTED BREVE}": "i",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH DOUBLE GRAVE}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH DOUBLE GRAVE}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH INVERTED BREVE}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH INVERTED BREVE}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER R WITH DOUBLE GRAVE}": "R",  # NFD base letter
    "\N{LATIN SMALL LETTER R WITH DOUBLE GRAVE}": "r",  # NFD base letter
    "\N{LATIN CAPITAL LETTER R WITH INVERTED BREVE}": "R",  # NFD base letter
    "\N{LATIN SMALL LETTER R WITH INVERTED BREVE}": "r",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH DOUBLE GRAVE}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH DOUBLE GRAVE}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER U WITH INVERTED BREVE}": "U",  # NFD base letter
    "\N{LATIN SMALL LETTER U WITH INVERTED BREVE}": "u",  # NFD base letter
    "\N{LATIN CAPITAL LETTER S WITH COMMA BELOW}": "S",  # NFD base letter
    "\N{LATIN SMALL LETTER S WITH COMMA BELOW}": "s",  # NFD base letter
    "\N{LATIN CAPITAL LETTER T WITH COMMA BELOW}": "T",  # NFD base letter
    "\N{LATIN SMALL LETTER T WITH COMMA BELOW}": "t",  # NFD base letter
    "\N{LATIN CAPITAL LETTER H WITH CARON}": "H",  # NFD base letter
    "\N{LATIN SMALL LETTER H WITH CARON}": "h",  # NFD base letter
    "\N{LATIN CAPITAL LETTER A WITH DOT ABOVE}": "A",  # NFD base letter
    "\N{LATIN SMALL LETTER A WITH DOT ABOVE}": "a",  # NFD base letter
    "\N{LATIN CAPITAL LETTER E WITH CEDILLA}": "E",  # NFD base letter
    "\N{LATIN SMALL LETTER E WITH CEDILLA}": "e",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH DIAERESIS AND MACRON}": "Ö",  # NFD, first mark kept: Ö is GSM-7
    "\N{LATIN SMALL LETTER O WITH DIAERESIS AND MACRON}": "ö",  # NFD, first mark kept: ö is GSM-7
    "\N{LATIN CAPITAL LETTER O WITH TILDE AND MACRON}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH TILDE AND MACRON}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH DOT ABOVE}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH DOT ABOVE}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER O WITH DOT ABOVE AND MACRON}": "O",  # NFD base letter
    "\N{LATIN SMALL LETTER O WITH DOT ABOVE AND MACRON}": "o",  # NFD base letter
    "\N{LATIN CAPITAL LETTER Y WITH MACRON}": "Y",  # NFD base letter
    "\N{LATIN SMALL LETTER Y WITH MACRON}": "y",  # NFD base letter
    "\N{LATIN CAPITAL LETTER SHARP S}": "SS",  # CLDR Latin-ASCII
    "\N{LATIN SMALL LETTER SCHWA}": "e",  # Azerbaijani; unidecode gives @
    "\N{LATIN SMALL LETTER OPEN E}": "e",  # CLDR Latin-ASCII
}

#: Greek letters: GSM-7 has the capitals Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ (TS 23.038 §6.2.1) and no small
#: letters, so every letter becomes a capital: that one, or the Latin capital of the same shape.
GREEK: dict[str, str] = {
    "\N{GREEK CAPITAL LETTER ALPHA}": "A",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER BETA}": "B",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER EPSILON}": "E",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER ZETA}": "Z",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER ETA}": "H",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER IOTA}": "I",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER KAPPA}": "K",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER MU}": "M",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER NU}": "N",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER OMICRON}": "O",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER RHO}": "P",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER TAU}": "T",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER UPSILON}": "Y",  # Latin look-alike
    "\N{GREEK CAPITAL LETTER CHI}": "X",  # Latin look-alike
    "\N{GREEK SMALL LETTER ALPHA}": "A",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER BETA}": "B",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER GAMMA}": "\N{GREEK CAPITAL LETTER GAMMA}",  # capital, GSM-7 0x13
    "\N{GREEK SMALL LETTER DELTA}": "\N{GREEK CAPITAL LETTER DELTA}",  # capital, GSM-7 0x10
    "\N{GREEK SMALL LETTER EPSILON}": "E",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER ZETA}": "Z",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER ETA}": "H",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER THETA}": "\N{GREEK CAPITAL LETTER THETA}",  # capital, GSM-7 0x19
    "\N{GREEK SMALL LETTER IOTA}": "I",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER KAPPA}": "K",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER LAMDA}": "\N{GREEK CAPITAL LETTER LAMDA}",  # capital, GSM-7 0x14
    "\N{GREEK SMALL LETTER MU}": "M",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER NU}": "N",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER XI}": "\N{GREEK CAPITAL LETTER XI}",  # capital, GSM-7 0x1A
    "\N{GREEK SMALL LETTER OMICRON}": "O",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER PI}": "\N{GREEK CAPITAL LETTER PI}",  # capital, GSM-7 0x16
    "\N{GREEK SMALL LETTER RHO}": "P",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER FINAL SIGMA}": "\N{GREEK CAPITAL LETTER SIGMA}",  # capital, GSM-7 0x18
    "\N{GREEK SMALL LETTER SIGMA}": "\N{GREEK CAPITAL LETTER SIGMA}",  # capital, GSM-7 0x18
    "\N{GREEK SMALL LETTER TAU}": "T",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER UPSILON}": "Y",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER PHI}": "\N{GREEK CAPITAL LETTER PHI}",  # capital, GSM-7 0x12
    "\N{GREEK SMALL LETTER CHI}": "X",  # capital, Latin look-alike
    "\N{GREEK SMALL LETTER PSI}": "\N{GREEK CAPITAL LETTER PSI}",  # capital, GSM-7 0x17
    "\N{GREEK SMALL LETTER OMEGA}": "\N{GREEK CAPITAL LETTER OMEGA}",  # capital, GSM-7 0x15
    "\N{GREEK CAPITAL LETTER ALPHA WITH TONOS}": "A",  # tonos dropped
    "\N{GREEK CAPITAL LETTER EPSILON WITH TONOS}": "E",  # tonos dropped
    "\N{GREEK CAPITAL LETTER ETA WITH TONOS}": "H",  # tonos dropped
    "\N{GREEK CAPITAL LETTER IOTA WITH TONOS}": "I",  # tonos dropped
    "\N{GREEK CAPITAL LETTER OMICRON WITH TONOS}": "O",  # tonos dropped
    "\N{GREEK CAPITAL LETTER UPSILON WITH TONOS}": "Y",  # tonos dropped
    "\N{GREEK CAPITAL LETTER OMEGA WITH TONOS}": "\N{GREEK CAPITAL LETTER OMEGA}",  # tonos dropped
    "\N{GREEK CAPITAL LETTER IOTA WITH DIALYTIKA}": "I",  # dialytika dropped
    "\N{GREEK CAPITAL LETTER UPSILON WITH DIALYTIKA}": "Y",  # dialytika dropped
    "\N{GREEK SMALL LETTER ALPHA WITH TONOS}": "A",  # capital, tonos dropped
    "\N{GREEK SMALL LETTER EPSILON WITH TONOS}": "E",  # capital, tonos dropped
    "\N{GREEK SMALL LETTER ETA WITH TONOS}": "H",  # capital, tonos dropped
    "\N{GREEK SMALL LETTER IOTA WITH TONOS}": "I",  # capital, tonos dropped
    "\N{GREEK SMALL LETTER OMICRON WITH TONOS}": "O",  # capital, tonos dropped
    "\N{GREEK SMALL LETTER UPSILON WITH TONOS}": "Y",  # capital, tonos dropped
    "\N{GREEK SMALL LETTER OMEGA WITH TONOS}": "\N{GREEK CAPITAL LETTER OMEGA}",  # capital, tonos dropped
    "\N{GREEK SMALL LETTER IOTA WITH DIALYTIKA}": "I",  # capital, dialytika dropped
    "\N{GREEK SMALL LETTER UPSILON WITH DIALYTIKA}": "Y",  # capital, dialytika dropped
    "\N{GREEK SMALL LETTER IOTA WITH DIALYTIKA AND TONOS}": "I",  # capital, marks dropped
    "\N{GREEK SMALL LETTER UPSILON WITH DIALYTIKA AND TONOS}": "Y",  # capital, marks dropped
    "\N{GREEK BETA SYMBOL}": "B",  # variant of beta
    "\N{GREEK THETA SYMBOL}": "\N{GREEK CAPITAL LETTER THETA}",  # variant of theta
    "\N{GREEK CAPITAL THETA SYMBOL}": "\N{GREEK CAPITAL LETTER THETA}",  # variant of theta
    "\N{GREEK PHI SYMBOL}": "\N{GREEK CAPITAL LETTER PHI}",  # variant of phi
    "\N{GREEK PI SYMBOL}": "\N{GREEK CAPITAL LETTER PI}",  # variant of pi
    "\N{GREEK KAPPA SYMBOL}": "K",  # variant of kappa
    "\N{GREEK RHO SYMBOL}": "P",  # variant of rho
    "\N{GREEK LUNATE SIGMA SYMBOL}": "\N{GREEK CAPITAL LETTER SIGMA}",  # variant of sigma
    "\N{GREEK CAPITAL LUNATE SIGMA SYMBOL}": "\N{GREEK CAPITAL LETTER SIGMA}",  # variant of sigma
    "\N{GREEK LUNATE EPSILON SYMBOL}": "E",  # variant of epsilon
    "\N{GREEK UPSILON WITH HOOK SYMBOL}": "Y",  # variant of upsilon
}

#: Cyrillic letters: BGN/PCGN romanisation reduced to GSM-7 (see the module docstring).
CYRILLIC: dict[str, str] = {
    "\N{CYRILLIC CAPITAL LETTER A}": "A",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER BE}": "B",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER VE}": "V",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER GHE}": "G",  # BGN/PCGN Russian (Ukrainian H)
    "\N{CYRILLIC CAPITAL LETTER DE}": "D",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER IE}": "E",  # BGN/PCGN Russian, without the positional Ye
    "\N{CYRILLIC CAPITAL LETTER IO}": "E",  # BGN/PCGN Russian, diaeresis dropped
    "\N{CYRILLIC CAPITAL LETTER ZHE}": "Zh",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER ZE}": "Z",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER I}": "I",  # BGN/PCGN Russian (Ukrainian Y)
    "\N{CYRILLIC CAPITAL LETTER SHORT I}": "Y",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER KA}": "K",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER EL}": "L",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER EM}": "M",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER EN}": "N",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER O}": "O",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER PE}": "P",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER ER}": "R",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER ES}": "S",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER TE}": "T",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER U}": "U",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER EF}": "F",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER HA}": "Kh",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER TSE}": "Ts",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER CHE}": "Ch",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER SHA}": "Sh",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER SHCHA}": "Shch",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER HARD SIGN}": "'",  # BGN/PCGN double prime, as an apostrophe
    "\N{CYRILLIC CAPITAL LETTER YERU}": "Y",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER SOFT SIGN}": "'",  # BGN/PCGN prime, as an apostrophe
    "\N{CYRILLIC CAPITAL LETTER E}": "E",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER YU}": "Yu",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER YA}": "Ya",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER A}": "a",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER BE}": "b",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER VE}": "v",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER GHE}": "g",  # BGN/PCGN Russian (Ukrainian h)
    "\N{CYRILLIC SMALL LETTER DE}": "d",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER IE}": "e",  # BGN/PCGN Russian, without the positional ye
    "\N{CYRILLIC SMALL LETTER IO}": "e",  # BGN/PCGN Russian, diaeresis dropped
    "\N{CYRILLIC SMALL LETTER ZHE}": "zh",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER ZE}": "z",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER I}": "i",  # BGN/PCGN Russian (Ukrainian y)
    "\N{CYRILLIC SMALL LETTER SHORT I}": "y",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER KA}": "k",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER EL}": "l",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER EM}": "m",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER EN}": "n",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER O}": "o",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER PE}": "p",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER ER}": "r",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER ES}": "s",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER TE}": "t",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER U}": "u",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER EF}": "f",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER HA}": "kh",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER TSE}": "ts",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER CHE}": "ch",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER SHA}": "sh",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER SHCHA}": "shch",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER HARD SIGN}": "'",  # BGN/PCGN double prime, as an apostrophe
    "\N{CYRILLIC SMALL LETTER YERU}": "y",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER SOFT SIGN}": "'",  # BGN/PCGN prime, as an apostrophe
    "\N{CYRILLIC SMALL LETTER E}": "e",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER YU}": "yu",  # BGN/PCGN Russian
    "\N{CYRILLIC SMALL LETTER YA}": "ya",  # BGN/PCGN Russian
    "\N{CYRILLIC CAPITAL LETTER UKRAINIAN IE}": "Ye",  # BGN/PCGN Ukrainian
    "\N{CYRILLIC CAPITAL LETTER YI}": "Yi",  # BGN/PCGN Ukrainian
    "\N{CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I}": "I",  # BGN/PCGN Ukrainian
    "\N{CYRILLIC CAPITAL LETTER GHE WITH UPTURN}": "G",  # BGN/PCGN Ukrainian
    "\N{CYRILLIC CAPITAL LETTER SHORT U}": "U",  # Belarusian; ICAO Doc 9303
    "\N{CYRILLIC SMALL LETTER UKRAINIAN IE}": "ye",  # BGN/PCGN Ukrainian
    "\N{CYRILLIC SMALL LETTER YI}": "yi",  # BGN/PCGN Ukrainian
    "\N{CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I}": "i",  # BGN/PCGN Ukrainian
    "\N{CYRILLIC SMALL LETTER GHE WITH UPTURN}": "g",  # BGN/PCGN Ukrainian
    "\N{CYRILLIC SMALL LETTER SHORT U}": "u",  # Belarusian; ICAO Doc 9303
    "\N{CYRILLIC CAPITAL LETTER DJE}": "Dj",  # Serbian Latin Đ, written Dj without diacritics
    "\N{CYRILLIC CAPITAL LETTER JE}": "J",  # Serbian Latin
    "\N{CYRILLIC CAPITAL LETTER LJE}": "Lj",  # Serbian Latin
    "\N{CYRILLIC CAPITAL LETTER NJE}": "Nj",  # Serbian Latin
    "\N{CYRILLIC CAPITAL LETTER TSHE}": "C",  # Serbian Latin Ć, accent dropped
    "\N{CYRILLIC CAPITAL LETTER DZHE}": "Dz",  # Serbian Latin Dž, caron dropped
    "\N{CYRILLIC CAPITAL LETTER GJE}": "Gj",  # Macedonian Latin
    "\N{CYRILLIC CAPITAL LETTER KJE}": "Kj",  # Macedonian Latin
    "\N{CYRILLIC CAPITAL LETTER DZE}": "Dz",  # Macedonian Latin
    "\N{CYRILLIC SMALL LETTER DJE}": "dj",  # Serbian Latin đ, written dj without diacritics
    "\N{CYRILLIC SMALL LETTER JE}": "j",  # Serbian Latin
    "\N{CYRILLIC SMALL LETTER LJE}": "lj",  # Serbian Latin
    "\N{CYRILLIC SMALL LETTER NJE}": "nj",  # Serbian Latin
    "\N{CYRILLIC SMALL LETTER TSHE}": "c",  # Serbian Latin ć, accent dropped
    "\N{CYRILLIC SMALL LETTER DZHE}": "dz",  # Serbian Latin dž, caron dropped
    "\N{CYRILLIC SMALL LETTER GJE}": "gj",  # Macedonian Latin
    "\N{CYRILLIC SMALL LETTER KJE}": "kj",  # Macedonian Latin
    "\N{CYRILLIC SMALL LETTER DZE}": "dz",  # Macedonian Latin
    "\N{CYRILLIC CAPITAL LETTER SCHWA}": "\N{LATIN CAPITAL LETTER A WITH DIAERESIS}",  # Kazakh Latin
    "\N{CYRILLIC CAPITAL LETTER BARRED O}": "\N{LATIN CAPITAL LETTER O WITH DIAERESIS}",  # Kazakh Latin
    "\N{CYRILLIC CAPITAL LETTER STRAIGHT U}": "\N{LATIN CAPITAL LETTER U WITH DIAERESIS}",  # Kazakh Latin
    "\N{CYRILLIC CAPITAL LETTER EN WITH DESCENDER}": "\N{LATIN CAPITAL LETTER N WITH TILDE}",  # Kazakh Latin
    "\N{CYRILLIC CAPITAL LETTER STRAIGHT U WITH STROKE}": "U",  # Kazakh Latin Ū, macron dropped
    "\N{CYRILLIC CAPITAL LETTER KA WITH DESCENDER}": "Q",  # Kazakh Latin
    "\N{CYRILLIC CAPITAL LETTER GHE WITH STROKE}": "G",  # Kazakh Latin Ğ, breve dropped
    "\N{CYRILLIC CAPITAL LETTER SHHA}": "H",  # Kazakh Latin
    "\N{CYRILLIC SMALL LETTER SCHWA}": "\N{LATIN SMALL LETTER A WITH DIAERESIS}",  # Kazakh Latin
    "\N{CYRILLIC SMALL LETTER BARRED O}": "\N{LATIN SMALL LETTER O WITH DIAERESIS}",  # Kazakh Latin
    "\N{CYRILLIC SMALL LETTER STRAIGHT U}": "\N{LATIN SMALL LETTER U WITH DIAERESIS}",  # Kazakh Latin
    "\N{CYRILLIC SMALL LETTER EN WITH DESCENDER}": "\N{LATIN SMALL LETTER N WITH TILDE}",  # Kazakh Latin
    "\N{CYRILLIC SMALL LETTER STRAIGHT U WITH STROKE}": "u",  # Kazakh Latin ū, macron dropped
    "\N{CYRILLIC SMALL LETTER KA WITH DESCENDER}": "q",  # Kazakh Latin
    "\N{CYRILLIC SMALL LETTER GHE WITH STROKE}": "g",  # Kazakh Latin ğ, breve dropped
    "\N{CYRILLIC SMALL LETTER SHHA}": "h",  # Kazakh Latin
}

#: Letter-like symbols, mathematics, arrows, fractions and currency.
SYMBOLS: dict[str, str] = {
    "\N{TRADE MARK SIGN}": "TM",  # NFKC
    "\N{SERVICE MARK}": "SM",  # NFKC
    "\N{COPYRIGHT SIGN}": "(C)",  # CLDR Latin-ASCII
    "\N{REGISTERED SIGN}": "(R)",  # CLDR Latin-ASCII
    "\N{SOUND RECORDING COPYRIGHT}": "(P)",  # like COPYRIGHT SIGN
    "\N{DEGREE SIGN}": "o",  # the shape readers know from "25oC"; one septet
    "\N{DEGREE CELSIUS}": "oC",  # like DEGREE SIGN
    "\N{DEGREE FAHRENHEIT}": "oF",  # like DEGREE SIGN
    "\N{FEMININE ORDINAL INDICATOR}": "a",  # NFKC ("1a")
    "\N{MASCULINE ORDINAL INDICATOR}": "o",  # NFKC ("1o")
    "\N{NUMERO SIGN}": "No.",  # CLDR Latin-ASCII has "No"; the full stop keeps "No.5" a number
    "\N{CARE OF}": "c/o",  # CLDR Latin-ASCII
    "\N{PER MILLE SIGN}": "o/oo",  # typewriter form; unidecode's "%0" reads as a percentage
    "\N{MICRO SIGN}": "u",  # unit prefix as written in ASCII (um, ug); Greek mu is M
    "\N{SUPERSCRIPT ONE}": "1",  # NFKC
    "\N{SUPERSCRIPT TWO}": "2",  # NFKC ("m2")
    "\N{SUPERSCRIPT THREE}": "3",  # NFKC ("m3")
    "\N{VULGAR FRACTION ONE QUARTER}": " 1/4",  # CLDR character-fallback: "1 1/4", not "11/4"
    "\N{VULGAR FRACTION ONE HALF}": " 1/2",  # CLDR character-fallback
    "\N{VULGAR FRACTION THREE QUARTERS}": " 3/4",  # CLDR character-fallback
    "\N{VULGAR FRACTION ONE THIRD}": " 1/3",  # CLDR character-fallback
    "\N{VULGAR FRACTION TWO THIRDS}": " 2/3",  # CLDR character-fallback
    "\N{VULGAR FRACTION ONE EIGHTH}": " 1/8",  # CLDR character-fallback
    "\N{VULGAR FRACTION THREE EIGHTHS}": " 3/8",  # CLDR character-fallback
    "\N{VULGAR FRACTION FIVE EIGHTHS}": " 5/8",  # CLDR character-fallback
    "\N{VULGAR FRACTION SEVEN EIGHTHS}": " 7/8",  # CLDR character-fallback
    "\N{FRACTION SLASH}": "/",  # CLDR Latin-ASCII
    "\N{DIVISION SLASH}": "/",  # CLDR Latin-ASCII
    "\N{ASTERISK OPERATOR}": "*",  # unidecode
    "\N{MULTIPLICATION SIGN}": "x",  # "2 x 3", "4x4"; CLDR's "*" is programmers' notation
    "\N{DIVISION SIGN}": "/",  # CLDR Latin-ASCII
    "\N{PLUS-MINUS SIGN}": "+/-",  # unidecode
    "\N{MINUS-OR-PLUS SIGN}": "-/+",  # like PLUS-MINUS SIGN
    "\N{MINUS SIGN}": "-",  # CLDR Latin-ASCII
    "\N{LESS-THAN OR EQUAL TO}": "<=",  # unidecode
    "\N{GREATER-THAN OR EQUAL TO}": ">=",  # unidecode
    "\N{NOT EQUAL TO}": "!=",  # as CLDR's Latin-ASCII rules suggest for it
    "\N{ALMOST EQUAL TO}": "~",  # unidecode; an extension character (2 septets)
    "\N{RIGHTWARDS ARROW}": "->",  # ASCII arrow
    "\N{LEFTWARDS ARROW}": "<-",  # ASCII arrow
    "\N{LEFT RIGHT ARROW}": "<->",  # ASCII arrow
    "\N{RIGHTWARDS DOUBLE ARROW}": "=>",  # ASCII arrow
    "\N{LEFTWARDS DOUBLE ARROW}": "<=",  # ASCII arrow
    "\N{LEFT RIGHT DOUBLE ARROW}": "<=>",  # ASCII arrow
    "\N{BLACK STAR}": "*",  # star rating
    "\N{WHITE STAR}": "*",  # star rating
    "\N{CENT SIGN}": "c",  # "99c"
    "\N{INDIAN RUPEE SIGN}": "Rs",  # CLDR character-fallback
    "\N{RUPEE SIGN}": "Rs",  # NFKC
    "\N{TURKISH LIRA SIGN}": "TL",  # CLDR character-fallback
    "\N{PESETA SIGN}": "Pts",  # CLDR character-fallback
    "\N{FRENCH FRANC SIGN}": "Fr.",  # CLDR character-fallback
    "\N{LIRA SIGN}": "L.",  # CLDR character-fallback
    "\N{EURO-CURRENCY SIGN}": "CE",  # CLDR character-fallback
    "\N{CRUZEIRO SIGN}": "Cr",  # CLDR character-fallback
    "\N{RUBLE SIGN}": "RUB",  # ISO 4217
    "\N{HRYVNIA SIGN}": "UAH",  # ISO 4217
    "\N{WON SIGN}": "KRW",  # ISO 4217
    "\N{NEW SHEQEL SIGN}": "ILS",  # ISO 4217
    "\N{NAIRA SIGN}": "NGN",  # ISO 4217
    "\N{PESO SIGN}": "PHP",  # ISO 4217 (the sign is the Philippine peso's)
    "\N{DONG SIGN}": "VND",  # ISO 4217
    "\N{TENGE SIGN}": "KZT",  # ISO 4217
    "\N{MANAT SIGN}": "AZN",  # ISO 4217
    "\N{LARI SIGN}": "GEL",  # ISO 4217
    "\N{COLON SIGN}": "CRC",  # ISO 4217
    "\N{GUARANI SIGN}": "PYG",  # ISO 4217
    "\N{CEDI SIGN}": "GHS",  # ISO 4217
    "\N{KIP SIGN}": "LAK",  # ISO 4217
    "\N{TUGRIK SIGN}": "MNT",  # ISO 4217
    "\N{BITCOIN SIGN}": "BTC",  # the usual code (not ISO 4217)
}


def _merge(*tables: dict[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for table in tables:
        for char, text in table.items():
            if char in merged:  # a character belongs to one table, so no table silently wins
                msg = f"{char!r} (U+{ord(char):04X}) is curated twice"
                raise ValueError(msg)
            merged[char] = text
    return merged


#: Every curated character -> its GSM-7 text: the one dict :func:`to_gsm` looks a cluster up in.
CURATED: dict[str, str] = _merge(SPACES, PUNCTUATION, LATIN, GREEK, CYRILLIC, SYMBOLS)

_is_gsm = DEFAULT.all_re.fullmatch
# str.translate table deleting the variation selectors VS1-VS16, which only choose a glyph.
_VARIATION_SELECTORS: dict[int, None] = dict.fromkeys(range(0xFE00, 0xFE10))
# Emoji and their pieces: the caller's replacement, not a spelled-out name, stands in for them.
_PICTOGRAPHIC = regex.compile(
    r"[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}\N{COMBINING ENCLOSING KEYCAP}]"
)
# Characters a letter may carry that do not change which letter it is.
_MARK_CATEGORIES = frozenset({"Mn", "Me", "Mc", "Cf"})


def to_gsm(cluster: str) -> str | None:
    """The closest GSM-7 text for one grapheme cluster, or ``None`` when there is none.

    *cluster* is one extended grapheme cluster (as ``regex``'s ``\\X`` finds them). The result
    holds only characters of the GSM-7 default alphabet and its extension table. It is empty
    only where dropping the cluster is the right rendering (zero-width and bidi controls, soft
    hyphen, a lone variation selector or combining mark). ``None`` means nothing sensible
    exists (emoji, flags, control characters, private-use characters): the caller puts its
    replacement there. A cluster that is GSM-7 once composed is returned composed.

    >>> to_gsm("e\\u0301"), to_gsm("ç"), to_gsm("ω"), to_gsm("Ж"), to_gsm("“"), to_gsm("½")
    ('é', 'c', 'Ω', 'Zh', '"', ' 1/2')
    >>> to_gsm("\\N{ZERO WIDTH SPACE}"), to_gsm("👍🏽")
    ('', None)

    Raises:
        TypeError: *cluster* is not a ``str``.
    """
    if not isinstance(cluster, str):
        msg = f"to_gsm() takes one grapheme cluster as a str, not {type(cluster).__name__}"
        raise TypeError(msg)
    text = CURATED.get(cluster)
    return text if text is not None else _convert(cluster)


@lru_cache(maxsize=4096)
def _convert(cluster: str) -> str | None:
    """:func:`to_gsm` for a cluster that is not itself a key of :data:`CURATED`."""
    composed = unicodedata.normalize("NFC", cluster)
    if _is_gsm(composed):
        return composed
    text = CURATED.get(composed)
    if text is not None:
        return text
    bare = composed.translate(_VARIATION_SELECTORS)
    if bare != composed:  # "©\ufe0f" is the copyright sign, "\ufe0f" alone is nothing
        if _is_gsm(bare):
            return bare
        text = CURATED.get(bare)
        if text is not None:
            return text
    if _PICTOGRAPHIC.search(bare):
        return None
    text = _letter_with_marks(bare)
    if text is not None:
        return text
    pieces = [_code_point(char) for char in bare]
    if None in pieces:
        return None
    return "".join(piece for piece in pieces if piece)


def _letter_with_marks(composed: str) -> str | None:
    """A known letter followed by marks: keep the first mark if the pair is known, drop the rest."""
    decomposed = unicodedata.normalize("NFD", composed)
    if len(decomposed) < 2:
        return None
    base = decomposed[0]
    if not (_is_gsm(base) or base in CURATED):
        return None  # Indic vowel signs, Hangul jamo ... carry sound: leave them to unidecode
    if any(unicodedata.category(char) not in _MARK_CATEGORIES for char in decomposed[1:]):
        return None
    first = decomposed[1]
    if unicodedata.combining(first):
        pair = unicodedata.normalize("NFC", base + first)
        if len(pair) == 1:  # it composes to one letter: "ü" + macron -> "ǖ" keeps "ü"
            if _is_gsm(pair):
                return pair
            text = CURATED.get(pair)
            if text is not None:
                return text
    return base if _is_gsm(base) else CURATED[base]


@lru_cache(maxsize=4096)
def _code_point(char: str) -> str | None:
    """GSM-7 text for one code point of a cluster no other step covered, or ``None``."""
    if _is_gsm(char):
        return char
    text = CURATED.get(char)
    if text is not None:
        return text
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Co", "Cn"):
        return None  # controls, lone surrogates, private use, unassigned: no known rendering
    if category == "Cf":
        return ""  # invisible format character
    if category[0] == "M":
        return _unidecode(char) or ""  # a vowel sign keeps its vowel; an accent alone goes
    compatible = unicodedata.normalize("NFKC", char)
    if compatible != char:
        pieces = [_simple(piece) for piece in compatible]
        if None not in pieces:
            text = "".join(piece for piece in pieces if piece)
            if text.strip() or category == "Zs":  # "˘" is " " + breve: not a space
                return text
    return _unidecode(char)


def _simple(char: str) -> str | None:
    """One code point of a compatibility decomposition: GSM-7, curated, a mark, or unidecode."""
    if _is_gsm(char):
        return char
    text = CURATED.get(char)
    if text is not None:
        return text
    if unicodedata.category(char)[0] == "M":
        return ""
    return _unidecode(char)


def _unidecode(char: str) -> str | None:
    """unidecode's ASCII for *char* if it is usable GSM-7 text, else ``None``."""
    if "\ud800" <= char <= "\udfff":
        return None  # unidecode warns about lone surrogates
    text = str(unidecode(char)).replace("`", "'")  # GSM-7 has no backtick
    if not text or "[?]" in text or not _is_gsm(text):
        return None
    return text
