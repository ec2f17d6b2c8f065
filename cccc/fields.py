"""Encrypted model fields and the blind index (SPEC §4).

    class Adult(models.Model):
        family = models.ForeignKey(Family, ...)
        surname = EncryptedCharField(key_path="family.data_key")
        surname_index = BlindIndexField(source="surname", purpose="surname")

`key_path` is the attribute path from an instance to its owner's DataKey. On the model the
attribute reads as plaintext; the column only ever holds a token. Values are decrypted when
first read, so `select_related` on the key path keeps a page at a fixed number of queries.

What is refused, loudly:
- storing a plain string by any path that skips `save()` (`update()`, `bulk_update()`);
- filtering on an encrypted column (use the blind index);
- selecting it through `values()`, `values_list()` or an annotation (EncryptedValueSelected):
  they would return the sealed token as if it were data;
- reading a value whose key is wrong, missing or destroyed.

For a long list of a few values (the names on the coordinator's dashboard), `open_values`
reads the tokens and opens them without a model instance per row.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core import validators
from django.core.exceptions import FieldError, ObjectDoesNotExist
from django.db import connection, models
from django.db.models.query_utils import DeferredAttribute
from django.utils.text import capfirst

from cccc import crypto

if TYPE_CHECKING:
    from cccc.models import DataKey

    # The stubs' fields are generic (value set, value read); Django's are not subscriptable at
    # run time. Values read and written through these fields are typed by their subclass.
    _TextField = models.TextField[Any, Any]
    _CharField = models.CharField[Any, Any]
else:
    _TextField = models.TextField
    _CharField = models.CharField

_Deconstructed = tuple[str, str, Sequence[Any], dict[str, Any]]

# The longest free text a form accepts (notes, reasons, needs, addresses typed in a box):
# about two printed pages. Every page and PDF lays out text of this length (issue 20).
FREE_TEXT_MAX_LENGTH = 5_000
TOO_LONG = "This is limited to %(limit_value)d characters (it has %(show_value)d). Shorten it."


def text_limit(max_length: int = FREE_TEXT_MAX_LENGTH) -> dict[str, Any]:
    """A form field's options for free text: its limit, and a message that says so."""
    return {"max_length": max_length, "error_messages": {"max_length": TOO_LONG}}


class EncryptedValueSelected(TypeError):
    """values(), values_list() or an annotation asked for an encrypted column's raw token."""


class Sealed(str):
    """A token as loaded from the database, not yet opened."""


def resolve_data_key(instance: models.Model, key_path: str) -> "DataKey":
    obj = instance
    try:
        for part in key_path.split("."):
            obj = getattr(obj, part)
    except ObjectDoesNotExist as exc:
        raise crypto.DataKeyDestroyed(
            f"{type(instance).__name__} #{instance.pk}: its data key no longer exists."
        ) from exc
    if obj is None:
        raise crypto.DataKeyDestroyed(
            f"{type(instance).__name__} #{instance.pk}: it has no data key."
        )
    # The key path names the owner's DataKey (each field is declared with one).
    return cast("DataKey", obj)


class _DecryptingAttribute(DeferredAttribute):
    field: "EncryptedField"  # the descriptor of EncryptedField alone

    # A data descriptor (it has __set__), so reads always pass through __get__ even though the
    # value lives in the instance __dict__.
    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: models.Model | None, cls: type[models.Model] | None = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[self.field.attname] = value
        return value


def _is_encrypted(expression: Any) -> bool:
    try:
        return isinstance(expression.output_field, EncryptedField)
    except (AttributeError, FieldError):
        return False


