"""Pipeline settings: one YAML file (``socialroi.yml``), each key overridable by ``SOCIALROI_<KEY>``."""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import secrets
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT_DIR = PROJECT_DIR / "dbt_project"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"

log = logging.getLogger("socialroi.settings")

_PATH_KEYS = ("landing", "warehouse", "publish", "state", "feeds")
_LIST_KEYS = ("expected_sources", "own_domains", "payment_referrers")
_KNOWN = set(_PATH_KEYS) | set(_LIST_KEYS) | {
    "reporting_timezone",
    "reporting_currency",
    "grace_days",
    "order_source",
    "memory_limit",
    "attribution",
}
ORDER_SOURCES = ("shopify", "stripe", "generic")
# the attribution models a build can compute (socialroi__models picks a non-empty subset of them)
ATTRIBUTION_MODELS = ("first_touch", "last_touch", "last_non_direct", "linear", "time_decay", "position_based",
                      "markov", "shapley", "fractribution")
CHANNEL_UNITS = ("channel_group", "channel_group_platform")
MAX_GRACE_DAYS = 27  # the close runs on day grace_days + 1, which must exist in every month


class SettingsError(ValueError):
    """A setting is missing, misspelt or invalid."""


@dataclass(frozen=True)
class Settings:
    landing: Path
    warehouse: Path
    publish: Path
    state: Path
    feeds: Path
    reporting_timezone: str = "UTC"
    reporting_currency: str = "USD"
    grace_days: int = 2
    order_source: str = "shopify"
    memory_limit: str = "2GB"
    expected_sources: tuple[str, ...] = ()
    own_domains: tuple[str, ...] = ()
    payment_referrers: tuple[str, ...] = ()
    attribution: dict[str, Any] = field(default_factory=dict)

    @property
    def salt(self) -> str:
        """Salt for hashing personal data: SOCIALROI_SALT, else a generated, untracked state file."""
        env = os.environ.get("SOCIALROI_SALT")
        if env:
            return env
        path = self.state / "salt"
        if not path.exists():
            # readable by its owner only; published whole or not at all, and never replaced: two processes
            # starting at once must hash with the same salt (a hard link fails if the name exists)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"salt.{os.getpid()}.{secrets.token_hex(4)}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return path.read_text().strip()

    def attribution_models(self) -> list[str]:
        """The attribution models a build computes: the `models` override, else dbt_project.yml's default."""
        models = self.dbt_vars().get("socialroi__models")
        if models is None:
            models = dbt_var_defaults()["socialroi__models"]
        return list(models)

    def dbt_vars(self, month: str | None = None) -> dict[str, Any]:
        """The vars dbt needs: pipeline settings its models read, attribution overrides, the month."""
        out: dict[str, Any] = {
            "socialroi__reporting_currency": self.reporting_currency,
            "socialroi__reporting_timezone": self.reporting_timezone,
            "socialroi__order_source": self.order_source,
            "socialroi__own_domains": list(self.own_domains),
            "socialroi__payment_referrers": list(self.payment_referrers),
            # int_order_persons' published customer_key: a secret of its own, derived from the salt (a
            # customer key reveals nothing of the salt that hashes emails)
            "socialroi__customer_key_salt": hashlib.sha256(f"{self.salt}:customer_key".encode()).hexdigest(),
        }
        for key, value in self.attribution.items():
            out[key if key.startswith("socialroi__") else f"socialroi__{key}"] = value
        if month:
            out["socialroi__month"] = month
        return out


def dbt_var_defaults() -> dict[str, Any]:
    """The dbt vars dbt_project.yml declares, with their defaults."""
    return yaml.safe_load((DBT_DIR / "dbt_project.yml").read_text())["vars"]


def config_path() -> Path:
    return Path(os.environ.get("SOCIALROI_CONFIG", PROJECT_DIR / "socialroi.yml"))


# SOCIALROI_ names that are not settings of socialroi.yml but are read elsewhere
_OTHER_ENV = ("SALT", "CONFIG", "ATTRIBUTION", "RESTATEMENT_REASON")
_OTHER_ENV_PREFIXES = ("DEMO_", "PG_")


def _warn_unknown_env() -> None:
    # a misspelt override (SOCIALROI_REPORTING_CURENCY) would otherwise be ignored without a word
    for name in sorted(os.environ):
        key = name.removeprefix("SOCIALROI_")
        if (name.startswith("SOCIALROI_") and key.lower() not in _KNOWN and key not in _OTHER_ENV
                and not key.startswith(_OTHER_ENV_PREFIXES)):
            log.warning("%s is not a socialroi setting (known: %s): ignored", name,
                        ", ".join(f"SOCIALROI_{k.upper()}" for k in sorted(_KNOWN)))


def _string_list(key: str, value: Any, path: Path) -> tuple[str, ...]:
    # a list setting: a YAML list of names, or one string of comma-separated names (as the env var takes
    # it); a bare string was read letter by letter before
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"{path}: {key} must be a list of names such as [a, b], not {value!r}")
    return tuple(value)


