"""Deliverers running at the same moment (workers, cron, the requests' own deliveries)
never send one message twice: each claims its rows before sending them."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from crm.extensions import db
from crm.mail.delivery import Round, deliver_due
from crm.models import OutboxMessage, OutboxStatus

DELIVERERS = 4
MESSAGES = 40


def test_deliverers_racing_send_each_message_once(app, queue, mailbox, clock):
    app.config["MAIL_BATCH"] = 3
    for number in range(MESSAGES):
        queue(to=f"customer{number}@example.com")
    db.session.info.clear()  # not delivered after the commit: left to the deliverers
    db.session.commit()
    start = threading.Barrier(DELIVERERS)

    def deliverer() -> Round:
        with app.app_context():
            start.wait()
            return deliver_due()

    with ThreadPoolExecutor(DELIVERERS) as pool:
        rounds = [future.result() for future in [pool.submit(deliverer) for _ in range(DELIVERERS)]]

    ids = db.session.scalars(select(OutboxMessage.message_id)).all()
    received = [message.message_id for message in mailbox.messages]
    assert sorted(received) == sorted(ids), "every message once, none twice"
    assert sum(done.sent for done in rounds) == MESSAGES
    assert set(db.session.scalars(select(OutboxMessage.status))) == {OutboxStatus.SENT}