class EncryptedField(_TextField):
    descriptor_class = _DecryptingAttribute

    def __init__(self, *args: Any, key_path: str, **kwargs: Any) -> None:
        self.key_path = key_path
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> _Deconstructed:
        name, path, args, kwargs = super().deconstruct()
        kwargs["key_path"] = self.key_path
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        if kwargs.get("default") == "":
            del kwargs["default"]
        return name, path, args, kwargs

    # Python value <-> bytes; subclasses for dates and the like override these two.
    def to_bytes(self, value: Any) -> bytes:
        return str(value).encode()

    def from_bytes(self, data: bytes) -> Any:
        return data.decode()

    def open(self, instance: models.Model, token: str) -> Any:
        data_key = resolve_data_key(instance, self.key_path)
        return self.from_bytes(
            crypto.open_token(
                token, key=data_key.plaintext(), data_key_id=data_key.pk, context=self.name
            )
        )

    def seal(self, instance: models.Model, value: Any) -> Sealed:
        data_key = resolve_data_key(instance, self.key_path)
        return Sealed(
            crypto.seal(
                self.to_bytes(value),
                key=data_key.plaintext(),
                data_key_id=data_key.pk,
                context=self.name,
            )
        )

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(value)

    def select_format(self, compiler: Any, sql: str, params: Any) -> Any:
        # A model load selects its default columns and opens each token with the row's key;
        # values(), values_list() and annotations would hand out the token itself, and cannot
        # open it (a token opens only under its own record's key, reached from the row).
        query = compiler.query
        if not query.default_cols or any(map(_is_encrypted, query.annotation_select.values())):
            raise EncryptedValueSelected(
                f"{self.model.__name__}.{self.name} is an encrypted field: values(), "
                "values_list() and annotations would return its sealed token, not its value. "
                "Load the model instances (each value opens with its record's key), or select "
                "a blind index."
            )
        return super().select_format(compiler, sql, params)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or isinstance(value, Sealed):
            return value  # unchanged since loading: keep the stored token
        return self.seal(model_instance, value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Sealed):
            return value
        raise TypeError(
            f"Refusing to store or compare plaintext in encrypted field {self.name!r}: "
            "save the model instance instead, and search through a blind index."
        )

    def to_python(self, value: Any) -> Any:
        return value

    form_class: type[forms.Field] = forms.CharField

    def form_options(self) -> dict[str, Any]:
        return {}

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,  # unused, as before
        **kwargs: Any,
    ) -> forms.Field:
        form_class = form_class or self.form_class
        options = {
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
        }
        if self.choices:
            choices = list(self.choices)
            if self.blank:
                choices = [("", "---------"), *choices]
            return forms.ChoiceField(choices=choices, **{**options, **kwargs})
        return form_class(**{**options, **self.form_options(), **kwargs})

    def value_to_string(self, obj: models.Model) -> Any:
        # Serialisation (dumpdata) gets the token, never the plaintext.
        return obj.__dict__.get(self.attname)


class EncryptedTextField(EncryptedField):
    """Free text (notes, needs, addresses); a form takes at most FREE_TEXT_MAX_LENGTH."""

    def form_options(self) -> dict[str, Any]:
        return {"widget": forms.Textarea(attrs={"rows": 3}), **text_limit()}


class EncryptedCharField(EncryptedField):
    """A short line of text (names, phone numbers). max_length is checked in Python only."""

    def __init__(self, *args: Any, max_length: int = 200, **kwargs: Any) -> None:
        self.form_max_length = max_length
        super().__init__(*args, **kwargs)
        self.validators.append(validators.MaxLengthValidator(max_length))

    def deconstruct(self) -> _Deconstructed:
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.form_max_length
        return name, path, args, kwargs

    def form_options(self) -> dict[str, Any]:
        return {"max_length": self.form_max_length}


class EncryptedEmailField(EncryptedCharField):
    default_validators = [validators.validate_email]
    form_class = forms.EmailField


