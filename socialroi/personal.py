"""What personal data looks like, in one place: the ingest's scrubbing of free text, the gate's scan of
the published marts and the redaction of quarantine messages all use these patterns.

Columns a contract marks `pii: hash` (emails, phones) are hashed at ingest; names and addresses are
never read. These helpers are for the text that may carry personal data by accident: a visitor's
URL with `?email=…`, a newsletter's `utm_content=jane@example.com`, a login id that is an email, a
payment's metadata, a shifted CSV row that puts an address where an amount belongs. Like GA4's data
redaction, emails are found by shape and other personal values by the query parameter that names them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# an email address, also URL-encoded once or more (jane%40example.com, as trackers store landing URLs;
# jane%2540example.com, a URL inside another URL's parameter)
EMAIL_RE = r"[A-Za-z0-9._%+-]+(@|%(25)*40)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# a whole value that is phone-shaped: 9-15 digits with a leading + or 0, or with phone separators
PHONE_RE = r"\+?[0-9][0-9 ().\-]{7,20}[0-9]"
PHONE_SEPARATED_RE = r"(\+.*|0.*|.*[0-9][ ().\-]+[0-9].*)"
# column names that suggest personal data (the gate refuses them in published marts)
PERSONAL_COLUMN_RE = re.compile(
    r"(^|_)(e_?mail|phone|mobile|telephone|tel|first_?name|last_?name|full_?name|surname|given_?name|"
    r"family_?name|customer_?name|person_?name|contact_?name|billing_?name|shipping_?name|address|street|"
    r"zip|zip_?code|postal_?code|postcode|birth_?date|date_of_birth|dob)($|_)"
)
# query parameters whose value is personal whatever its shape (compared case-insensitively)
PERSONAL_PARAMS = (
    "email", "e-mail", "e_mail", "mail", "emailaddress", "email_address", "name", "first_name", "firstname",
    "fname", "last_name", "lastname", "lname", "full_name", "fullname", "surname", "phone", "phone_number",
    "tel", "mobile", "address", "address1", "address2", "street", "zip", "zipcode", "zip_code", "postcode",
    "postal_code", "dob", "birthday", "birthdate",
)
REDACTED_EMAIL = "redacted-email"
REDACTED_PHONE = "redacted-phone"
REDACTED = "redacted"

# a personal parameter's value: up to the next parameter, quote or space (a URL inside JSON stays JSON);
# also at the start (a query string stored without its `?`)
_PARAM_RE = r"((^|[?&#;])(" + "|".join(re.escape(p) for p in PERSONAL_PARAMS) + r")=)[^&#;\"'\s]*"
# any parameter's value (group 2), and a superset of the values that may decode to a phone number: one
# that starts with +, %, 0 or (, or with a digit and holds a separator
_PARAM_VALUE_RE = r"(^|[?&#;])[^=?&#;]*=([^?&#;]*)"
_PHONE_PARAM_RE = r"(^|[?&#;])[^=?&#;]*=(\+|%|0|\(|[1-9][^?&#;]*[-. +%])"
# a JSON object's member whose key names personal data ("customer_email", "shipping_name", ...)
_JSON_KEY_RE = (r"(\"[^\"]*(mail|phone|mobile|name|address|street|zip|post_?code|postal|birth)[^\"]*\"\s*:\s*)"
                r"\"([^\"\\]|\\.)*\"")
_EMAIL_PY = re.compile(EMAIL_RE)
# in a message, a phone number starts with + or 0, not inside a time, date or number (12:00:00, 2026-01-05);
# one starting with + may follow a comma (a CSV line: ",US,+1 415 555-0130,"), one starting with 0 not
# (a decimal comma: "12,0612345678")
_PHONE_PY = re.compile(r"((?<![0-9A-Za-z:.+/\-])\+|(?<![0-9A-Za-z:.,/\-])0)[0-9 ().\-]{7,20}[0-9](?![0-9A-Za-z])")
# one written without a prefix, in groups (303-555-0193, (303) 555-0193, 303.555.0193, 20 7946 0958): at
# least three groups of digits, so that a date (2026-01-05), a time, an amount (46177.4375) or an id stays
_PHONE_GROUPED_PY = re.compile(
    r"(?<![0-9A-Za-z:.,+/\-(])(?:\([0-9]{2,4}\)[ .\-]?|[1-9][0-9]{1,3}[ .\-])[0-9]{2,4}(?:[ .\-][0-9]{2,4})+"
    r"(?![0-9A-Za-z:\-]|\.[0-9])")


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _let(expr: str, name: str, body: Callable[[str], str]) -> str:
    """SQL: ``body`` applied to ``expr`` computed once, as a lambda's parameter ``name`` (each stage of a
    scrub names its input several times: nested as text, the stages would repeat each other's SQL, and a
    URL's scrub grew to 800 kB, which DuckDB took seconds to bind)."""
    return f"list_transform([{expr}], lambda {name}: {body(name)})[1]"


