"""``geo:`` URIs (RFC 5870) and map links (Google, OpenStreetMap, Yandex, Apple, Bing, Waze,
HERE, plus.codes).

Each link is one location whose ``text`` is the whole link, so coordinates inside it are
never reported twice. Every point a link carries is read; the *preferred* one is the
marker the link shows, the others (usually the viewport centre) are alternatives:

=============  =====================================================  ==================
provider       preferred → other points                               order in the link
=============  =====================================================  ==================
Google Maps    ``!3d…!4d…`` (place pin), ``q=`` / ``query=`` /         lat, lon
               ``destination=`` / ``daddr=``, ``ll=`` / ``sll=`` /
               ``cbll=`` / ``viewpoint=`` / ``center=``, ``/@lat,lon,z``
               (viewport), ``/place/…`` or ``/search/…`` written as
               coordinates
OpenStreetMap  ``mlat=``/``mlon=`` (marker), ``#map=z/lat/lon``,        lat, lon
               ``lat=``/``lon=``, ``query=``
Yandex Maps    ``pt=`` (markers), ``whatshere[point]=``, ``ll=``          **lon, lat**
               (centre), ``sll=``; ``text=`` written as coordinates      (``text``: lat, lon)
Apple Maps     ``coordinate=``, ``q=``, ``ll=``, ``sll=``, ``center=``,    lat, lon
               ``daddr=``
Bing Maps      ``sp=point.lat_lon``, ``where1=``, ``q=``, ``cp=lat~lon``   lat, lon
Waze           ``ll=``, ``latlng=``, ``to=ll.lat,lon``                     lat, lon
HERE           ``map=lat,lon,zoom``                                       lat, lon
plus.codes     ``/FULLCODE``                                              (plus code)
=============  =====================================================  ==================

A ``geo:`` URI ``geo:lat,lon[,alt][;crs=wgs84][;u=metres]`` gives ``precision_m`` as the
larger of its ``u=`` uncertainty and the notation's half-step; another ``crs`` is a
diagnostic, not a location. The Android form ``geo:0,0?q=lat,lon(label)`` is read from
``q``. Short links (``goo.gl/maps``, ``maps.app.goo.gl``, ``yandex.ru/maps/-/``) carry no
coordinates and would need the network: they are reported as diagnostics.

Links are found from their scheme (``https://``), from ``www.``, and — for the map hosts
above — without either (``google.com/maps/@…``, ``maps.apple.com/?ll=…``). Any other URL
is recorded only so that numbers inside it (status IDs, tracking parameters) are not taken
for coordinates.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, unquote_plus, urlsplit

from geoverify.model import Location, Reading
from geoverify.notation._geodesy import half_step_m
from geoverify.notation._results import Diagnostic

__all__ = ["find_urls", "parse_map_url"]

_URL_BODY = re.compile(r"[^\s<>\"`…“”«»\u2028\u2029]+")
_TRAILING = ".,;:!?'’\")]}*"
_SCHEME = re.compile(r"(?i)(?<![\w.+\-])(https?)://$")

_NUM = r"[-+]?\d{1,3}(?:\.\d+)?"
_PAIR_RX = {
    ",": re.compile(rf"\s*({_NUM})\s*,\s*({_NUM})"),
    "~": re.compile(rf"\s*({_NUM})\s*~\s*({_NUM})"),
    "_": re.compile(rf"\s*({_NUM})_({_NUM})"),
    "/": re.compile(rf"\s*({_NUM})/({_NUM})"),
}
_AT = re.compile(rf"/@({_NUM}),({_NUM})(?:,|$|/|\?)")
_PIN = re.compile(rf"!3d({_NUM})!4d({_NUM})")
_OSM_MAP = re.compile(rf"(?:^|&)map=\d{{1,2}}(?:\.\d+)?/({_NUM})/({_NUM})")

_GEO = re.compile(
    rf"""(?<![\w.+\-])(?P<scheme>[Gg][Ee][Oo]):
    (?P<lat>{_NUM}),(?P<lon>{_NUM})(?:,(?P<alt>[-+]?\d+(?:\.\d+)?))?
    (?P<params>(?:;[A-Za-z0-9\-]+(?:=[A-Za-z0-9\-_.!~*'()%:@&=+$,/\[\]]*)?)*)
    (?:\?(?P<query>[^\s<>"`…“”«»]*))?""",
    re.VERBOSE,
)

_SHORT_LINK_HOSTS = ("goo.gl", "maps.app.goo.gl", "g.co", "osm.org/go", "yandex.ru/maps/-")


def _tokens_step(a: str, b: str) -> tuple[float, float]:
    def step(tok: str) -> float:
        i = tok.find(".")
        return 10.0 ** -(len(tok) - i - 1) if i >= 0 else 1.0

    return step(a), step(b)


class _Points:
    """Points found in one link, in order of preference: (lat, lon, description, precision_m)."""

    def __init__(self):
        self.items: list[tuple[float, float, str, float]] = []
        self.errors: list[str] = []

    def add(self, lat_tok: str, lon_tok: str, desc: str) -> None:
        lat, lon = float(lat_tok), float(lon_tok)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.errors.append(f"{desc}: {lat_tok}, {lon_tok} is out of range")
            return
        s_lat, s_lon = _tokens_step(lat_tok, lon_tok)
        self.items.append((lat, lon, desc, half_step_m(lat, s_lat, s_lon)))

    def add_pair(self, value: str, desc: str, sep: str = ",", lon_first: bool = False) -> bool:
        m = _PAIR_RX[sep].match(value)
        if m is None:
            return False
        a, b = m.group(1), m.group(2)
        if lon_first:
            a, b = b, a
        self.add(a, b, desc)
        return True

    def add_text(self, value: str, desc: str) -> None:
        """A search text: coordinates in any notation, or a full plus code."""
        value = value.strip()
        if value.lower().startswith("loc:"):
            value = value[4:]
        if not value or not any(ch.isdigit() for ch in value):
            return
        from geoverify.notation.coordinates import parse_coordinates

        loc = parse_coordinates(value)
        if loc is not None:
            self.items.append((loc.lat, loc.lon, desc, loc.precision_m))
            return
        code = value.split()[0]
        if "+" in code:
            from openlocationcode import openlocationcode as olc

            from geoverify.notation.pluscodes import decode_full

            if olc.isFull(code):
                lat, lon, precision, norm = decode_full(code)
                self.items.append((lat, lon, f"{desc} (plus code {norm})", precision))


def _first(query: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    wanted = {n.lower() for n in names}
    return [(k, v) for k, v in query if k.lower() in wanted]


def _google(host, path, query, fragment, pts: _Points) -> None:
    raw = unquote(path)
    for m in _PIN.finditer(raw + "&" + "&".join(f"{k}={v}" for k, v in query)):
        pts.add(m.group(1), m.group(2), "place pin (!3d/!4d)")
        break
    for k, v in _first(query, "q", "query", "destination", "daddr"):
        pts.add_text(v, f"query ({k}=)")
    for k, v in _first(query, "ll", "sll", "cbll", "viewpoint", "center"):
        pts.add_pair(v, f"map point ({k}=)")
    m = _AT.search(raw)
    if m:
        pts.add(m.group(1), m.group(2), "map viewport centre (@)")
    seg = re.search(r"/maps/(?:place|search)/([^/]+)", path)
    if seg:
        pts.add_text(unquote_plus(seg.group(1)), "place name written as coordinates")


def _osm(host, path, query, fragment, pts: _Points) -> None:
    q = dict((k.lower(), v) for k, v in query)
    if "mlat" in q and "mlon" in q:
        pts.add(q["mlat"].strip(), q["mlon"].strip(), "marker (mlat/mlon)")
    m = _OSM_MAP.search(fragment)
    if m:
        pts.add(m.group(1), m.group(2), "map view (#map=)")
    if "lat" in q and "lon" in q:
        pts.add(q["lat"].strip(), q["lon"].strip(), "map view (lat/lon)")
    if "query" in q:
        pts.add_text(q["query"], "search (query=)")


def _yandex(host, path, query, fragment, pts: _Points) -> None:
    for _, v in _first(query, "pt"):
        for i, point in enumerate(v.split("~")):
            pts.add_pair(point, "marker (pt=, lon,lat)" if i == 0 else f"marker {i + 1} (pt=)", lon_first=True)
    for _, v in _first(query, "whatshere[point]"):
        pts.add_pair(v, "point (whatshere, lon,lat)", lon_first=True)
    for _, v in _first(query, "text"):
        pts.add_text(v, "search (text=)")
    for _, v in _first(query, "ll"):
        pts.add_pair(v, "map centre (ll=, lon,lat)", lon_first=True)
    for _, v in _first(query, "sll"):
        pts.add_pair(v, "search centre (sll=, lon,lat)", lon_first=True)


def _apple(host, path, query, fragment, pts: _Points) -> None:
    for _, v in _first(query, "coordinate"):
        pts.add_pair(v, "place (coordinate=)")
    for k, v in _first(query, "q", "daddr", "destination"):
        pts.add_text(v, f"query ({k}=)")
    for _, v in _first(query, "ll"):
        pts.add_pair(v, "map point (ll=)")
    for k, v in _first(query, "sll", "center"):
        pts.add_pair(v, f"map centre ({k}=)")


def _bing(host, path, query, fragment, pts: _Points) -> None:
    for _, v in _first(query, "sp"):
        m = re.match(rf"point\.({_NUM})_({_NUM})", v)
        if m:
            pts.add(m.group(1), m.group(2), "pushpin (sp=point.)")
    for k, v in _first(query, "where1", "q"):
        pts.add_text(v, f"query ({k}=)")
    for _, v in _first(query, "cp"):
        pts.add_pair(v, "map centre (cp=)", sep="~")


def _waze(host, path, query, fragment, pts: _Points) -> None:
    for k, v in _first(query, "ll", "latlng"):
        pts.add_pair(v, f"point ({k}=)")
    for _, v in _first(query, "to"):
        if v.startswith("ll."):
            pts.add_pair(v[3:], "destination (to=ll.)")


def _here(host, path, query, fragment, pts: _Points) -> None:
    for _, v in _first(query, "map"):
        pts.add_pair(v, "map centre (map=)")


def _pluscodes_site(host, path, query, fragment, pts: _Points) -> None:
    pts.add_text(unquote(path.lstrip("/")), "plus code")


def _provider(host: str, path: str):
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    p = path.lower()
    if re.search(r"(^|\.)google\.[a-z]{2,3}(\.[a-z]{2})?$", host):
        if host.startswith("maps.") or p.startswith("/maps"):
            return "Google Maps", _google
        return None
    if host in ("openstreetmap.org", "osm.org") or host.endswith(".openstreetmap.org"):
        return "OpenStreetMap", _osm
    if re.search(r"(^|\.)yandex\.(ru|com|by|kz|ua|uz|az|com\.tr|com\.am|com\.ge|co\.il|fr)$", host):
        if host.startswith("maps.") or p.startswith("/maps") or p.startswith("/web-maps"):
            return "Yandex Maps", _yandex
        return None
    if host in ("maps.apple.com", "maps.apple", "beta.maps.apple.com"):
        return "Apple Maps", _apple
    if re.search(r"(^|\.)bing\.com$", host) and p.startswith("/maps"):
        return "Bing Maps", _bing
    if re.search(r"(^|\.)waze\.com$", host):
        return "Waze", _waze
    if re.search(r"(^|\.)here\.com$", host) or host == "wego.here.com":
        return "HERE", _here
    if host == "plus.codes":
        return "plus.codes", _pluscodes_site
    return None


def parse_map_url(url: str) -> Location | Diagnostic | None:
    """Read one map link (or ``geo:`` URI) on its own.

    Returns a ``map-url``/``geo-uri`` :class:`~geoverify.model.Location` (offsets into
    ``url``), a :class:`~geoverify.notation.Diagnostic` when the link is a map link
    whose point cannot be used, or ``None`` when it is not a map link.
    """
    if url[:4].lower() == "geo:":
        m = _GEO.match(url)
        return _geo_location(url, m) if m else None
    return _map_location(url, 0, len(url))


# Hosts worth parsing (a cheap test before urlsplit); matched at a URL's start in the text.
_MAP_HOSTS = re.compile(
    r"(?i)(?:https?://)?[^/?#]*(?:google\.|openstreetmap\.|osm\.org|yandex\.|maps\.apple|"
    r"bing\.com|waze\.com|here\.com|plus\.codes|goo\.gl|g\.co)"
)


# A link's scheme and host: everything _MAP_HOSTS can match lies inside it (none of the host names
# it looks for has a "/", "?" or "#", and without its scheme an "http://" link reaches only
# "http:"), so _MAP_HOSTS.match(text, start, end) is _MAP_HOSTS.match(head) for this head. A text
# repeats its hosts (thousands of twitter.com links): the answer is kept per head.
_HOST_PART = re.compile(r"(?i:https?://)?[^/?#]*")  # (case-blind only where case can matter: faster)
_HOST_MEMO: dict[str, bool] = {}
_HOST_MEMO_SIZE = 4096


def _may_be_map_host(text: str, start: int, end: int) -> bool:
    """``_MAP_HOSTS.match(text, start, end) is not None``, read once per distinct scheme and host."""
    m = _HOST_PART.match(text, start, end)  # (always matches: every part is optional)
    head = text[start : m.end() if m is not None else end]
    hit = _HOST_MEMO.get(head)
    if hit is None:
        hit = _MAP_HOSTS.match(head) is not None
        if len(_HOST_MEMO) >= _HOST_MEMO_SIZE:
            _HOST_MEMO.clear()
        _HOST_MEMO[head] = hit
    return hit


def _map_location(text: str, start: int, end: int) -> Location | Diagnostic | None:
    if not _may_be_map_host(text, start, end):  # most URLs: no copy of the URL made
        return None
    url = text[start:end]
    try:
        parts = urlsplit(url if "://" in url else "https://" + url)
        host = parts.hostname or ""
    except ValueError:
        return None
    low = (host + parts.path).lower()
    if host.lower() in ("goo.gl", "maps.app.goo.gl") and (
        host.lower() == "maps.app.goo.gl" or parts.path.startswith("/maps")
    ):
        return Diagnostic(url, start, end, "short map link: its coordinates can only be read by following it online")
    if low.startswith("yandex.ru/maps/-/") or low.startswith("osm.org/go/"):
        return Diagnostic(url, start, end, "short map link: its coordinates can only be read by following it online")
    found = _provider(host, parts.path)
    if found is None:
        return None
    name, handler = found
    query = parse_qsl(parts.query, keep_blank_values=True)
    pts = _Points()
    try:
        handler(host, parts.path, query, parts.fragment, pts)
    except (ValueError, IndexError):
        pass
    if not pts.items:
        if pts.errors:
            return Diagnostic(url, start, end, f"{name} link: " + "; ".join(pts.errors))
        return None
    lat, lon, desc, precision = pts.items[0]
    alternatives = []
    seen = {(round(lat, 7), round(lon, 7))}
    for a, b, d, _ in pts.items[1:]:
        key = (round(a, 7), round(b, 7))
        if key in seen:
            continue
        seen.add(key)
        alternatives.append(Reading(a, b, f"{name} {d}"))
    warnings = [f"{name} link: " + e for e in pts.errors]
    return Location(
        lat=lat,
        lon=lon,
        kind="map-url",
        text=url,
        start=start,
        end=end,
        precision_m=precision,
        reading=f"{name} {desc}",
        alternatives=alternatives,
        warnings=warnings,
    )


def _geo_location(text: str, m: re.Match) -> Location | Diagnostic | None:
    start, end = m.span()
    # drop trailing punctuation that belongs to the sentence
    while (
        end > start
        and text[end - 1] in _TRAILING
        and not (text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"))
    ):
        end -= 1
    uri = text[start:end]
    params = {}
    for p in (m.group("params") or "").split(";")[1:]:
        k, _, v = p.partition("=")
        params[k.lower()] = unquote(v)
    crs = params.get("crs", "wgs84").lower()
    if crs != "wgs84":
        return Diagnostic(uri, start, end, f"geo: URI uses crs={crs}; only wgs84 is supported")
    lat_tok, lon_tok = m.group("lat"), m.group("lon")
    reading = "geo: URI (RFC 5870)"
    query = m.group("query") or ""
    if float(lat_tok) == 0 and float(lon_tok) == 0 and query:
        q = dict(parse_qsl(query.split("#")[0], keep_blank_values=True))
        qm = _PAIR_RX[","].match(q.get("q", ""))
        if qm:
            lat_tok, lon_tok = qm.group(1), qm.group(2)
            reading = "geo: URI, Android query (geo:0,0?q=lat,lon)"
    lat, lon = float(lat_tok), float(lon_tok)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return Diagnostic(uri, start, end, f"geo: URI point {lat_tok}, {lon_tok} is out of range")
    s_lat, s_lon = _tokens_step(lat_tok, lon_tok)
    precision = half_step_m(lat, s_lat, s_lon)
    warnings = []
    if "u" in params:
        try:
            u = float(params["u"])
        except ValueError:
            warnings.append(f"geo: URI uncertainty u={params['u']!r} is not a number")
        else:
            precision = max(precision, u)
            reading += f", uncertainty {params['u']} m"
    return Location(
        lat=lat,
        lon=lon,
        kind="geo-uri",
        text=uri,
        start=start,
        end=end,
        precision_m=precision,
        reading=reading,
        warnings=warnings,
    )


def _url_end(text: str, start: int, limit: int) -> int:
    m = _URL_BODY.match(text, start, limit)
    end = m.end() if m else start
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return end


_BARE_HOST = re.compile(r"(?i)[a-z0-9][a-z0-9.\-]*\.[a-z]{2,}(?:[/?#]|$)")
_TOKEN_STOP = frozenset(" \t\r\n<>\"'`()[]{}…“”«»")


def _bare_link_start(text: str, h: int) -> int | None:
    """Start of the whitespace-delimited token around ``h`` if it begins with a host name."""
    start = h
    while start > 0 and h - start < 100 and text[start - 1] not in _TOKEN_STOP:
        start -= 1
    if "://" in text[start:h] or _BARE_HOST.match(text, start) is None:
        return None
    return start


def find_urls(text: str, hits=None):
    """Find map links, ``geo:`` URIs and the extent of every other URL.

    Parameters
    ----------
    text : str
    hits : list of int, optional
        Offsets of ``://``, ``www.``, ``geo:`` and of map-host names written without a
        scheme, sorted and without repeats (the prefilter's); found here if omitted.

    Returns
    -------
    (locations, diagnostics, spans)
        ``map-url`` and ``geo-uri`` locations, diagnostics for map links that cannot be
        used, and the (start, end) of every URL and URI found (map link or not).
    """
    if hits is None:
        hits = sorted(
            {m.start() for m in re.finditer(r"://|www\.|[Gg][Ee][Oo]:|maps|streetmap\.|osm\.org|plus\.codes", text)}
        )
    locations: list[Location] = []
    diagnostics: list[Diagnostic] = []
    spans: list[tuple[int, int]] = []
    n = len(text)
    covered_to = -1
    for h in hits:
        if h < covered_to:
            continue
        if text.startswith("://", h):
            m = _SCHEME.search(text, max(0, h - 6), h + 3)
            if m is None:
                continue
            start = m.start()
        elif text.startswith("www.", h):
            if h > 0 and (text[h - 1].isalnum() or text[h - 1] in "./@-_"):
                continue
            start = h
        elif text[h : h + 4].lower() == "geo:":
            g = _GEO.match(text, h)
            if g is None:
                continue
            out = _geo_location(text, g)
            _collect(out, locations, diagnostics)
            end = out.end if out is not None else g.end()
            spans.append((h, end))
            covered_to = end
            continue
        else:  # a map host without a scheme: google.com/maps/..., maps.apple.com/...
            start = _bare_link_start(text, h)
            if start is None:
                continue
            end = _url_end(text, start, n)
            out = _map_location(text, start, end) if end - start >= 8 else None
            if out is not None:
                spans.append((start, end))
                covered_to = end
                _collect(out, locations, diagnostics)
            continue
        end = _url_end(text, start, n)
        if end - start < 8:
            continue
        spans.append((start, end))
        covered_to = end
        out = _map_location(text, start, end)
        if out is not None:
            _collect(out, locations, diagnostics)
    return locations, diagnostics, spans


def _collect(out, locations: list, diagnostics: list) -> None:
    if isinstance(out, Location):
        locations.append(out)
    elif isinstance(out, Diagnostic):
        diagnostics.append(out)