class EncryptedDateField(EncryptedField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("default", None)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> _Deconstructed:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("null", None)
        kwargs.pop("default", None)
        return name, path, args, kwargs

    def to_bytes(self, value: datetime.date | str) -> bytes:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return value.isoformat().encode()

    def from_bytes(self, data: bytes) -> datetime.date:
        return datetime.date.fromisoformat(data.decode())

    form_class = forms.DateField

    def form_options(self) -> dict[str, Any]:
        return {"widget": forms.DateInput(attrs={"type": "date"})}


def open_values(
    model: type[models.Model],
    names: Sequence[str],
    *,
    owner: str,
    keys: "Mapping[int, DataKey]",
) -> list[tuple[int, tuple[Any, ...]]]:
    """The encrypted fields `names` of every row of `model` whose foreign key `owner` points at
    one of the owners in `keys` (owner id -> its DataKey, loaded), each opened with its owner's
    key: [(owner id, values)], in owner then row order.

    What a model load does, for a list of hundreds of rows at a tenth of the cost: one query,
    no instance per row. Each field's key path must be `<owner>.data_key`, so that the key
    used is the one the value was sealed under (and a wrong one fails, as ever)."""
    fields: list[EncryptedField] = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, EncryptedField) or field.key_path != f"{owner}.data_key":
            raise TypeError(f"{model.__name__}.{name} is not sealed under {owner}.data_key")
        fields.append(field)
    if not keys:
        return []
    qn = connection.ops.quote_name
    owner_column = qn(cast("models.Field[Any, Any]", model._meta.get_field(owner)).column)
    columns = ", ".join(qn(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(keys))
    sql = (
        f"SELECT {owner_column}, {columns} FROM {qn(model._meta.db_table)} "  # noqa: S608
        f"WHERE {owner_column} IN ({marks}) ORDER BY {owner_column}, {qn(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(keys))
        rows = cursor.fetchall()
    opened = []
    for owner_id, *tokens in rows:
        key = keys[owner_id]
        plain = key.plaintext()
        values = tuple(
            None
            if token is None
            else field.from_bytes(
                crypto.open_token(token, key=plain, data_key_id=key.pk, context=field.name)
            )
            for field, token in zip(fields, tokens, strict=True)
        )
        opened.append((owner_id, values))
    return opened


def open_own_values(
    model: type[models.Model], names: Sequence[str], *, ids: Sequence[int]
) -> dict[int, tuple[Any, ...]]:
    """The encrypted fields `names` of the rows of `model` with these ids, each sealed under
    the row's own data key (key path "data_key": families, volunteers), opened: {id: values}.

    As open_values, for a list of hundreds of records: one query that brings each row's
    wrapped key with it, and no model instance per row."""
    fields: list[EncryptedField] = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, EncryptedField) or field.key_path != "data_key":
            raise TypeError(f"{model.__name__}.{name} is not sealed under the row's data_key")
        fields.append(field)
    if not ids:
        return {}
    key_field = cast("models.ForeignKey[Any, Any]", model._meta.get_field("data_key"))
    keys = cast("type[models.Model]", key_field.related_model)._meta
    qn = connection.ops.quote_name
    table, key_table = qn(model._meta.db_table), qn(keys.db_table)
    pk = f"{table}.{qn(model._meta.pk.column)}"
    key_columns = ", ".join(
        f"{key_table}.{qn(cast('models.Field[Any, Any]', keys.get_field(name)).column)}"
        for name in ("id", "master_key_id", "wrapped")
    )
    columns = ", ".join(f"{table}.{qn(field.column)}" for field in fields)
    sql = (
        f"SELECT {pk}, {key_columns}, {columns} FROM {table} "  # noqa: S608
        f"JOIN {key_table} ON {key_table}.{qn(keys.pk.column)} = {table}.{qn(key_field.column)} "
        f"WHERE {pk} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        rows = cursor.fetchall()
    opened = {}
    for row_id, key_id, master_key_id, wrapped, *tokens in rows:
        plain = crypto.unwrap_data_key(master_key_id, bytes(wrapped))
        opened[row_id] = tuple(
            None
            if token is None
            else field.from_bytes(
                crypto.open_token(token, key=plain, data_key_id=key_id, context=field.name)
            )
            for field, token in zip(fields, tokens, strict=True)
        )
    return opened


class BlindIndexField(_CharField):
    """HMAC of another (encrypted) field's plaintext, kept in step on every save."""

    def __init__(self, *args: Any, source: str, purpose: str, **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.update(max_length=64, editable=False, blank=True, db_index=True, default="")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> _Deconstructed:
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "editable", "blank", "db_index", "default"):
            kwargs.pop(key, None)
        kwargs.update(source=self.source, purpose=self.purpose)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.source)
        digest = crypto.blind_index(self.purpose, value) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest

    def digest(self, value: str) -> str:
        return crypto.blind_index(self.purpose, value)
