"""Cost preview: E.164 numbers, tariffs by longest prefix, exact Decimal money, the analyze options."""

from __future__ import annotations

import io
import json
import pickle
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import smsencode
from smsencode.cli import main
from smsencode.cost import (
    Estimate,
    Price,
    Tariff,
    estimate,
    format_money,
    minor_unit,
    normalize_number,
    round_money,
)

# --------------------------------------------------------------------------------- E.164 numbers


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("+4917612345678", "+4917612345678"),
        ("004917612345678", "+4917612345678"),
        ("4917612345678", "+4917612345678"),
        ("+49 176 1234-5678", "+4917612345678"),
        ("+1.415.555.2671", "+14155552671"),
        ("  +447700900123\t", "+447700900123"),
        ("+6834001", "+6834001"),  # 7 digits (Niue): the shortest accepted
        ("+123456789012345", "+123456789012345"),  # 15 digits: E.164's maximum
    ],
)
def test_numbers_are_normalised_to_e164(given_: str, expected: str) -> None:
    """'+', '00' or bare international digits, with spaces, hyphens or dots, give one E.164 form."""
    assert normalize_number(given_) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "01761234567",  # national number with trunk prefix 0
        "+0049176123456",  # a + and then 00
        "+123456",  # 6 digits
        "+1234567890123456",  # 16 digits
        "+49 (0) 176 1234567",  # parentheses are not guessed at
        "+49176ABC4567",
        "+٤٩١٧٦١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "",
        "+",
    ],
)
def test_invalid_numbers_raise_value_error_saying_the_format(bad: str) -> None:
    """Anything that is not 7-15 ASCII digits starting 1-9 after the prefix is refused, not guessed."""
    with pytest.raises(ValueError, match=r"not an E\.164 number"):
        normalize_number(bad)


def test_a_number_must_be_a_str() -> None:
    """An int is a wrong type, not a number to guess at."""
    with pytest.raises(TypeError, match="must be a str"):
        normalize_number(4917612345678)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- tariffs

OVERLAPPING = Tariff(
    {"4": "0.20", "49": "0.075", "4917": "0.068", "49176": "0.061", "+44": "0.040", "0044 7": "0.035"},
    currency="EUR",
)


@pytest.mark.parametrize(
    ("number", "prefix", "amount"),
    [
        ("+4917612345678", "49176", "0.061"),
        ("+4917012345678", "4917", "0.068"),
        ("+4930123456789", "49", "0.075"),
        ("+4312345678", "4", "0.20"),
        ("+447700900123", "447", "0.035"),
        ("+441632960123", "44", "0.040"),
    ],
)
def test_longest_prefix_wins_among_overlapping_prefixes(number: str, prefix: str, amount: str) -> None:
    """Of 4, 49, 4917 and 49176 the longest that matches prices the number."""
    found = OVERLAPPING.match(number)
    assert found == (prefix, Price(Decimal(amount), "EUR"))


def test_no_match_and_no_default_is_unpriced_and_default_covers_the_rest() -> None:
    """Without a default an unmatched number has no price; with one it gets the default."""
    assert OVERLAPPING.match("+33612345678") is None
    with_default = Tariff({"49": "0.075"}, currency="EUR", default="0.10")
    assert with_default.match("+33612345678") == ("", Price(Decimal("0.10"), "EUR"))
    assert with_default.price_for(None) == Price(Decimal("0.10"), "EUR")
    assert OVERLAPPING.price_for(None) is None


def test_matching_an_invalid_number_raises() -> None:
    """A tariff does not guess a destination for a malformed number."""
    with pytest.raises(ValueError, match=r"E\.164"):
        OVERLAPPING.match("0176 1234567")


def test_prefix_spellings_are_one_prefix() -> None:
    """'+49', '0049' and '49' are the same prefix, so giving two of them is an error."""
    with pytest.raises(ValueError, match="given twice"):
        Tariff({"+49": "0.1", "0049": "0.2"}, currency="EUR")


@pytest.mark.parametrize("bad", ["0", "+049", "49a", "1234567890123456", ""])
def test_malformed_prefixes_are_refused(bad: str) -> None:
    """A prefix is 1-15 digits starting 1-9."""
    with pytest.raises(ValueError, match="prefix"):
        Tariff({bad: "0.1"}, currency="EUR")


