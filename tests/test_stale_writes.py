"""A write that loses a race with another save of the same record (crm/errors.py): 409."""

from sqlalchemy.orm.exc import StaleDataError


def test_a_write_that_loses_a_race_is_a_409_not_a_500(app, client):
    @app.post("/race")
    def race():
        raise StaleDataError("UPDATE statement on table 'users' expected to update 1 row")

    response = client.post("/race")
    assert response.status_code == 409
    assert "Someone else changed this record at the same moment" in response.get_data(as_text=True)
    response = client.post("/race", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.json["error"].startswith("Someone else changed this record")
