"""An upload of the admin's import, as the fuzz and audit tests post to its pages."""

import io

from sqlalchemy import select

from crm.clock import utc_now
from crm.extensions import db
from crm.imports.services.batches import choose_mapping, keep_upload, record_dry_run
from crm.imports.services.fields import suggest_mapping
from crm.imports.services.outcomes import count_outcomes
from crm.models import ImportBatch, ImportKind, User
from tests.imports.files import CUSTOMER_HEADERS, csv_bytes, customer_row

#: The one customer the upload adds: its tax id and last name.
NEW_TAX_ID = customer_row(1)[6]
NEW_LAST_NAME = customer_row(1)[0]


def upload_form(_world=None) -> dict:
    """The upload form with a file of one new customer (a fresh stream for each post)."""
    return {"kind": "customers", "file": (io.BytesIO(csv_bytes([customer_row(1)])), "клієнти.csv")}


def checked_batch(admin_id: int) -> ImportBatch:
    """The newest upload, mapped and through its dry run (made by the admin when there is
    none), ready to be applied."""
    batch = db.session.scalar(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(1))
    if batch is not None:
        return batch
    batch = keep_upload(
        db.session,
        kind=ImportKind.CUSTOMERS,
        file_name="клієнти.csv",
        content=csv_bytes([customer_row(1)]),
        headers=CUSTOMER_HEADERS,
        row_count=1,
        by=db.session.get(User, admin_id),
    )
    choose_mapping(db.session, batch, suggest_mapping(ImportKind.CUSTOMERS, CUSTOMER_HEADERS))
    record_dry_run(db.session, batch, count_outcomes([]), [], at=utc_now())
    db.session.commit()
    return batch


def mapping_form(world) -> dict:
    """The mapping page's form of the newest upload, each column to the field it names."""
    checked_batch(world.admin)
    fields = suggest_mapping(ImportKind.CUSTOMERS, CUSTOMER_HEADERS)
    return {f"column_{position}": field or "" for position, field in enumerate(fields)}


def apply_form(world) -> dict:
    """The apply button's form of the newest upload: the version its dry run is at."""
    return {"version": str(checked_batch(world.admin).version)}


def batch_url(step: str):
    """The address of a step ("mapping", "apply") of the newest upload."""
    return lambda world: f"/admin/imports/{checked_batch(world.admin).id}/{step}"


#: The POST routes of the admin's import, as tests/fuzz/routes.py Route(url, form) takes them.
IMPORT_POSTS = {
    "imports.index": ("/admin/imports/", upload_form),
    "imports.mapping": (batch_url("mapping"), mapping_form),
    "imports.apply": (batch_url("apply"), apply_form),
}