@pytest.mark.parametrize("price", [0.1, True])
def test_float_and_bool_prices_are_refused(price: object) -> None:
    """Binary floats cannot hold most prices; the error says to pass text or Decimal."""
    with pytest.raises(TypeError, match="str or Decimal"):
        Tariff({"49": price}, currency="EUR")  # type: ignore[dict-item]


@pytest.mark.parametrize("price", ["-0.01", "NaN", "Infinity", "0,075", "ten", Decimal("-1")])
def test_negative_or_non_numeric_prices_are_refused(price: object) -> None:
    """Prices are finite decimals of at least 0, written with a dot."""
    with pytest.raises(ValueError, match="price"):
        Tariff({"49": price}, currency="EUR")  # type: ignore[dict-item]


@pytest.mark.parametrize("price", ["1_000", "\u0661", "0x10", "1/2", "sNaN", "0.1 EUR"])
def test_price_text_is_ascii_decimal_notation_only(price: str) -> None:
    """Decimal() would read '1_000' as 1000 and Arabic-Indic '\u0661' as 1; a price list is not guessed at."""
    with pytest.raises(ValueError, match="not a decimal number"):
        Tariff({"49": price}, currency="EUR")


@pytest.mark.parametrize("zero", ["-0", "-0.000", Decimal("-0"), "+0.0"])
def test_a_negative_zero_price_is_zero(zero: object) -> None:
    """-0 is accepted as a free destination and never shows up as a cost of '-0'."""
    t = Tariff({"49": zero}, currency="EUR")  # type: ignore[dict-item]
    est = estimate("x" * 200, ["+4917612345678"], t)
    assert not est.total_cost.is_signed()
    assert f"{est.recipients[0].cost:f}".startswith("0")


def test_money_is_exact_whatever_the_callers_decimal_context() -> None:
    """A caller's low-precision context (or one that traps nothing) does not reach the arithmetic."""
    import decimal

    t = Tariff({"49": "0.0725", "4917": "123456.789"}, currency="EUR")
    with decimal.localcontext(decimal.Context(prec=3, traps=[])):
        est = estimate("x" * 400, ["+4917612345678", "+4930123456"], t)
        shown = format_money(est.total_cost, "EUR")
    assert est.total_cost == Decimal("370370.5845")
    assert shown == "370370.58"


def test_rounding_works_for_amounts_beyond_the_default_precision() -> None:
    """A total with 200+ digits is rounded, not refused with a decimal signal."""
    huge = Decimal("9" * 250 + ".125")
    assert format_money(huge, "EUR") == "9" * 250 + ".13"
    assert round_money(huge, "EUR") == Decimal("9" * 250 + ".13")
    assert format_money(Decimal("9" * 250 + ".995"), "EUR") == "1" + "0" * 250 + ".00"


def test_overlapping_prefixes_in_different_currencies_total_per_currency() -> None:
    """44 in GBP and 447 in EUR: each number takes its longest prefix's price and currency."""
    t = Tariff({"44": ("0.040", "GBP"), "447": "0.035"}, currency="EUR")
    est = estimate("x" * 161, ["+447700900123", "+441632960123", "+447700900124"], t)
    assert [(r.prefix, r.price.currency if r.price else None) for r in est.recipients] == [
        ("447", "EUR"), ("44", "GBP"), ("447", "EUR"),
    ]  # fmt: skip
    assert est.costs == {"EUR": Decimal("0.140"), "GBP": Decimal("0.080")}


def test_prices_may_be_int_decimal_price_or_pair_in_another_currency() -> None:
    """Every accepted spelling of a price, and a per-prefix currency."""
    t = Tariff(
        {"1": 1, "44": Decimal("0.04"), "33": Price(Decimal("0.07"), "EUR"), "81": ("9", "jpy")},
        currency="usd",
    )
    assert t.currency == "USD"
    assert t.prices["1"] == Price(Decimal(1), "USD")
    assert t.prices["81"] == Price(Decimal(9), "JPY")
    assert t.prices["33"] == Price(Decimal("0.07"), "EUR")


@pytest.mark.parametrize("currency", ["EURO", "€", "E1R", ""])
def test_currency_must_be_three_letters(currency: str) -> None:
    """An ISO 4217 code, case-insensitive."""
    with pytest.raises(ValueError, match="ISO 4217"):
        Tariff({}, currency=currency)


