"""The values the demo draws that follow a rule of their own."""

from crm.demo.drawing import tax_id_check_digit


def test_tax_id_check_digit_matches_a_known_number():
    # The example that python-stdnum's ua.rntrc documents as valid.
    assert tax_id_check_digit("175901377") == "6"
