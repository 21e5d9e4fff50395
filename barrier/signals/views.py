"""Views of the signals area: record, inbox, route along the meldroute, regional overview."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from barrier import audit
from barrier.auth.permissions import Permission, has_permission, require
from barrier.auth.scoping import can_access_gemeente
from barrier.db import db
from barrier.models import Gemeente
from barrier.models.inspections import Inspection, InspectionLocation
from barrier.models.signals import ExploitationForm, Signal, SignalSource, SignalStatus, SignalUrgency
from barrier.signals import bp, services
from barrier.signals import overview as figures
from barrier.signals.panels import waiting_query
from barrier.signals.services import ForwardRefused, SignalError, SignalInput
from forms.base import options
from forms.signals import CareNoteForm, CloseSignalForm, ForwardForm, signal_form
from screening.signals import Stage, Target, evaluate_signals, load_catalogue, load_meldroute


@bp.context_processor
def _labels():
    return {"stage_labels": {s.value: s.label for s in Stage}, "target_labels": {t.value: t.label for t in Target}}


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def _load(signal_id: int) -> Signal:
    signal = db.session.scalar(services.visible_signals(current_user).where(Signal.id == signal_id))
    if signal is None:
        if db.session.get(Signal, signal_id) is not None:
            audit.record_now("access.other_gemeente_refused", object_type="signals", object_id=signal_id,
                             gemeente_id=current_user.gemeente_id)
        abort(404)
    return signal


# --- inbox -----------------------------------------------------------------------------------------------------


@bp.get("")
@require(Permission.VIEW_SIGNALS)
def inbox():
    view = request.args.get("weergave", "wacht")
    if view == "open":
        stmt = services.visible_signals(current_user).where(Signal.status == SignalStatus.OPEN).order_by(
            Signal.reported_on.desc(), Signal.id.desc())
    elif view == "afgesloten":
        stmt = services.visible_signals(current_user).where(Signal.status == SignalStatus.AFGESLOTEN).order_by(
            Signal.reported_on.desc(), Signal.id.desc())
    else:
        view = "wacht"
        stmt = waiting_query(current_user)
    page = db.paginate(stmt, per_page=25, error_out=False)
    return render_template("signals/inbox.html", page=page, view=view)


# --- record a signal -----------------------------------------------------------------------------------------


def _gemeente_choices() -> list[tuple[str, str]]:
    # A signal may concern another gemeente of the region (work and housing are often in different ones).
    gemeenten = db.session.scalars(select(Gemeente).where(Gemeente.is_active.is_(True)).order_by(Gemeente.name))
    return [("", "— kies de gemeente —")] + [(str(g.id), g.name) for g in gemeenten]


def _record_id(value: str) -> int:
    """A record id from the request; beyond the database's integer range it is no id at all."""
    number = int(value)
    if not 0 < number < 2**31:
        raise ValueError(value)
    return number


def _context_records() -> tuple[Inspection | None, InspectionLocation | None]:
    """The inspection or location a signal is raised from (?inspectie= / ?locatie=), if the user may see it."""
    inspection_id = request.values.get("inspection_id", type=_record_id) or request.args.get("inspectie", type=_record_id)
    location_id = request.values.get("location_id", type=_record_id) or request.args.get("locatie", type=_record_id)
    inspection = db.session.get(Inspection, inspection_id) if inspection_id else None
    if inspection is not None and not (has_permission(current_user, Permission.RECORD_INSPECTIONS)
                                       and can_access_gemeente(inspection.gemeente_id)):
        inspection = None
    location = inspection.location if inspection else (db.session.get(InspectionLocation, location_id)
                                                        if location_id else None)
    if location is not None and not (has_permission(current_user, Permission.VIEW_LOCATIONS)
                                     and can_access_gemeente(location.gemeente_id)):
        location = None
    return inspection, location


