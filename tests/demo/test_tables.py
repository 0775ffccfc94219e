"""The tables the demo draws from."""

from crm.demo.tables import FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, SURNAMES


def test_demo_names_cover_the_letters_only_ukrainian_has():
    first_names = MALE_FIRST_NAMES + FEMALE_FIRST_NAMES
    names = " ".join(first_names + tuple(male for male, _female in SURNAMES))
    for letter in "ІЇЄҐ'":
        assert letter in names
    assert {"Мар'яна", "Ївга", "Єва"} <= set(first_names)