def load(path: Path | None = None) -> Settings:
    """Read the config file, apply SOCIALROI_<KEY> overrides, validate, resolve paths."""
    path = path or config_path()
    raw: dict[str, Any] = {}
    if not path.exists() and os.environ.get("SOCIALROI_CONFIG"):
        # a named settings file that is not there is an error, not the defaults (no expected sources, no own domains)
        raise SettingsError(f"SOCIALROI_CONFIG names {path}, which does not exist")
    if path.exists():
        try:
            raw = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path} is not valid YAML: {' '.join(str(exc).split())}") from exc
        if not isinstance(raw, dict):
            raise SettingsError(f"{path} must be a mapping of settings, not {type(raw).__name__}")
    _warn_unknown_env()
    unknown = set(raw) - _KNOWN
    if unknown:
        raise SettingsError(f"{path}: unknown setting(s) {sorted(unknown)}; known: {sorted(_KNOWN)}")
    for key in _KNOWN - {"attribution"}:
        env = os.environ.get(f"SOCIALROI_{key.upper()}")
        if env is not None:
            raw[key] = [v.strip() for v in env.split(",") if v.strip()] if key in _LIST_KEYS else env
    env = os.environ.get("SOCIALROI_ATTRIBUTION")
    if env:  # a YAML mapping, e.g. '{lookback_days: 14}': its keys override the file's
        try:
            overrides = yaml.safe_load(env)
        except yaml.YAMLError as exc:
            raise SettingsError(f"SOCIALROI_ATTRIBUTION must be a YAML mapping such as '{{lookback_days: 14}}': {exc}") from exc
        if not isinstance(overrides, dict):
            raise SettingsError(f"SOCIALROI_ATTRIBUTION must be a YAML mapping such as '{{lookback_days: 14}}', not {env!r}")
        from_file = raw.get("attribution")
        raw["attribution"] = {**from_file, **overrides} if isinstance(from_file, dict) else overrides
    base = path.parent if path.exists() else PROJECT_DIR
    values: dict[str, Any] = {}
    for key in _PATH_KEYS:
        p = Path(os.path.expanduser(str(raw.get(key, f"data/{key}"))))
        values[key] = (p if p.is_absolute() else base / p).resolve()
    for key in _LIST_KEYS:
        values[key] = _string_list(key, raw.get(key), path)
    values["reporting_timezone"] = str(raw.get("reporting_timezone", "UTC"))
    values["reporting_currency"] = str(raw.get("reporting_currency", "USD")).upper()
    try:
        values["grace_days"] = int(raw.get("grace_days", 2))
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"grace_days must be a whole number of days: {exc}") from exc
    if not 0 <= values["grace_days"] <= MAX_GRACE_DAYS:
        raise SettingsError(f"grace_days must be between 0 and {MAX_GRACE_DAYS} (the close runs on day grace_days + 1, "
                            f"which every month has), not {values['grace_days']}")
    try:
        zoneinfo.ZoneInfo(values["reporting_timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"reporting_timezone must be an IANA time zone such as Europe/Berlin, "
                            f"not {values['reporting_timezone']!r}") from exc
    values["order_source"] = str(raw.get("order_source", "shopify"))
    if values["order_source"] not in ORDER_SOURCES:
        raise SettingsError(f"order_source must be one of {ORDER_SOURCES}, not {values['order_source']!r}")
    if len(values["reporting_currency"]) != 3:
        raise SettingsError(f"reporting_currency must be an ISO 4217 code, not {values['reporting_currency']!r}")
    values["memory_limit"] = str(raw.get("memory_limit", "2GB")).replace(" ", "")
    if not re.fullmatch(r"\d+(\.\d+)?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", values["memory_limit"], re.IGNORECASE):
        raise SettingsError(f"memory_limit must be an amount such as 2GB or 1500MB, not {values['memory_limit']!r}")
    values["attribution"] = _attribution(raw.get("attribution"), path, from_env=set(overrides) if env else None)
    return Settings(**values)


def _attribution(raw: Any, path: Path, from_env: set[str] | None = None) -> dict[str, Any]:
    """The `attribution:` overrides (socialroi.yml's, with SOCIALROI_ATTRIBUTION's keys over them): each key
    one of dbt_project.yml's declared socialroi__ vars (with or without the prefix), so that a misspelt key
    is an error rather than a var dbt never reads, and every effective value (override or default) allowed
    by _ATTRIBUTION_RULES."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: attribution must be a mapping of dbt var names to values, not {raw!r}")
    declared = dbt_var_defaults()
    unknown = sorted(k for k in raw if (k if str(k).startswith("socialroi__") else f"socialroi__{k}") not in declared)
    if unknown:
        known = sorted(k.removeprefix("socialroi__") for k in declared)
        raise SettingsError(f"{path}: unknown attribution setting(s) {unknown}; known: {known}")
    names: dict[str, Any] = {}  # unprefixed name -> the key as written
    for key in raw:
        name = str(key).removeprefix("socialroi__")
        if name in names:
            raise SettingsError(f"{path}: attribution setting {name} is given twice, as {names[name]!r} and {key!r}")
        names[name] = key
    env_keys = from_env or set()

    def origin(name: str) -> str:
        if name not in names:
            return f"{DBT_DIR / 'dbt_project.yml'} (the default of socialroi__{name})"
        return "SOCIALROI_ATTRIBUTION" if names[name] in env_keys else f"{path} (attribution:)"

    effective = {k.removeprefix("socialroi__"): v for k, v in declared.items()}
    effective.update({name: raw[key] for name, key in names.items()})
    checked = _check_attribution(effective, origin)
    # the overrides as given, their values normalised (30.0 days -> 30)
    return {key: checked.get(name, raw[key]) for name, key in names.items()}


class _Refused(ValueError):
    """A value one of _ATTRIBUTION_RULES refuses; the message says what is allowed."""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _whole(minimum: int, what: str = "a whole number") -> Callable[[Any], int]:
    def rule(value: Any) -> int:
        # 30.0 is 30; 1.5 is refused, not truncated (the SQL cuts view_through_days with `| int`)
        if _number(value) and float(value).is_integer() and value >= minimum:
            return int(value)
        raise _Refused(f"{what} >= {minimum}")
    return rule


def _one_of(choices: Callable[[], tuple[str, ...]]) -> Callable[[Any], str]:
    def rule(value: Any) -> str:
        if isinstance(value, str) and value in choices():
            return value
        raise _Refused(f"one of {list(choices())}")
    return rule


def _max_steps(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return _whole(1)(value)
    except _Refused:
        raise _Refused("null (no cap) or a whole number >= 1") from None


def _half_life(value: Any) -> float:
    if _number(value) and value > 0:
        return value
    raise _Refused("a number of days > 0")


def _share(value: Any) -> float:
    if _number(value) and 0 <= value <= 1:
        return value
    raise _Refused("a share between 0 and 1")


def _models(value: Any) -> list[str]:
    if (isinstance(value, list | tuple) and value and len(set(map(str, value))) == len(value)
            and all(isinstance(m, str) and m in ATTRIBUTION_MODELS for m in value)):
        return list(value)
    raise _Refused(f"a non-empty list, without repeats, of {list(ATTRIBUTION_MODELS)}")


def _boolean(value: Any) -> bool:
    # strictly a YAML boolean: the SQL tests it with `if var(...)`, where the string 'false' is true
    if isinstance(value, bool):
        return value
    raise _Refused("true or false")


def _model_names(value: Any) -> list[str]:
    # dbt model names for `ref()`; the SQL adds the list to its own (a string there is a type error)
    if isinstance(value, list | tuple) and len(set(value)) == len(value) and all(
            isinstance(m, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", m) for m in value):
        return list(value)
    raise _Refused("a list, without repeats, of dbt model names (e.g. [stg_my_feed__sessions])")


def _transforms() -> tuple[str, ...]:
    from socialroi.attribution.paths import TRANSFORMS  # imported when used: the package imports numpy

    return TRANSFORMS


# one rule per attribution setting (README "Settings"), checked when settings load
_ATTRIBUTION_RULES: dict[str, Callable[[Any], Any]] = {
    "lookback_days": _whole(1, "a whole number of days"),
    "view_through_days": _whole(0, "a whole number of days"),
    "max_steps": _max_steps,
    "path_transform": _one_of(_transforms),
    "channel_unit": _one_of(lambda: CHANNEL_UNITS),
    "max_channels": _whole(1),
    "markov_order": _whole(1),
    "fit_months": _whole(1),
    "time_decay_half_life_days": _half_life,
    "position_first": _share,
    "position_last": _share,
    "models": _models,
    "click_id_max_cookies": _whole(1),
    "open_journeys_after_conversion": _boolean,
    "promo_codes_as_touch": _boolean,
    "extra_session_models": _model_names,
    "extra_ad_stats_models": _model_names,
    "extra_post_stats_models": _model_names,
}


def _check_attribution(values: dict[str, Any], origin: Callable[[str], str]) -> dict[str, Any]:
    """The effective attribution settings (unprefixed name -> value) checked by _ATTRIBUTION_RULES, then the
    position shares by the position-based model's own rule; returns the checked values, normalised."""
    from socialroi.attribution.heuristics import check_position_shares

    out: dict[str, Any] = {}
    for name, rule in _ATTRIBUTION_RULES.items():
        value = values.get(name)
        try:
            out[name] = rule(value)
        except _Refused as exc:
            raise SettingsError(f"{origin(name)}: attribution setting {name} must be {exc}, not {value!r}") from None
    first, last = out["position_first"], out["position_last"]
    try:
        check_position_shares(first, last)
    except ValueError as exc:
        where = origin("position_first") if origin("position_first") == origin("position_last") else \
            f"{origin('position_first')}, {origin('position_last')}"
        rule = str(exc).replace("first and last", "position_first and position_last").replace(
            "first + last", "position_first + position_last")
        raise SettingsError(f"{where}: attribution settings position_first {first!r} and position_last {last!r}: "
                            f"{rule}") from None
    return out
