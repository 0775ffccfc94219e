"""The admin's import of customers and of payments from bank statements, for admins: upload
a file, map its columns to fields, read the dry run row by row, apply it, download the
refused rows with their reasons.

Each step is a request of its own, which any worker on any host may serve: the file, its
mapping and what each step made of it are kept in the database (ImportBatch), never in a
local file. The dry run and the apply are crm.imports.running's, as for the command line.
"""

import io
import math
from itertools import islice

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from crm.admin.base import ADMINS, StaffOnly
from crm.admin.language import SpeaksUserLanguage
from crm.clock import lender_today, utc_now
from crm.extensions import db
from crm.i18n.formats import number
from crm.i18n.labels import IMPORT_KIND_LABELS, IMPORT_OUTCOME_LABELS, IMPORT_STATUS_LABELS
from crm.imports.forms import UploadForm
from crm.imports.queries import recent_batches, remembered_mapping
from crm.imports.reading import UnreadableFile, open_table
from crm.imports.refused import refused_lines
from crm.imports.running import run_import
from crm.imports.services.batches import (
    choose_mapping,
    import_kind,
    keep_upload,
    record_apply,
    record_dry_run,
    start_applying,
)
from crm.imports.services.fields import FIELDS, suggest_mapping
from crm.imports.services.outcomes import KIND_OUTCOMES, RowOutcome
from crm.imports.services.settings import ImportSettings
from crm.models import ImportBatch, ImportKind, ImportOutcome, ImportStatus
from crm.paging import page_number
from crm.validation import FieldError, parse_version

#: Rows of a report a page shows.
PER_PAGE = 100
#: Rows of the file shown beside each column on the mapping page.
SAMPLE_ROWS = 3
#: The most columns the mapping page offers: a select each, posted back as a form field
#: (Werkzeug takes at most 1 000 fields in a form).
MAX_COLUMNS = 200


