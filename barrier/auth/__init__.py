"""Login, logout and one's own account."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from barrier.auth import views  # noqa: E402,F401
