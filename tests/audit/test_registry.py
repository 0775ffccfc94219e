"""Every model is either in the trail or left out of it on purpose, with the reason."""

from crm.audit.registry import AUDITED, EXCLUDED
from crm.models.base import Base


def mapped_models() -> set[type]:
    return {mapper.class_ for mapper in Base.registry.mappers}


def test_every_model_is_audited_or_excluded_with_a_reason():
    unaccounted = mapped_models() - set(AUDITED) - set(EXCLUDED)
    assert not unaccounted, (
        f"{sorted(model.__name__ for model in unaccounted)}: add each to AUDITED in "
        "crm/audit/registry.py, or to EXCLUDED with the reason it is left out"
    )


def test_no_model_is_both_and_every_exclusion_says_why():
    assert not set(AUDITED) & set(EXCLUDED)
    assert all(reason.strip() for reason in EXCLUDED.values())
    assert set(AUDITED) | set(EXCLUDED) <= mapped_models()


def test_each_audited_model_names_real_columns():
    for model, spec in AUDITED.items():
        columns = {attribute.key for attribute in model.__mapper__.column_attrs}
        assert spec.hidden | spec.ignored <= columns, model.__name__
