"""The benchmark corpus: named classes of messages, generated from a fixed seed.

Every class is built by its own ``random.Random`` seeded with a string (string seeds are hashed
with SHA-512, so the corpus does not depend on ``PYTHONHASHSEED``), which makes a run
reproducible byte for byte on the same CPython.

The classes mirror what bulk jobs send:

* ``short``     short ASCII notifications, 40-140 characters: always one part.
* ``gsm_ext``   GSM-7 text with extension characters (``{ } [ ] ~ ^ | \\ €`` and FF), 100-400
                characters; a third of them put an extension character exactly where a 153-septet
                part ends, so an escape pair would straddle the boundary (half of those are
                306 septets long, where cutting the pair changes the part count).
* ``latin``     Latin-script text with accents: half only GSM-7 ones (é, ñ, ü, ß ...), half also
                ones outside GSM-7 (ê, ç, ł, ő ...), which turns the message into UTF-16.
* ``cyrillic``  Russian text, 30-300 characters: UTF-16.
* ``emoji``     text with emoji: ZWJ families, flags, skin tones, keycaps; a third put a
                multi-unit grapheme cluster across a 67-unit part boundary (half of those are
                134 units long, where cutting the cluster changes the part count).
* ``long``      1,000-3,000-character GSM-7 texts (7-20 parts), a few extension characters.

``scale_texts`` makes the large texts of the scaling measurement (16K ... 1M characters).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["CLASSES", "SCALE_SIZES", "CorpusClass", "build", "scale_texts"]

SEED = "smsencode-benchmarks-1"

#: Characters of the scaling texts, full run and quick run.
SCALE_SIZES = (16_384, 65_536, 262_144, 1_048_576)
QUICK_SCALE_SIZES = (16_384, 65_536)

# --- vocabulary -------------------------------------------------------------------------------

_ASCII_WORDS = tuple(
    (
        "your order has been shipped and will arrive tomorrow between the hours shown in the app "
        "code is valid for ten minutes do not share it with anyone including our staff appointment "
        "confirmed reply STOP to unsubscribe delivery scheduled account balance payment received "
        "thank you for choosing us verification login from a new device call track parcel at "
        "reference ticket gate boarding flight delayed new time please check in online pickup ready "
        "store pharmacy prescription reminder meeting room booked invoice due overdue update"
    ).split()
)

_GSM_BASIC_EXTRA = "£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà@"
_EXTENSION = "{}[]~^|\\€"
_FORM_FEED = "\N{FORM FEED}"

# Words whose accents are all in GSM-7 (the default table has é è ù ì ò à ä ö ü ñ ß Ç Å Ø Æ).
_LATIN_GSM = tuple(
    (
        "café déjà réservé à été arrivé année über München Straße Grüße schön Mädchen Öl Brücke "
        "niño mañana España señor año diseño ìsola così già però perché città più "
        "Ørsted Århus Æble Ålesund smørbrød København élève répété Mücke Übung Ängste"
    ).split()
)
# Words with at least one accent outside GSM-7.
_LATIN_OTHER = tuple(
    (
        "fenêtre garçon être français leçon hôtel Noël maïs naïve coûte île forêt "
        "ação coração não informação você avó está água pública médico "
        "Łódź źródło żółw gęś sześć będzie mówić ćma Kraków "
        "Győr hűtő őszi kérdés szép köszönöm "
        "Ελλάδα καλημέρα"
    ).split()
)
_CYRILLIC = tuple(
    (
        "Ваш заказ отправлен и будет доставлен завтра код подтверждения действителен десять минут "
        "никому не сообщайте его запись на приём подтверждена ответьте СТОП чтобы отписаться "
        "баланс счёта платёж получен спасибо что выбрали нас вход с нового устройства посылка "
        "ожидает в пункте выдачи рейс задержан новое время вылета встреча перенесена"
    ).split()
)

# Grapheme clusters of several code points and UTF-16 units.
_EMOJI_SIMPLE = ("😀", "🎉", "👍", "🚀", "📦", "✅", "⚠️", "❤️", "☕", "🔥")
_EMOJI_CLUSTERS = (
    "👨\N{ZERO WIDTH JOINER}👩\N{ZERO WIDTH JOINER}👧\N{ZERO WIDTH JOINER}👦",  # family, 11 units
    "👩\N{ZERO WIDTH JOINER}💻",  # technologist, 5 units
    "🏳️\N{ZERO WIDTH JOINER}🌈",  # rainbow flag, 6 units
    "🇮🇹",  # flag: two regional indicators, 4 units
    "🇩🇪",
    "🇯🇵",
    "👍🏽",  # thumbs up with a skin tone modifier, 4 units
    "👋🏿",
    "1️⃣",  # keycap sequence, 3 units
    "🧑🏾\N{ZERO WIDTH JOINER}🚒",  # firefighter with skin tone, 7 units
)


@dataclass(frozen=True)
class CorpusClass:
    """One named class of benchmark messages."""

    name: str
    description: str
    texts: tuple[str, ...]

    @property
    def mean_length(self) -> float:
        """Mean length in code points."""
        return sum(map(len, self.texts)) / max(1, len(self.texts))


# --- generators -------------------------------------------------------------------------------


def _words(rng: random.Random, vocab: tuple[str, ...] | list[str], length: int, extra: str = "") -> str:
    """Words from *vocab* (and now and then a character of *extra*) up to exactly *length*."""
    out: list[str] = []
    size = 0
    while size <= length:  # the joined words are size - 1 long
        r = rng.random()
        if extra and r < 0.12:
            w = rng.choice(extra)
        elif r < 0.2:
            w = str(rng.randrange(10, 999_999))
        else:
            w = rng.choice(vocab)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)[:length]


def _gsm_septets(text: str) -> int:
    return len(text) + sum(text.count(c) for c in _EXTENSION + _FORM_FEED)


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _short(rng: random.Random) -> str:
    n = rng.randint(40, 140)
    head = rng.choice(("Your code is", "Order", "Reminder:", "Hi,", "Alert:", "Delivery"))
    return (head + " " + _words(rng, _ASCII_WORDS, n))[:n]


def _gsm_ext(rng: random.Random, i: int) -> str:
    n = rng.randint(100, 400)
    if i % 3 == 0:
        # An extension character whose escape would start at septet 152: the last septet of a
        # 153-septet part; a splitter that counts septets blindly cuts the pair in two.
        head = _words(rng, _ASCII_WORDS, 152 - 3, _GSM_BASIC_EXTRA)
        head = head + "." * (152 - _gsm_septets(head))
        ext = rng.choice(_EXTENSION + _FORM_FEED)
        if i % 6 == 0:
            # 306 septets in all: two full parts for a splitter that cuts the pair, three for
            # one that keeps it whole (as "a"*152 + "{" + "a"*152 does).
            return head + ext + _words(rng, _ASCII_WORDS, 152, _GSM_BASIC_EXTRA)
        tail_len = max(1, n - 153)
        return head + ext + _words(rng, _ASCII_WORDS, tail_len, _GSM_BASIC_EXTRA + _EXTENSION)
    return _words(rng, _ASCII_WORDS, n, _GSM_BASIC_EXTRA + _EXTENSION * 2 + _FORM_FEED)


def _latin(rng: random.Random, i: int) -> str:
    n = rng.randint(40, 400)
    if i % 2 == 0:
        return _words(rng, _LATIN_GSM + _ASCII_WORDS[:20], n, ",.!?")
    return _words(rng, _LATIN_GSM + _LATIN_OTHER, n, ",.!?")


def _cyrillic(rng: random.Random) -> str:
    return _words(rng, _CYRILLIC, rng.randint(30, 300), ",.!")


def _emoji(rng: random.Random, i: int) -> str:
    n = rng.randint(20, 300)
    pool = _EMOJI_SIMPLE + _EMOJI_CLUSTERS
    if i % 3 == 0:
        # A cluster that starts two units before a 67-unit part ends, so it cannot fit there.
        cluster = rng.choice(_EMOJI_CLUSTERS)
        head = _words(rng, _ASCII_WORDS, 65)
        head = head + "." * (65 - _utf16_units(head))
        if i % 6 == 0:
            # 134 units in all: two full parts when the cluster is cut, three when it is kept whole.
            return head + cluster + _words(rng, _ASCII_WORDS, 134 - 65 - _utf16_units(cluster))
        return head + cluster + _words(rng, _ASCII_WORDS, max(1, n - 65), "".join(pool))
    out = _words(rng, _ASCII_WORDS, n)
    pieces = out.split(" ")
    for _ in range(rng.randint(1, 6)):
        pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(pool))
    return " ".join(pieces)


def _long(rng: random.Random) -> str:
    return _words(rng, _ASCII_WORDS, rng.randint(1000, 3000), _GSM_BASIC_EXTRA + "{}€[]")


#: (name, description, full-run size, quick-run size)
CLASSES: tuple[tuple[str, str, int, int], ...] = (
    ("short", "short ASCII notifications, 40-140 chars (1 part)", 2000, 150),
    ("gsm_ext", "GSM-7 with extension chars, 100-400 chars, 1/3 across a part boundary", 1000, 60),
    ("latin", "Latin accents, 40-400 chars, half outside GSM-7 (UTF-16)", 1000, 60),
    ("cyrillic", "Cyrillic, 30-300 chars (UTF-16)", 1000, 60),
    ("emoji", "emoji: ZWJ, flags, skin tones, 1/3 across a part boundary (UTF-16)", 1000, 60),
    ("long", "GSM-7 texts of 1,000-3,000 chars (7-20 parts)", 200, 20),
)


def _make(name: str, rng: random.Random, i: int) -> str:
    if name == "short":
        return _short(rng)
    if name == "gsm_ext":
        return _gsm_ext(rng, i)
    if name == "latin":
        return _latin(rng, i)
    if name == "cyrillic":
        return _cyrillic(rng)
    if name == "emoji":
        return _emoji(rng, i)
    if name == "long":
        return _long(rng)
    msg = f"unknown corpus class {name!r}"
    raise ValueError(msg)


def build(*, quick: bool = False) -> list[CorpusClass]:
    """The message classes, in report order (fewer messages per class when *quick*)."""
    classes = []
    for name, description, full_n, quick_n in CLASSES:
        rng = random.Random(f"{SEED}:{name}")
        count = quick_n if quick else full_n
        texts = tuple(_make(name, rng, i) for i in range(count))
        classes.append(CorpusClass(name, description, texts))
    return classes


def scale_texts(size: int) -> dict[str, str]:
    """A GSM-7 text and a UTF-16 text of exactly *size* code points, for the scaling measurement.

    The GSM-7 text is long-message prose with extension characters; the UTF-16 text is Cyrillic
    with emoji clusters (astral code points, ZWJ sequences) mixed in.
    """
    rng = random.Random(f"{SEED}:scale")
    gsm = _words(rng, _ASCII_WORDS, size, _GSM_BASIC_EXTRA + "{}€[]")
    pieces: list[str] = []
    total = 0
    pool = _EMOJI_SIMPLE + _EMOJI_CLUSTERS
    while total <= size:
        w = rng.choice(pool) if rng.random() < 0.05 else rng.choice(_CYRILLIC)
        pieces.append(w)
        total += len(w) + 1
    utf16 = " ".join(pieces)[:size]
    return {"gsm7": gsm, "utf16": utf16}