def _digit_start_separated(e: str) -> str:
    # a number written with separators and no prefix (415-555-0130, 415.555.0134, 20 7946 0958): starts
    # with a digit, has a space, dot or dash, and is long enough; a numeric id has no separators
    return (f"(left({e}, 1) between '1' and '9' and length({e}) >= 10 "
            f"and (contains({e}, '-') or contains({e}, '.') or contains({e}, ' ')))")


def _phone_shaped(e: str) -> str:
    # a CASE, not AND: DuckDB evaluates both sides of an AND in a select list, and the cheap test first
    # (a phone number starts with +, 0 or a bracket, or is a separated number; an id rarely is) spares
    # most values the regexes
    return (f"(case when left({e}, 1) in ('+', '0', '(') or {_digit_start_separated(e)} "
            f"then regexp_full_match({e}, {_lit(PHONE_RE)}) "
            f"and regexp_full_match({e}, {_lit(PHONE_SEPARATED_RE)}) "
            f"and length(regexp_replace({e}, '[^0-9]', '', 'g')) between 9 and 15 else false end)")


def _has_email_sign(e: str) -> str:
    # a cheap test first: most values have none, and skip the regular expression (%25 is an encoded %, as
    # in a twice-encoded @, %2540)
    return f"(contains({e}, '@') or contains({e}, '%40') or contains({e}, '%25'))"


def sql_has_email(e: str) -> str:
    """SQL: whether the value holds an email (also URL-encoded); the regular expression only where an @ or
    %40 is found."""
    return f"(case when {_has_email_sign(e)} then regexp_matches({e}, {_lit(EMAIL_RE)}) else false end)"


def sql_is_phone(e: str, separated: str = PHONE_SEPARATED_RE) -> str:
    """SQL: whether the whole value, trimmed, is a phone number: PHONE_RE, `separated` (ids and keys pass a
    stricter rule), 9-15 digits; the regular expressions only on a value of 9 bytes or more whose first
    character (a space, + or digit) is below ':'."""
    return (f"(case when strlen({e}) >= 9 and {e} < ':' then regexp_full_match(trim({e}), {_lit(PHONE_RE)}) "
            f"and regexp_full_match(trim({e}), {_lit(separated)}) "
            f"and length(regexp_replace({e}, '[^0-9]', '', 'g')) between 9 and 15 else false end)")


# a phone inside prose, written with its + (or in brackets): "vip, call +1 303 555 0193 after 5"; at least
# 10 characters, as `_may_hold_embedded_phone` relies on
_EMBEDDED_PHONE_RE = r"[+(][0-9][0-9 ().\-]{7,20}[0-9]"


def _may_hold_embedded_phone(e: str) -> str:
    # cheap: a value under 10 bytes, or without a + or a bracket, holds no phone written with its prefix
    return f"(strlen({e}) >= 10 and (contains({e}, '+') or contains({e}, '(')))"


def _scrub_embedded_phones(e: str) -> str:
    # every phone inside the text written with a + or a bracket (9-15 digits) becomes `redacted-phone`
    found = (f"list_filter(regexp_extract_all({e}, {_lit(_EMBEDDED_PHONE_RE)}), "
             f"lambda p: length(regexp_replace(p, '[^0-9]', '', 'g')) between 9 and 15)")
    inner = f"list_reduce(list_prepend({e}, {found}), lambda acc, p: replace(acc, p, {_lit(REDACTED_PHONE)}))"
    # nested CASEs, not AND: DuckDB would run the regular expression on every value
    return (f"(case when {_may_hold_embedded_phone(e)} then (case when regexp_matches({e}, {_lit(_EMBEDDED_PHONE_RE)}) "
            f"then {inner} else {e} end) else {e} end)")


