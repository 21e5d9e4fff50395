"""Field validators for Dutch numbers and codes (domain.md §7), with Dutch messages.

Each check is a plain function ``clean_x(value) -> normalised value`` that raises
``InvalidValue`` with the Dutch message; the WTForms validators below wrap them, and imports
(CSV, API) call the functions directly so every path validates alike. python-stdnum does the
check-digit work where it covers the number.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode
from wtforms.validators import ValidationError


class InvalidValue(ValueError):
    """A value that does not pass; ``str(error)`` is the Dutch message for the user."""


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def clean_bsn(value: str) -> str:
    """BSN: 9 digits passing the 11-proef (weights 9..2, -1); stdnum left-pads 8 digits."""
    compact = _digits(value)
    if not compact.isdigit() or len(compact) not in (8, 9):
        raise InvalidValue("Een BSN bestaat uit 9 cijfers.")
    try:
        return stdnum_bsn.validate(compact)
    except StdnumError as error:
        raise InvalidValue("Dit BSN klopt niet (de elfproef faalt). Controleer de cijfers.") from error


def clean_rsin(value: str) -> str:
    """RSIN: 9 digits, the same 11-proef as the BSN (domain.md §7, memory; as stdnum's btw module)."""
    compact = _digits(value)
    if not compact.isdigit() or len(compact) != 9:
        raise InvalidValue("Een RSIN bestaat uit 9 cijfers.")
    if not stdnum_bsn.is_valid(compact):
        raise InvalidValue("Dit RSIN klopt niet (de elfproef faalt). Controleer de cijfers.")
    return compact


def clean_kvk(value: str) -> str:
    """KvK-nummer: exactly 8 digits; it has no reliable check digit (domain.md §7)."""
    compact = _digits(value)
    if not re.fullmatch(r"\d{8}", compact):
        raise InvalidValue("Een KvK-nummer bestaat uit precies 8 cijfers.")
    return compact


def clean_vestigingsnummer(value: str) -> str:
    """Vestigingsnummer: exactly 12 digits, leading zeros significant (domain.md §7)."""
    compact = _digits(value)
    if not re.fullmatch(r"\d{12}", compact):
        raise InvalidValue("Een vestigingsnummer bestaat uit precies 12 cijfers.")
    return compact


def clean_postcode(value: str) -> str:
    """Dutch postcode, normalised to '1234 AB'; SA, SD and SS do not exist (domain.md §7)."""
    try:
        compact = stdnum_postcode.validate(value or "").replace(" ", "")
    except StdnumError as error:
        raise InvalidValue("Vul een geldige postcode in, bijvoorbeeld 9401 AB.") from error
    return f"{compact[:4]} {compact[4:]}"


def clean_iban(value: str) -> str:
    """IBAN with ISO 13616 mod-97 check; returned compact, shown in groups of four."""
    try:
        return stdnum_iban.validate(value or "")
    except StdnumError as error:
        raise InvalidValue("Dit IBAN klopt niet. Controleer het rekeningnummer, bijvoorbeeld NL91 ABNA 0417 1643 00.") from error


def clean_house_number(value: str) -> str:
    compact = (value or "").strip()
    if not re.fullmatch(r"[1-9]\d{0,4}", compact):
        raise InvalidValue("Een huisnummer is een getal van 1 tot 99999 (toevoeging apart invullen).")
    return compact


def clean_house_number_suffix(value: str) -> str:
    compact = (value or "").strip().strip("-").strip()
    if compact and not re.fullmatch(r"[A-Za-z0-9]{1,4}", compact):
        raise InvalidValue("Een toevoeging is kort: letters of cijfers, zoals A, 2 of bis.")
    return compact.upper() if len(compact) == 1 else compact


def check_not_in_future(value: date | None, today: date, label: str = "Deze datum") -> None:
    if value and value > today:
        raise InvalidValue(f"{label} kan niet in de toekomst liggen.")


class _Wrap:
    """A WTForms validator around a ``clean_*`` function; stores the normalised value."""

    cleaner = staticmethod(lambda value: value)

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = self.cleaner(field.data)
        except InvalidValue as error:
            raise ValidationError(str(error)) from error


class Bsn(_Wrap):
    cleaner = staticmethod(clean_bsn)


class Rsin(_Wrap):
    cleaner = staticmethod(clean_rsin)


class KvkNumber(_Wrap):
    cleaner = staticmethod(clean_kvk)


class Vestigingsnummer(_Wrap):
    cleaner = staticmethod(clean_vestigingsnummer)


class Postcode(_Wrap):
    cleaner = staticmethod(clean_postcode)


class Iban(_Wrap):
    cleaner = staticmethod(clean_iban)


class HouseNumber(_Wrap):
    cleaner = staticmethod(clean_house_number)


class HouseNumberSuffix(_Wrap):
    cleaner = staticmethod(clean_house_number_suffix)


class NotInFuture:
    """A date that cannot lie in the future (birth dates, receipt dates)."""

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field):
        if field.data and field.data > date.today():  # noqa: DTZ011 - a form's notion of today is the server's date
            raise ValidationError(self.message or "Deze datum kan niet in de toekomst liggen.")


class NotBefore:
    """A date not before the given year (catches typos such as 0202 for 2020)."""

    def __init__(self, year: int = 1900, message: str | None = None):
        self.year = year
        self.message = message

    def __call__(self, form, field):
        if field.data and field.data.year < self.year:
            raise ValidationError(self.message or f"Vul een datum na {self.year} in.")