def test_tariffs_pickle_and_compare() -> None:
    """A tariff crosses process boundaries intact (batch workers receive it)."""
    assert pickle.loads(pickle.dumps(OVERLAPPING)) == OVERLAPPING
    assert OVERLAPPING != Tariff({"49": "0.075"}, currency="EUR")


TARIFF_CSV = """\
\ufeffprefix,price,currency,note
# Germany: two networks priced apart
49,0.075,,Germany

4917,0.068,,DE mobile
44,0.040,GBP,UK
default,0.10,,everything else
"""


def test_tariff_from_csv_lines_and_from_a_file(tmp_path: pytest.TempPathFactory) -> None:
    """Header columns by name, extra columns ignored, comments and blank lines skipped, a BOM dropped."""
    path = tmp_path / "tariff.csv"  # type: ignore[operator]
    path.write_text(TARIFF_CSV, encoding="utf-8")
    from_file = Tariff.from_csv(path, currency="EUR")
    from_lines = Tariff.from_csv(io.StringIO(TARIFF_CSV.lstrip("\ufeff")), currency="EUR")
    from_lines_with_bom = Tariff.from_csv(io.StringIO(TARIFF_CSV), currency="EUR")  # opened as utf-8
    expected = Tariff(
        {"49": "0.075", "4917": "0.068", "44": ("0.040", "GBP")}, currency="EUR", default="0.10"
    )
    assert from_file == expected
    assert from_lines == expected
    assert from_lines_with_bom == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prefix,cost\n49,0.1\n", "needs a 'prefix' and a 'price' column"),
        ("prefix,price\n49,0.1\n# note\n44,abc\n", "line 4: price 'abc' is not a decimal number"),
        ("prefix,price\n49,0.1\n49,0.2\n", "line 3: prefix 49 is given twice"),
        ("prefix,price\ndefault,0.1\n*,0.2\n", "line 3: a second default price"),
        ("prefix,price\n49\n", "line 2: the row ['49'] has no price"),
        ("", "the tariff is empty"),
    ],
)
def test_bad_tariff_files_say_which_line(text: str, message: str) -> None:
    """Errors in a price list name the line to fix."""
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Tariff.from_csv(io.StringIO(text), currency="EUR")


# --------------------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("0.125", "EUR", "0.13"),  # half up, as on an invoice (half even would give 0.12)
        ("0.2175", "EUR", "0.22"),
        ("0.1", "EUR", "0.10"),
        ("12.5", "JPY", "13"),
        ("0.0125", "BHD", "0.013"),
        ("1234567.005", "USD", "1234567.01"),
    ],
)
def test_totals_are_rounded_half_up_to_the_minor_unit_only_when_shown(
    amount: str, currency: str, shown: str
) -> None:
    """format_money rounds to the currency's minor unit; the Decimal itself is left exact."""
    value = Decimal(amount)
    assert format_money(value, currency) == shown
    assert round_money(value, currency) == Decimal(shown)
    assert value == Decimal(amount)


def test_minor_units_follow_iso_4217() -> None:
    """Two decimals unless the currency has none (JPY) or three (KWD)."""
    assert (minor_unit("EUR"), minor_unit("JPY"), minor_unit("KWD"), minor_unit("CLF")) == (2, 0, 3, 4)


def test_round_money_refuses_floats() -> None:
    """Money is Decimal on every path."""
    with pytest.raises(TypeError):
        round_money(0.125, "EUR")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ estimate


def test_estimate_bills_every_part_of_every_recipient_exactly() -> None:
    """3 parts at 0.0725 is 0.2175, kept exact; duplicates are two sends."""
    t = Tariff({"49": "0.0725"}, currency="EUR")
    text = "x" * 400  # 3 parts of GSM-7 (153 + 153 + 94)
    est = estimate(text, ["+4917612345678", "004917612345678"], t)
    assert est.parts_per_recipient == 3
    assert est.total_parts == 6
    assert est.costs == {"EUR": Decimal("0.4350")}
    assert est.total_cost == Decimal("0.4350")
    assert [r.cost for r in est.recipients] == [Decimal("0.2175")] * 2
    assert [r.number for r in est.recipients] == ["+4917612345678"] * 2
    assert est.complete