@bp.route("/nieuw", methods=["GET", "POST"])
@require(Permission.CREATE_SIGNALS)
def new_signal():
    catalogue = load_catalogue()
    form = signal_form(catalogue)
    form.gemeente.choices = options(_gemeente_choices())
    inspection, location = _context_records()
    if request.method == "GET":
        form.reported_on.data = _today()
        if location is not None:
            form.gemeente.data = str(location.gemeente_id)
            form.location_id.data = str(location.id)
            form.address_text.data = location.address.label if location.address else ""
        elif current_user.gemeente_id:
            form.gemeente.data = str(current_user.gemeente_id)
        if inspection is not None:
            form.inspection_id.data = str(inspection.id)
            form.source.data = "inspectie"
            form.signal_ids.data = list(inspection.signal_ids or [])
    if form.validate_on_submit():
        data = SignalInput(
            gemeente_id=int(form.gemeente.data) if (form.gemeente.data or "").isdigit() else None,
            signal_ids=list(form.signal_ids.data or []), vorm=ExploitationForm(form.vorm.data),
            urgency=SignalUrgency(form.urgency.data), source=SignalSource(form.source.data),
            observation=form.observation.data or "", persons=form.persons.data or "",
            address_text=form.address_text.data or "", location_id=location.id if location else None,
            inspection_id=inspection.id if inspection else None,
            has_undermining_component=bool(form.has_undermining_component.data), needs_care=bool(form.needs_care.data),
            is_bibob_relevant=bool(form.is_bibob_relevant.data), contains_bibob_data=bool(form.contains_bibob_data.data),
            reported_on=form.reported_on.data)
        try:
            signal = services.create_signal(data, actor=current_user, today=_today())
        except SignalError as error:
            db.session.rollback()
            field = getattr(form, error.field, None) if error.field else None
            if field is not None:
                field.errors = [*field.errors, error.message]
            else:
                flash(error.message, "danger")
        else:
            db.session.commit()
            if signal.urgency is SignalUrgency.ACUUT:
                flash("Acuut gevaar: bel eerst 112 als dat nog niet is gebeurd (meldroute MR-00).", "danger")
            flash(f"Signaal {signal.reference} vastgelegd voor de aandachtfunctionaris mensenhandel van "
                  f"{signal.gemeente.name}.", "success")
            if db.session.scalar(services.visible_signals(current_user).where(Signal.id == signal.id)) is not None \
                    and has_permission(current_user, Permission.VIEW_SIGNALS):
                return redirect(url_for("signals.signal_detail", signal_id=signal.id))
            if inspection is not None:
                return redirect(url_for("inspections.inspection_detail", inspection_id=inspection.id))
            return redirect(url_for("dashboard.home"))
    evaluation = None
    if form.signal_ids.data:
        try:
            evaluation = evaluate_signals(form.signal_ids.data)
        except KeyError:
            evaluation = None
    return render_template("signals/signal_form.html", form=form, catalogue=catalogue, inspection=inspection,
                           location=location, evaluation=evaluation,
                           barrier_groups=_barrier_groups(catalogue)), 400 if form.errors else 200


def _barrier_groups(catalogue):
    """Signals grouped per barrier of the barrier model (CCV/VNG, domain.md §4.1)."""
    return [(barrier, [s for s in catalogue.signals if s.barrier == barrier.id]) for barrier in catalogue.barriers]


# --- one signal ----------------------------------------------------------------------------------------------


def _forward_form(signal: Signal, formdata=None) -> ForwardForm:
    form = ForwardForm(formdata=formdata) if formdata is not None else ForwardForm()
    form.target.choices = options(services.target_choices())
    form.legal_bases.choices = options(services.legal_basis_choices())
    if formdata is None:
        proposal = services.proposal_for(signal)
        next_step = next((s for s in proposal.steps if s.is_next), None)
        if next_step is not None:
            form.target.data = next_step.target.value
            form.legal_bases.data = list(next_step.legal_bases[:1])
    return form


