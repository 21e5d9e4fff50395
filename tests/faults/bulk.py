"""Many submitted applications through the real services, for the re-screening fault test.

Run in the instance's own environment, as the CLI commands are:
``python -m tests.faults.bulk applications N`` (cwd: the project root). Each application gets a
person as aanvrager (:func:`person_of`), an organisation as verhuurder and a location; submitting
screens it once.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta


def person_of(number: int) -> tuple[str, str, date]:
    """(given names, surname, birth date) of the aanvrager of bulk application *number*."""
    return f"Piet{number % 53}", f"Bulkman{number}", date(1950 + number % 50, 1 + number % 12, 1 + number % 28)


def make_applications(count: int, *, officer_email: str = "vergunningverlener@assen.demo") -> int:
    from sqlalchemy import select

    from barrier.applications import services
    from barrier.applications.services import AddressData, OrganisationData, PersonData
    from barrier.db import db
    from barrier.models import PartyRole, PermitType, User

    today = date.today()  # noqa: DTZ011 - the server's local date is the working day
    officer = db.session.scalar(select(User).where(User.email == officer_email))
    if officer is None:
        from barrier.auth.services import create_user
        from barrier.models import Gemeente, Role

        assen = db.session.scalar(select(Gemeente).where(Gemeente.cbs_code == "GM0106"))
        officer = create_user(email=officer_email, full_name="Vera Vergunning", password="Barrier-bulk-2026",
                              role=Role.VERGUNNINGVERLENER, gemeente_id=assen.id)
    streets = ("Kloosterstraat", "Markt", "Stationsstraat", "Torenlaan", "Oudestraat", "Kerkplein")
    for number in range(count):
        app = services.new_application(actor=officer, gemeente_id=officer.gemeente_id,
                                       permit_type=PermitType.VERHUURVERGUNNING, trade_name=f"Huisvesting {number}",
                                       received_on=today - timedelta(days=number % 30))
        given_names, surname, birth_date = person_of(number)
        person = services.upsert_person(PersonData(given_names=given_names, surname=surname, birth_date=birth_date))
        services.add_party(app, role=PartyRole.AANVRAGER, person=person, actor=officer)
        organisation = services.upsert_organisation(OrganisationData(name=f"Bulk Huisvesting {number} B.V.",
                                                                     legal_form="bv"))
        services.add_party(app, role=PartyRole.VERHUURDER, organisation=organisation, actor=officer)
        services.set_location(app, AddressData(street=streets[number % len(streets)], house_number=str(1 + number),
                                               postcode="9401 AB", city="Assen"), bag_id=None, actor=officer)
        services.submit(app, actor=officer, today=today)
        db.session.commit()
    return count


def main(argv: list[str]) -> int:
    from wsgi import app

    kind, count = argv[0], int(argv[1])
    if kind != "applications":
        raise SystemExit(f"unknown kind {kind}")
    with app.app_context():
        made = make_applications(count)
    print(f"{made} aanvragen ingediend")  # noqa: T201 - a command-line helper
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