def sql_has_embedded_phone(e: str) -> str:
    """SQL: whether the text holds a phone number written with a + or a bracket (9-15 digits), as the scrub
    of free text finds it ("call +1 415 555 0130"); the regular expression only on values that may."""
    return f"({_scrub_embedded_phones(e)} <> {e})"


def sql_scrub_text(e: str) -> str:
    """SQL: free text (a UTM value, a discount code, an order's tags) with every email replaced by
    `redacted-email`, a whole value that is phone-shaped by `redacted-phone`, and a phone inside the text
    written with a + or a bracket ("call +1 415 555 0130") by `redacted-phone`."""
    e = _scrub_embedded_phones(e)
    return (f"case when {_has_email_sign(e)} then regexp_replace({e}, {_lit(EMAIL_RE)}, {_lit(REDACTED_EMAIL)}, 'g') "
            f"when {_phone_shaped(e)} then {_lit(REDACTED_PHONE)} else {e} end")


def _query_decoded(pv: str) -> str:
    # a parameter's value as a query string decodes it ('+' a space, then percent-decoding, as staging's
    # url_param does), except that a leading '+' stays: a phone's prefix (utm_content=+44+20+7946+0958)
    def q(x: str) -> str:
        return f"coalesce(try(url_decode(replace({x}, '+', ' '))), replace({x}, '+', ' '))"
    return f"(case when left({pv}, 1) = '+' then '+' || {q(pv + '[2:]')} else {q(pv)} end)"


def _phone_params(e: str) -> str:
    # every parameter value that is phone-shaped once percent-decoded (as staging's url_param decodes it)
    # and with a `+` read as a space too (a form-encoded query; a leading one is the number's prefix)
    # becomes `redacted-phone`: a phone typed into utm_content=%2B1%20415%20555%200130 would otherwise
    # reach a published ad id
    spaced = _query_decoded("pv")
    phones = f"list_filter(regexp_extract_all({e}, {_lit(_PARAM_VALUE_RE)}, 2), lambda pv: {_phone_shaped(spaced)})"
    rewrite = f"list_reduce({phones}, lambda acc, pv: replace(acc, '=' || pv, {_lit('=' + REDACTED_PHONE)}), {e})"
    return f"(case when regexp_matches({e}, {_lit(_PHONE_PARAM_RE)}) then {rewrite} else {e} end)"


def _may_hold_embedded_phone_in_url(e: str) -> str:
    # cheap: a phone inside a URL is written with a + or a bracket, maybe percent-encoded (%2B, %28)
    return (f"(strlen({e}) >= 10 and (contains({e}, '+') or contains({e}, '(') or contains({e}, '%2B') "
            f"or contains({e}, '%2b') or contains({e}, '%28')))")


def _embedded_phone_params(e: str) -> str:
    # every parameter value that holds a phone inside its text once decoded (q=acme+call+me+%2B1+415+555+0130,
    # msg=call+me+on+(415)+555-0130) is rewritten as its decoded text with the phone scrubbed, encoded again:
    # staging decodes it back to "acme call me redacted-phone"
    # each value with its decoded text, scrubbed: [value, decoded, scrubbed]
    triples = (f"list_transform(regexp_extract_all({e}, {_lit(_PARAM_VALUE_RE)}, 2), lambda pv: "
               + _let(_query_decoded("pv"), "dv", lambda dv: f"[pv, dv, {_scrub_embedded_phones(dv)}]") + ")")
    found = f"list_filter({triples}, lambda t: t[2] <> t[3])"
    rewrite = f"list_reduce({found}, lambda u, t: replace(u, '=' || t[1], '=' || url_encode(t[3])), {e})"
    return f"(case when {_may_hold_embedded_phone_in_url(e)} then {rewrite} else {e} end)"