def test_unpriced_recipients_count_parts_and_invalid_ones_do_not() -> None:
    """No price: parts counted, cost not invented. Invalid number: listed, nothing counted."""
    t = Tariff({"44": "0.04"}, currency="GBP")
    est = estimate("😀" * 70, ["+447700900123", "+33612345678", "0176 123"], t)
    assert est.encoding is smsencode.Encoding.UTF16
    assert est.parts_per_recipient == 3
    assert est.total_parts == 6
    assert est.costs == {"GBP": Decimal("0.12")}
    assert [r.recipient for r in est.unpriced] == ["+33612345678"]
    assert est.unpriced[0].cost is None and est.unpriced[0].parts == 3
    assert "no price for +33612345678" in (est.unpriced[0].problem or "")
    assert [r.recipient for r in est.invalid] == ["0176 123"]
    assert "invalid number" in (est.invalid[0].problem or "")
    assert len(est.recipients) == 3  # nobody dropped, order kept
    assert not est.complete


def test_costs_in_several_currencies_are_kept_apart() -> None:
    """Prices in two currencies give two totals; total_cost refuses to add them."""
    t = Tariff({"44": ("0.04", "GBP")}, currency="EUR", default="0.10")
    est = estimate("hi", ["+447700900123", "+33612345678"], t)
    assert est.costs == {"GBP": Decimal("0.04"), "EUR": Decimal("0.10")}
    with pytest.raises(ValueError, match="2 currencies"):
        _ = est.total_cost


def test_precision_beyond_the_default_decimal_context_is_kept() -> None:
    """A 31-digit price times 3 parts stays exact (the default context would round to 28 digits)."""
    price = Decimal("1234567890.123456789012345678901")
    est = estimate("x" * 400, ["+4917612345678"], Tariff.flat(price, currency="EUR"))
    assert est.total_cost == Decimal("3703703670.370370367037037036703")


def test_a_single_string_is_one_recipient_and_none_is_an_unknown_destination() -> None:
    """Passing one number as a str does not iterate its characters; None uses the default price."""
    t = Tariff.flat("0.05", currency="USD")
    assert len(estimate("hi", "+14155552671", t).recipients) == 1
    est = estimate("hi", [None], t)
    assert est.costs == {"USD": Decimal("0.05")}
    assert est.recipients[0].prefix == ""


def test_without_a_tariff_every_recipient_is_unpriced() -> None:
    """Parts are still counted."""
    est = estimate("hi", ["+14155552671"], None)
    assert est.total_parts == 1 and est.costs == {} and len(est.unpriced) == 1
    assert est.total_cost == Decimal(0)


def test_estimate_takes_a_segmentation_and_refuses_options_with_it() -> None:
    """Options apply to a text only."""
    seg = smsencode.segment("x" * 161)
    assert estimate(seg, ["+14155552671"], None).parts_per_recipient == 2
    with pytest.raises(TypeError, match="already a Segmentation"):
        estimate(seg, [], None, encoding="UTF16")
    assert estimate("x" * 161, [], None, max_parts=1).parts_per_recipient == 1


prefixes = st.text("0123456789", min_size=1, max_size=5).filter(lambda p: p[0] != "0")
amounts = st.decimals(min_value=0, max_value=10, places=5, allow_nan=False, allow_infinity=False)
numbers = st.text("0123456789", min_size=8, max_size=15).filter(lambda n: n[0] != "0").map("+".__add__)


@settings(max_examples=150, deadline=None)
@given(
    table=st.dictionaries(prefixes, amounts, max_size=12),
    default=st.none() | amounts,
    recipients=st.lists(numbers | st.sampled_from(["0171 1234", "+12"]), max_size=10),
    text=st.text(max_size=400),
)
@example(
    table={"4": Decimal("0.1"), "49": Decimal("0.2")}, default=None, recipients=["+4917612345678"], text=""
)
def test_estimate_agrees_with_brute_force_prefixes_and_exact_fractions(
    table: dict[str, Decimal],
    default: Decimal | None,
    recipients: list[str],
    text: str,
) -> None:
    """Each price is the longest matching prefix's (found by brute force), and the total equals
    the sum of parts x price computed with Fractions."""
    tariff = Tariff(table, currency="EUR", default=default)
    try:
        est = estimate(text, recipients, tariff, invalid_characters="REPLACE")
    except smsencode.TooManyPartsError:
        return
    expected_total = Fraction(0)
    for r in est.recipients:
        if r.number is None:
            continue
        digits = r.number[1:]
        matching = [p for p in table if digits.startswith(p)]
        if matching:
            best = max(matching, key=len)
            assert r.prefix == best and r.price == Price(table[best], "EUR")
        elif default is not None:
            assert r.prefix == "" and r.price == Price(default, "EUR")
        else:
            assert r.price is None and r in est.unpriced
            continue
        expected_total += Fraction(r.price.amount) * est.parts_per_recipient  # type: ignore[union-attr]
    assert Fraction(est.total_cost) == expected_total
    assert est.total_parts == est.parts_per_recipient * sum(r.number is not None for r in est.recipients)


