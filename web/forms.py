"""The page forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import DecimalField, HiddenField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from mapper.errors import ArticleError


def iso_date(_form: FlaskForm, field: object) -> None:
    """YYYY-MM-DD that is a day of the calendar (not 2026-13-45) in the range articles may have."""
    from mapper.articles import check_published

    value = getattr(field, "data", None)
    if not value:
        return
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValidationError("a date as YYYY-MM-DD")
    try:
        check_published(date.fromisoformat(value))
    except ValueError as err:
        raise ValidationError(f"{value[:20]!r} is not a date") from err
    except ArticleError as err:
        raise ValidationError(str(err)) from err


UPLOAD_TYPES = ("txt", "html", "htm", "json")


class LoginForm(FlaskForm):
    token = PasswordField("Token", validators=[DataRequired()])
    who = StringField("Your name (kept in the audit trail)", validators=[DataRequired(), Length(max=100)])
    next = HiddenField()
    submit = SubmitField("Sign in")


class IngestForm(FlaskForm):
    """Paste an article (with its date, URL, title, publisher) or upload one file."""

    text = TextAreaField("Article text", validators=[Optional()])
    upload = FileField("…or upload a file (.txt, .html, .json)", validators=[
        Optional(), FileAllowed(UPLOAD_TYPES, "only .txt, .html or .json files")])
    published = StringField("Published (YYYY-MM-DD)", validators=[Optional(), iso_date])
    url = StringField("URL", validators=[Optional(), URL(require_tld=False), Length(max=2000)])
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    source = StringField("Publisher", validators=[Optional(), Length(max=200)])
    preview = SubmitField("Find incidents")


class SaveArticleForm(FlaskForm):
    """The previewed article carried back in hidden fields; saving re-runs the same pure extraction."""

    text = TextAreaField(validators=[DataRequired()])
    published = HiddenField(validators=[Optional(), iso_date])
    url = HiddenField()
    title = HiddenField()
    source = HiddenField()
    save = SubmitField("Save these incidents")


class CorrectForm(FlaskForm):
    """Move an incident: to one of the gazetteer's candidates, or to coordinates typed in."""

    geonameid = HiddenField()
    name = StringField("Place name", validators=[Optional(), Length(max=200)])
    lat = DecimalField("Latitude", places=None, validators=[Optional(), NumberRange(-90, 90)])
    lon = DecimalField("Longitude", places=None, validators=[Optional(), NumberRange(-180, 180)])
    note = StringField("Why (kept in the audit trail)", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Move here")


class MergeForm(FlaskForm):
    other_id = StringField("Id of the duplicate to merge into this one", validators=[DataRequired(), Length(max=64)])
    submit = SubmitField("Merge")