class ImportView(StaffOnly, SpeaksUserLanguage, BaseView):
    allowed_roles = ADMINS

    @expose("/", methods=("GET", "POST"))
    def index(self):
        """The upload form (a file and what it holds), and the latest uploads."""
        form = UploadForm()
        if form.validate_on_submit():
            batch = self._keep(form)
            if batch is not None:
                return redirect(self.get_url(".mapping", batch_id=batch.id))
        page = self.render(
            "admin/crm_imports.html",
            form=form,
            batches=recent_batches(db.session),
            kind_labels=IMPORT_KIND_LABELS,
            status_labels=IMPORT_STATUS_LABELS,
            max_rows=number(current_app.config["IMPORT_MAX_ROWS"]),
            max_megabytes=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
        )
        return (page, 422) if request.method == "POST" else page

    def _keep(self, form: UploadForm) -> ImportBatch | None:
        upload = form.file.data
        content = upload.read()
        try:
            kind = import_kind(form.kind.data)
            headers, row_count = self._read(content)
            batch = keep_upload(
                db.session,
                kind=kind,
                file_name=upload.filename,
                content=content,
                headers=headers,
                row_count=row_count,
                by=current_user._get_current_object(),
            )
            db.session.commit()
        except FieldError as error:
            db.session.rollback()
            error.show_in(form)
            return None
        return batch

    @staticmethod
    def _read(content: bytes) -> tuple[list[str], int]:
        """The file's headers and its number of rows; FieldError on "file" when it cannot be
        read, has no rows, or has more rows or columns than the admin takes."""
        limit = current_app.config["IMPORT_MAX_ROWS"]
        try:
            with open_table(io.BytesIO(content)) as table:
                count = sum(1 for _row in islice(table.rows, limit + 1))
                headers = table.headers
        except UnreadableFile as error:
            raise FieldError("file", error.message) from None
        if count > limit:
            raise FieldError(
                "file",
                _(
                    "The file has more than %(limit)s rows, the most the admin takes at once: "
                    "import it with the command `flask --app wsgi import`, which takes any "
                    "size (docs/IMPORTS.md).",
                    limit=number(limit),
                ),
            )
        if count == 0:
            raise FieldError("file", _("The file has no rows below its header row."))
        if len(headers) > MAX_COLUMNS:
            raise FieldError(
                "file",
                _(
                    "The file has %(count)d columns; the admin maps %(most)d at most. Leave "
                    "out the columns that are not imported.",
                    count=len(headers),
                    most=MAX_COLUMNS,
                ),
            )
        return headers, count

    @expose("/<int:batch_id>/mapping", methods=("GET", "POST"))
    def mapping(self, batch_id: int):
        """A field for each column (the last mapping of the same headers, or the fields the
        headers name, chosen beforehand); posted, the mapping is kept and the dry run runs."""
        batch = db.get_or_404(ImportBatch, batch_id)
        if batch.status in (ImportStatus.APPLYING, ImportStatus.APPLIED):
            return redirect(self.get_url(".batch", batch_id=batch.id))
        chosen, error = None, None
        if request.method == "POST":
            chosen = [request.form.get(f"column_{n}", "") for n in range(len(batch.headers))]
            try:
                choose_mapping(db.session, batch, chosen)
                db.session.commit()
            except FieldError as refused:
                db.session.rollback()
                error = refused.message
            else:
                return self._dry_run(batch_id)
        mapping = (
            chosen
            or batch.mapping
            or remembered_mapping(db.session, batch.kind, batch.headers)
            or suggest_mapping(batch.kind, batch.headers)
        )
        page = self.render(
            "admin/crm_import_mapping.html",
            batch=batch,
            mapping=mapping,
            fields=FIELDS[batch.kind],
            samples=self._samples(batch),
            kind_label=IMPORT_KIND_LABELS[batch.kind],
            error=error,
        )
        return (page, 422) if error else page

    @staticmethod
    def _samples(batch: ImportBatch) -> list[list[str]]:
        with open_table(io.BytesIO(batch.content)) as table:
            return [cells for _number, cells in islice(table.rows, SAMPLE_ROWS)]

    def _dry_run(self, batch_id: int):
        outcomes: list[RowOutcome] = []
        batch = db.session.get(ImportBatch, batch_id)
        try:
            counts = self._run(batch, dry_run=True, outcomes=outcomes)
        except UnreadableFile as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(self.get_url(".mapping", batch_id=batch_id))
        record_dry_run(db.session, batch, counts, outcomes, at=utc_now())
        db.session.commit()
        return redirect(self.get_url(".batch", batch_id=batch_id))

    @staticmethod
    def _run(batch: ImportBatch, *, dry_run: bool, outcomes: list[RowOutcome]) -> dict[str, int]:
        settings = ImportSettings(
            region=current_app.config["PHONE_REGION"],
            today=lender_today(),
            by=current_user._get_current_object(),
        )
        # Read before the first chunk's transaction ends, which expires the batch.
        kind, mapping, name, content = batch.kind, batch.mapping, batch.file_name, batch.content
        with open_table(io.BytesIO(content)) as table:
            return run_import(
                db.session,
                kind,
                table.rows,
                mapping,
                settings,
                dry_run=dry_run,
                file_name=name,
                on_chunk=outcomes.extend,
            )

    @expose("/<int:batch_id>/")
    def batch(self, batch_id: int):
        """What the dry run found, or the apply did: the counts, then the rows (of one
        outcome, when ?outcome= names it), PER_PAGE at a time."""
        batch = db.get_or_404(ImportBatch, batch_id)
        if batch.status is ImportStatus.UPLOADED:
            return redirect(self.get_url(".mapping", batch_id=batch.id))
        wanted = request.args.get("outcome")
        shown = wanted if wanted in KIND_OUTCOMES[batch.kind] else None
        rows = [item for item in batch.report or [] if shown is None or item["outcome"] == shown]
        pages = max(1, math.ceil(len(rows) / PER_PAGE))
        page = page_number()
        if page > pages:
            abort(404)
        return self.render(
            "admin/crm_import_batch.html",
            batch=batch,
            outcomes=KIND_OUTCOMES[batch.kind],
            shown=shown,
            rows=[RowOutcome.from_dict(item) for item in rows[(page - 1) * PER_PAGE :][:PER_PAGE]],
            page=page,
            pages=pages,
            kind_label=IMPORT_KIND_LABELS[batch.kind],
            outcome_labels=IMPORT_OUTCOME_LABELS,
            record_url=record_url(batch.kind),
            statuses=ImportStatus,
        )

    @expose("/<int:batch_id>/apply", methods=("POST",))
    def apply(self, batch_id: int):
        """Write the rows of the dry run the admin saw (its `version`), a chunk per
        transaction; a batch mapped again since, or applied already, is refused."""
        batch = db.get_or_404(ImportBatch, batch_id)
        back = redirect(self.get_url(".batch", batch_id=batch_id))
        try:
            start_applying(db.session, batch, parse_version(request.form.get("version")))
            db.session.commit()
        except FieldError as error:
            db.session.rollback()
            flash(error.message, "error")
            return back
        except StaleDataError:
            db.session.rollback()
            flash(
                _("The file was mapped again after the dry run you saw: see the new one."), "error"
            )
            return back
        outcomes: list[RowOutcome] = []
        try:
            counts = self._run(batch, dry_run=False, outcomes=outcomes)
        except UnreadableFile as error:
            db.session.rollback()
            flash(error.message, "error")
            return back
        record_apply(
            db.session, db.session.get(ImportBatch, batch_id), counts, outcomes, at=utc_now()
        )
        db.session.commit()
        refused = counts[ImportOutcome.REFUSED]
        flash(
            ngettext(
                "The file is imported; %(num)d row was refused: see why below.",
                "The file is imported; %(num)d rows were refused: see why below.",
                refused,
            )
            if refused
            else _("The file is imported."),
            "success",
        )
        return back

    @expose("/<int:batch_id>/refused.csv")
    def refused(self, batch_id: int):
        """The refused rows as they were in the file, with the reasons (crm/imports/refused.py)."""
        batch = db.get_or_404(ImportBatch, batch_id)
        reasons = {
            item["row"]: item.get("reason", "")
            for item in batch.report or []
            if item["outcome"] == ImportOutcome.REFUSED
        }
        if not reasons:
            abort(404)
        with open_table(io.BytesIO(batch.content)) as table:
            body = "".join(refused_lines(table, reasons))
        stem = batch.file_name.rsplit(".", 1)[0] if "." in batch.file_name else batch.file_name
        return send_file(
            io.BytesIO(body.encode("utf-8")),
            mimetype="text/csv",
            as_attachment=True,
            download_name=f"{stem}.refused.csv",
        )


def record_url(kind: ImportKind):
    """The staff page of a row's record: the customer's card, or the loan's page."""

    def url(record_id: int | None) -> str | None:
        if record_id is None:
            return None
        if kind is ImportKind.CUSTOMERS:
            return url_for("customers.detail", customer_id=record_id)
        return url_for("loans.detail", loan_id=record_id)

    return url
