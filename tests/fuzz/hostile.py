"""What the fuzz test posts in place of a field's valid value: what an attacker, a broken
client or a careless paste sends."""

from hypothesis import strategies as st

#: A field left out of the post altogether.
MISSING = type("Missing", (), {"__repr__": lambda self: "<missing>"})()

CONTROL = [
    "\x00",
    "a\x00b",
    "100\x00",
    "\r\n",
    "/x\r\nX-Injected: 1",
    "x\nSet-Cookie: a=b",
    "\x1b[31mred",
    "\x07\x08\x7f",
    "a\x85b",
    "a\u2028b",
    "\ufeffBOM",
    "\u202etxt.exe",
    "\t",
]
LONG = ["x" * 10_000, "я" * 10_000, "1" * 10_000, "<" * 10_000, "a b " * 2_500]
NUMBERS = [
    "1e309",
    "-1e309",
    "1e2",
    "1E-400",
    "9" * 400,
    "9" * 5_000,
    "99999999999999999999999999.99",
    "999999999999.995",
    "1_000",
    "+100",
    "-1",
    "-0",
    "0",
    "0.001",
    "0x10",
    "NaN",
    "-Infinity",
    "1,5",
    "1.5",
    "1 000,50 грн",
    "2147483648",
    "99999999999",
]
OTHER_DIGITS = ["١٢٣", "１２３", "४२", "𝟙𝟚𝟛", "²", "Ⅻ", "١٢٣٤٥٦٧٨٩٠"]
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "%s%n%(x)s",
    "javascript:alert(1)",
    "//evil.example/",
    "/\\evil.example",
]
SQL = ["' OR 1=1 --", "1; DROP TABLE users; --", "%' --", "\\", "1 UNION SELECT NULL"]
DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "31.02.2026",
    "2026-02-30T25:61:00",
    "-2026-01-01",
    "20260101",
]
CHOICES = ["__None", "y", "on", "true", "admin", "customer", "annuity", "secured", "uk", "en"]

#: Every fixed value above, and a field left out.
FIXED = [
    MISSING,
    "",
    " ",
    *CONTROL,
    *LONG,
    *NUMBERS,
    *OTHER_DIGITS,
    *MARKUP,
    *SQL,
    *DATES,
    *CHOICES,
]


#: One value of each kind that has broken a form before, tried in every field in turn (the
#: other fields valid, so that each reaches as far as it can): a field left out, CR/LF and
#: NUL in a path, 10 000 digits (too long a text, too large a number, more digits than
#: int() reads), an exponent that overflows, other scripts' digits, a date that does not
#: exist.
SWEEP = [MISSING, "/x\r\nX-Injected: 1\x00", "1" * 10_000, "1e309", "١٢٣", "2026-02-30"]


def hostile_values() -> st.SearchStrategy:
    """One hostile value for a field: a fixed one above, generated text (any character a
    form can carry: surrogates cannot be encoded in UTF-8), numbers and dates written
    any which way, or the same field twice."""
    single = st.one_of(
        st.sampled_from(FIXED),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
        st.integers().map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.dates().map(lambda value: value.isoformat()),
    )
    twice = st.lists(single.filter(lambda value: value is not MISSING), min_size=2, max_size=2)
    return st.one_of(single, twice)