def _render_signal(signal: Signal, *, forward_form=None, care_form=None, close_form=None, refused=None, status=200):
    proposal = services.proposal_for(signal)
    catalogue = load_catalogue()
    evaluation = evaluate_signals([s for s in signal.signal_ids or [] if catalogue.has_signal(s)])
    return render_template(
        "signals/signal_detail.html", signal=signal, proposal=proposal, evaluation=evaluation, catalogue=catalogue,
        meldroute=load_meldroute(), forward_form=forward_form or _forward_form(signal),
        care_form=care_form or CareNoteForm(), close_form=close_form or CloseSignalForm(), refused=refused,
        may_route=services.holder_may_route(signal, current_user) and has_permission(current_user, Permission.ROUTE_SIGNALS),
        sees_care=services.can_see_care_notes(current_user), Target=Target), status


@bp.get("/<int:signal_id>")
@require(Permission.VIEW_SIGNALS)
def signal_detail(signal_id: int):
    signal = _load(signal_id)
    audit.record("signal.viewed", object_type="signals", object_id=signal.id, gemeente_id=signal.gemeente_id)
    db.session.commit()
    return _render_signal(signal)


@bp.post("/<int:signal_id>/doorsturen")
@require(Permission.ROUTE_SIGNALS)
def forward_signal(signal_id: int):
    signal = _load(signal_id)
    form = _forward_form(signal, formdata=request.form)
    if form.validate_on_submit():
        try:
            services.forward_signal(signal, target=form.target.data, legal_bases=list(form.legal_bases.data or []),
                                    motivation=form.motivation.data, actor=current_user)
        except ForwardRefused as refusal:
            decision = refusal.decision
            # The refusal itself is evidence (who tried to send what where): kept even though nothing was sent.
            audit.record_now("signal.forward_refused", object_type="signals", object_id=signal.id,
                             gemeente_id=signal.gemeente_id, target=decision.target.value,
                             legal_bases=list(decision.legal_bases), blocked_by=list(decision.blocked_by))
            return _render_signal(signal, forward_form=form, refused=decision, status=400)
        except SignalError as error:
            db.session.rollback()
            field = getattr(form, error.field, None) if error.field else None
            if field is not None:
                field.errors = [*field.errors, error.message]
            else:
                flash(error.message, "danger")
        else:
            db.session.commit()
            flash(f"Doorgestuurd naar {Target(form.target.data).label}; vastgelegd met grondslag en motivering.",
                  "success")
            return redirect(url_for("signals.signal_detail", signal_id=signal.id))
    return _render_signal(signal, forward_form=form, status=400)


@bp.post("/<int:signal_id>/zorggegevens")
@require(Permission.ROUTE_SIGNALS)
def add_care_note(signal_id: int):
    signal = _load(signal_id)
    form = CareNoteForm()
    if form.validate_on_submit():
        try:
            services.add_care_note(signal, text=form.text.data, actor=current_user)
        except SignalError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash("Zorggegevens vastgelegd; het signaal is gemarkeerd en kan niet meer naar het RIEC.", "success")
            return redirect(url_for("signals.signal_detail", signal_id=signal.id))
    return _render_signal(signal, care_form=form, status=400)


@bp.post("/<int:signal_id>/afsluiten")
@require(Permission.ROUTE_SIGNALS)
def close_signal(signal_id: int):
    signal = _load(signal_id)
    form = CloseSignalForm()
    if form.validate_on_submit():
        try:
            services.close_signal(signal, note=form.note.data, actor=current_user)
        except SignalError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash("Signaal afgesloten.", "success")
            return redirect(url_for("signals.signal_detail", signal_id=signal.id))
    return _render_signal(signal, close_form=form, status=400)


# --- regional overview ---------------------------------------------------------------------------------------


@bp.get("/overzicht")
@require(Permission.VIEW_REGIONAL_OVERVIEW)
def overview():
    data = figures.build_overview(year=request.args.get("jaar", type=int), today=_today())
    return render_template("signals/overview.html", o=data, forms=list(ExploitationForm))
