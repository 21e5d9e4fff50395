"""The home page: per role, what waits for them."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from barrier.dashboard import views  # noqa: E402,F401