def sql_scrub_note(e: str) -> str:
    """SQL: prose (an order's tags or note): scrubbed as free text (`sql_scrub_text`)."""
    return sql_scrub_text(e)


def sql_scrub_url(e: str) -> str:
    """SQL: a URL with the values of personal query parameters (PERSONAL_PARAMS, also in the fragment)
    replaced by `redacted`, a parameter value that is a phone number by `redacted-phone`, a phone inside a
    parameter's decoded text or in the path (/welcome/+1-415-555-0130) by `redacted-phone`, and every
    email (also encoded twice) replaced by `redacted-email`. UTMs and click ids stay."""
    def params(v: str) -> str:
        replaced = f"regexp_replace({v}, {_lit(_PARAM_RE)}, {_lit(chr(92) + '1' + REDACTED)}, 'gi')"
        return f"(case when regexp_matches({v}, {_lit(_PARAM_RE)}, 'i') then {replaced} else {v} end)"

    def emails(v: str) -> str:
        return (f"(case when {_has_email_sign(v)} then regexp_replace({v}, {_lit(EMAIL_RE)}, {_lit(REDACTED_EMAIL)}, 'g') "
                f"else {v} end)")

    # the stages in order, each on the one before's result: personal parameters, phone-shaped values,
    # phones inside values, phones in the path, emails
    out = e
    for i, stage in enumerate((params, _phone_params, _embedded_phone_params, _scrub_embedded_phones, emails)):
        out = _let(out, f"url_{i}", stage)
    return out


def sql_scrub_json(e: str) -> str:
    """SQL: a JSON object (a payment's metadata) with the values of personal-looking keys replaced by
    "redacted", and every email replaced by `redacted-email`."""
    keys = f"regexp_replace({e}, {_lit(_JSON_KEY_RE)}, {_lit(chr(92) + '1' + chr(34) + REDACTED + chr(34))}, 'gi')"
    return sql_scrub_text(f"(case when regexp_matches({e}, {_lit(_JSON_KEY_RE)}, 'i') then {keys} else {e} end)")


# the GA4 event parameters staging reads (stg_ga4__sessions); a form's fields (form_phone, customer_name,
# shipping_address, a message) are other parameters of the same list
GA4_PARAMS_KEPT = ("ga_session_id", "page_location", "page_referrer", "source", "medium", "campaign", "content",
                   "term", "gclid", "transaction_id")
_GA4_PARAM_TYPE = ('struct("key" varchar, "value" struct(string_value varchar, int_value bigint, '
                   'float_value double, double_value double))[]')


def sql_scrub_ga4_params(e: str) -> str:
    """SQL: a GA4 BigQuery export's `event_params` (a JSON list of {key, value}) with only the parameters
    staging reads (GA4_PARAMS_KEPT), as JSON, then scrubbed as a URL (a page_location's ?email=…). A list
    that does not read as parameters (as staging would read it) is NULL: staging could read nothing of it."""
    keys = ", ".join(_lit(k) for k in GA4_PARAMS_KEPT)
    kept = (f"cast(to_json(list_filter(try_cast(json({e}) as {_GA4_PARAM_TYPE}), "
            f"lambda p: p.\"key\" in ({keys}))) as varchar)")
    return _let(kept, "params", sql_scrub_url)


def sql_pseudonymise_id(e: str, salt: str) -> str:
    """SQL: an identifier (a tracker's user id) kept as it is, unless it is an email or a phone number:
    (or holds an email): then its salted SHA-256, normalised as `pii: hash` normalises them (an email's
    hash equals its `email_hash`, so identities still join)."""
    mail = f"lower(trim({e}))"
    digits = f"regexp_replace({e}, '[^0-9]', '', 'g')"
    return (f"case when {sql_has_email(e)} "
            f"then sha256({_lit(salt)} || {mail}) "
            f"when {_phone_shaped(e)} then sha256({_lit(salt)} || {digits}) else {e} end")


