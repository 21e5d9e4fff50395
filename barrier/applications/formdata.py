"""From the party and address forms to the services' data: one reading for the wizard and the
intake API, which validate the same ``PartyForm`` (the API feeds it the JSON body)."""

from __future__ import annotations

from barrier.applications import services
from barrier.applications.services import AddressData, OrganisationData, PersonData
from barrier.models import Organisation, Person
from forms.applications import PartyForm


def address_of(sub) -> AddressData:
    """The data of an ``AddressForm`` (a party's address or the location)."""
    return AddressData(street=sub.street.data or "", house_number=sub.house_number.data or "",
                       house_number_suffix=sub.house_number_suffix.data or "", postcode=sub.postcode.data or "",
                       city=sub.city.data or "")


def party_of(form: PartyForm) -> tuple[Person | None, Organisation | None]:
    """The person or the organisation a validated ``PartyForm`` describes, found or created."""
    address = address_of(form.address.form)
    if form.kind.data == "persoon":
        return services.upsert_person(PersonData(
            given_names=form.given_names.data, surname=form.surname.data, surname_prefix=form.surname_prefix.data or "",
            birth_date=form.birth_date.data, birth_place=form.birth_place.data or "",
            nationality=form.nationality.data or "", bsn=form.bsn.data or "", address=address)), None
    return None, services.upsert_organisation(OrganisationData(
        name=form.name.data, legal_form=form.legal_form.data or "", trade_names=form.trade_names.data or "",
        kvk_number=form.kvk_number.data or "", vestigingsnummer=form.vestigingsnummer.data or "",
        rsin=form.rsin.data or "", address=address))