# ---------------------------------------------------------------------------------- analyze CLI


def run_cli(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    status = main(argv, out=out)
    return status, out.getvalue()


def test_analyze_prices_by_destination_with_a_tariff_file(tmp_path: pytest.TempPathFactory) -> None:
    """--tariff and --to: one line per recipient, the total rounded with the exact figure beside it."""
    path = tmp_path / "t.csv"  # type: ignore[operator]
    path.write_text("prefix,price\n49,0.075\n4917,0.0725\n", encoding="utf-8")
    status, out = run_cli(
        ["analyze", "x" * 400, "--tariff", str(path), "--to", "+4917612345678",
         "--to", "+4930123456,+33612345678"]
    )
    assert status == 0
    assert "cost:      3 parts x 3 recipients = 9 parts, EUR 0.44 (exactly 0.4425)" in out
    assert "+4917612345678: 3 x 0.0725 EUR (prefix 4917) = 0.2175 EUR" in out
    assert "+33612345678: no price for +33612345678" in out
    assert "cost incomplete" in out


def test_analyze_json_with_a_flat_price() -> None:
    """--price-per-part prices one recipient of any destination; money is exact text in JSON."""
    status, out = run_cli(["analyze", "Hello", "--price-per-part", "0.05", "--currency", "usd", "--json"])
    assert status == 0
    cost = json.loads(out)["cost"]
    assert cost["total"] == {"USD": "0.05"} and cost["total_exact"] == {"USD": "0.05"}
    assert cost["recipients"][0]["prefix"] == "" and cost["complete"] is True


def test_analyze_without_cost_options_has_no_cost() -> None:
    """The cost section appears only when asked for."""
    status, out = run_cli(["analyze", "Hello", "--json"])
    assert status == 0 and "cost" not in json.loads(out)


def test_analyze_refuses_an_invalid_number_and_a_currency_without_price(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Bad command-line values are usage errors with a message, not silent guesses."""
    assert run_cli(["analyze", "hi", "--price-per-part", "0.05", "--to", "0176 1234567"])[0] == 1
    assert "not an E.164 number" in capsys.readouterr().err
    assert run_cli(["analyze", "hi", "--currency", "EUR"])[0] == 1
    assert "--currency needs a price" in capsys.readouterr().err
    assert run_cli(["analyze", "hi", "--price-per-part", "0.1.2"])[0] == 1
    assert "not a decimal number" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run_cli(["analyze", "hi", "--price-per-part", "1", "--tariff", "t.csv"])
    assert "not allowed with" in capsys.readouterr().err


def test_estimate_is_a_value() -> None:
    """Estimates are frozen dataclasses."""
    est = estimate("hi", [], None)
    assert isinstance(est, Estimate)
    with pytest.raises(AttributeError):
        est.total_parts = 3  # type: ignore[misc]


@settings(max_examples=60, deadline=None)
@given(
    table=st.dictionaries(prefixes, amounts, min_size=1, max_size=8),
    numbers=st.lists(numbers, min_size=1, max_size=40),
    memo=st.sampled_from([0, 2, 1 << 16]),
)
def test_repeated_lookups_on_one_tariff_agree_with_brute_force(
    table: dict[str, Decimal], numbers: list[str], memo: int
) -> None:
    """A tariff that remembers earlier matches (or whose memory is full) still finds the longest prefix."""
    from unittest import mock

    from smsencode import cost

    with mock.patch.object(cost, "MEMO_SIZE", memo):
        tariff = Tariff(table, currency="EUR")
        for number in numbers * 2:
            digits = number[1:]
            matching = [p for p in table if digits.startswith(p)]
            best = max(matching, key=len) if matching else None
            expected = None if best is None else (best, Price(table[best], "EUR"))
            assert tariff.match(number) == expected