def sql_may_hold_personal(kind: str, e: str) -> str:
    """SQL: true on a superset of the values the `scrub` kind would change (cheap for text and ids): the
    loader casts a file's text as written, and scrubs only the columns where this found a value.

    It runs on every value of every scrubbed column at ingest, so its order is cheapest first: an email
    has 6 bytes or more (a@b.cd), a phone 9 digits or more and starts with +, 0, ( or a digit (all
    below ':'), so a value starting at ':' or above needs only the email test. The scrub sees the value
    trimmed where the file pads it: one that starts with a space (or a control character) is taken."""
    email = _has_email_sign(e)
    cheap = (f"(case when strlen({e}) < 6 then false when {e} < ':' then {email} or strlen({e}) >= 9 and "
             f"({e} < '!' or {e} >= '(' and {e} < ')' or {e} >= '+' and {e} < ',' or {e} >= '0' and ({e} < '1' or "
             f"contains({e}, '-') or contains({e}, '.') or contains({e}, ' '))) else {email} end)")
    if kind in ("text", "note"):
        return f"{cheap} or {_may_hold_embedded_phone(e)}"
    if kind == "url":
        return (f"{cheap} or {_may_hold_embedded_phone_in_url(e)} "
                f"or regexp_matches({e}, {_lit('(?i:' + _PARAM_RE + ')|' + _PHONE_PARAM_RE)})")
    if kind == "ga4_params":  # every list is filtered
        return "true"
    if kind == "json":
        return f"{cheap} or {_may_hold_embedded_phone(e)} or regexp_matches({e}, {_lit(_JSON_KEY_RE)}, 'i')"
    return cheap


def redact(text: str) -> str:
    """Python: a message (a quarantine reason, a log line) with emails and phone-shaped numbers masked,
    so that the ledger, the quarantine's reasons and the logs carry no personal data."""
    text = _EMAIL_PY.sub(REDACTED_EMAIL, str(text))
    text = re.sub(_PARAM_RE, r"\1" + REDACTED, text, flags=re.IGNORECASE)
    text = re.sub(_JSON_KEY_RE, r'\1"' + REDACTED + '"', text, flags=re.IGNORECASE)
    def phone(m: re.Match) -> str:
        return REDACTED_PHONE if 9 <= sum(ch.isdigit() for ch in m.group()) <= 15 else m.group()

    return _PHONE_GROUPED_PY.sub(phone, _PHONE_PY.sub(phone, text))


# words a malformed cell often holds, shown as they are ("N/A" and "-" have no run of 4 letters anyway)
_PLACEHOLDER_WORDS = {"null", "none", "nan", "true", "false", "infinity", "undefined", "missing", "unknown", "empty"}
_WORD_RE = re.compile(r"[^\W\d_]{4,}")


def cell_shown(value: object, coded: bool = False) -> object:
    """A cell that did not parse as a number, date, boolean or code, as a quarantine reason may quote it:
    as it is when it holds no word of 4 letters or more besides placeholders (12,5 · N/A · 2026-13-01 ·
    12.5% · USD 12), or, in a `coded` column (accepted values, currencies), when it is one short word
    ('impression'), or when it is a number or time and one short word (a zone: 2026-06-04 10:28:33 CEST); else
    only its shape ("a 31-character text with words, not shown"): a row shifted by a
    stray delimiter puts a name or an address where an amount belongs ("Jane Doe 12 Baker Street")."""
    if not isinstance(value, str):
        return value
    if coded and len(value) <= 20 and not any(ch.isspace() for ch in value.strip()):
        return value
    # a number or a time followed by one short word (a zone, a unit): 2026-06-04 10:28:33 CEST, 12 pcs
    lead = re.match(r"\s*[0-9][0-9\s:./,+\-T]*\s", value)
    if lead and len(value) - lead.end() <= 20 and not any(ch.isspace() for ch in value[lead.end():].strip()):
        return value
    words = [w for w in _WORD_RE.findall(value) if w.lower() not in _PLACEHOLDER_WORDS]
    return value if not words else f"a {len(value)}-character text with words, not shown"


def mask(value: object) -> str:
    """Enough of a personal-looking value to find it, not enough to publish it."""
    value = str(value)
    return value[:2] + "*" * max(3, len(value) - 2) if len(value) > 2 else "***"
