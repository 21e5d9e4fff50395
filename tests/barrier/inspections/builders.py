"""Build locations, inspections, measures and signals through the area's own services.

Every call pushes its own short request context and commits (a SAVEPOINT release inside the
test transaction), so no context stays pushed while a test client makes requests (STYLE.md G1).
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta

from barrier.db import db
from barrier.inspections import services
from barrier.inspections.services import AddressInput, InspectionInput
from barrier.models import Permit, PermitStatus, PermitType, Role
from barrier.models.inspections import InspectionLocation, InspectionOutcome, LocationKind
from barrier.models.parties import Address
from barrier.models.signals import ExploitationForm, SignalSource, SignalUrgency
from barrier.signals import services as signal_services
from barrier.signals.services import SignalInput
from tests.barrier.inspections.answers import compliant_answers
from tests.factories import UserFactory, gemeente_by_code

TODAY = date.today()  # noqa: DTZ011 - the app's notion of today is the server's date
_numbers = itertools.count(1)

PERMIT_TYPE = {LocationKind.SEKSBEDRIJF: PermitType.SEKSINRICHTING, LocationKind.ESCORTBEDRIJF: PermitType.ESCORTBEDRIJF,
               LocationKind.HUISVESTING_AM: PermitType.VERHUURVERGUNNING}


class World:
    """``world.location(...)``, ``world.inspection(...)``, ``world.signal(...)``: records as the app makes them."""

    def __init__(self, app):
        self.app = app

    def _commit(self, value):
        db.session.commit()
        return value

    def inspector(self, gemeente: str = "GM0106", **kwargs):
        return UserFactory(role=Role.TOEZICHTHOUDER, gemeente_code=gemeente, **kwargs)

    def location(self, kind: LocationKind = LocationKind.HUISVESTING_AM, *, gemeente: str = "GM0106",
                 permit: bool = True, max_persons: int | None = None, name: str | None = None,
                 lat: float | None = None, lon: float | None = None, postcode: str = "9401 AB",
                 permit_status: PermitStatus = PermitStatus.GELDIG, application=None) -> InspectionLocation:
        n = next(_numbers)
        gemeente_id = gemeente_by_code(db.session, gemeente).id
        name = name or f"Testlocatie {n}"
        with self.app.test_request_context():
            if permit:
                address = Address(street="Teststraat", house_number=str(n), postcode=postcode, city="Assen",
                                  gemeente_id=gemeente_id, latitude=lat, longitude=lon)
                record = Permit(permit_number=f"TEST-{n:05d}-V", gemeente_id=gemeente_id,
                                permit_type=PERMIT_TYPE[kind], holder_name=name, location=address,
                                valid_from=TODAY - timedelta(days=400), valid_until=TODAY + timedelta(days=700),
                                max_persons=max_persons, status=permit_status,
                                application_id=application.id if application is not None else None)
                db.session.add(record)
                db.session.flush()
                location = services.ensure_location_for_permit(record)
                if location is None:  # a permit no longer in force makes no location by itself
                    location = InspectionLocation(gemeente_id=gemeente_id, address=address, permit=record, kind=kind,
                                                  name=name)
                    db.session.add(location)
                location.name = name
            else:
                # The creator's role is not the point here (and an extra toezichthouder would join the planning).
                actor = UserFactory(role=Role.VERGUNNINGVERLENER, gemeente_code=gemeente)
                location = services.add_location(
                    gemeente_id=gemeente_id, name=name, kind=kind, description="Vermoeden uit een melding.", actor=actor,
                    address=AddressInput(street="Teststraat", house_number=str(n), postcode=postcode, city="Assen",
                                         latitude=lat, longitude=lon))
            return self._commit(location)

    def inspection(self, location: InspectionLocation, *, days_ago: int = 30, deviations: dict | None = None,
                   occupancy: int | None = None, complete: bool = True, inspector=None,
                   outcome: InspectionOutcome | None = None):
        inspector = inspector or self.inspector(location.gemeente.cbs_code)
        code = location.kind.checklist_code
        answers = compliant_answers(code, occupancy=occupancy)
        answers.update(deviations or {})
        with self.app.test_request_context():
            result = services.save_inspection(
                location, token=str(uuid.uuid4()), complete=complete, actor=inspector, today=TODAY,
                data=InspectionInput(inspected_on=TODAY - timedelta(days=days_ago), answers=answers,
                                     persons_present=occupancy, outcome=outcome or (
                                         InspectionOutcome.OVERTREDINGEN if deviations else
                                         InspectionOutcome.GEEN_BEVINDINGEN)))
            return self._commit(result.inspection)

    def measure(self, inspection, *, item_id: str, code: str = "WAARSCHUWING", values: dict | None = None,
                issued_days_ago: int = 0, actor=None):
        actor = actor or inspection.inspector
        with self.app.test_request_context():
            measure = services.add_measure(inspection, violation_item_id=item_id, measure_code=code,
                                           values=values if values is not None else {"hersteltermijn_dagen": 14},
                                           issued_on=TODAY - timedelta(days=issued_days_ago), actor=actor, today=TODAY)
            return self._commit(measure)

    def signal(self, *, gemeente: str = "GM0106", ids: list[str] | None = None, location=None, actor=None,
               vorm: ExploitationForm = ExploitationForm.ONBEKEND, urgency: SignalUrgency = SignalUrgency.NORMAAL,
               reported_on: date | None = None, undermining: bool = False):
        actor = actor or self.inspector(gemeente)
        with self.app.test_request_context():
            signal = signal_services.create_signal(SignalInput(
                gemeente_id=gemeente_by_code(db.session, gemeente).id, signal_ids=ids or ["SIG-ALG-07"], vorm=vorm,
                urgency=urgency, source=SignalSource.COLLEGA, observation="Waarneming voor de test.",
                location_id=location.id if location else None, reported_on=reported_on,
                has_undermining_component=undermining), actor=actor, today=TODAY)
            return self._commit(signal)
