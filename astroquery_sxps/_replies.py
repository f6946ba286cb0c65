"""The shape of each API function's reply, checked before any of it is used or cached.

A reply can be valid JSON, carry ``OK`` and still be the wrong shape: a list
where a table should be, a number for a URL, a string for a block of rows.
`check_reply` looks at the fields each function's reply is read by (see
``docs/sxps/api_protocol.rst``) and raises
`~astroquery_sxps.exceptions.SXPSResponseError` naming the function and the
field. The transport runs it on every reply (`astroquery_sxps._transport`), so
such a reply is never cached and never reaches a parser.

Only shapes are checked here, permissively (every form the server is known to
send is accepted, unknown keys are ignored); values are the parsers' business.
"""
import numbers

from ._files import is_url
from .exceptions import SXPSResponseError

__all__ = ["check_reply"]

_NUMBER = (numbers.Real,)
_TEXT = (str,)
_SCALAR = (str, numbers.Real, type(None))
_NAMES = {list: "a list", dict: "an object", str: "a string", numbers.Real: "a number",
          type(None): "null", bool: "true/false"}


def _describe(kinds):
    return " or ".join(_NAMES.get(k, k.__name__) for k in kinds)


def _bad(api_func, field, value, kinds):
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    raise SXPSResponseError(f"The reply to {api_func} has a {field!r} that is not "
                            f"{_describe(kinds)}: {shown}.", api_func=api_func, field=field)


def _expect(api_func, holder, key, kinds, *, field=None, required=False):
    """``holder[key]`` must be one of ``kinds`` (absent is fine unless ``required``)."""
    if key not in holder:
        if required:
            raise SXPSResponseError(f"The reply to {api_func} lacks {field or key!r}.",
                                    api_func=api_func, field=field or key)
        return None
    value = holder[key]
    if isinstance(value, bool) and bool not in kinds:
        _bad(api_func, field or key, value, kinds)
    if not isinstance(value, kinds):
        _bad(api_func, field or key, value, kinds)
    return value


def _each(api_func, items, kinds, field):
    for i, item in enumerate(items):
        if isinstance(item, bool) and bool not in kinds or not isinstance(item, kinds):
            _bad(api_func, f"{field}[{i}]", item, kinds)


def _records(api_func, holder, key, field=None):
    """A list of records (objects), as tables are sent."""
    rows = _expect(api_func, holder, key, (list, type(None)), field=field)
    if rows:
        _each(api_func, rows, (dict,), field or key)
    return rows


def _position(api_func, holder, field_prefix=""):
    for key in ("RA", "Decl"):
        _expect(api_func, holder, key, _SCALAR, field=field_prefix + key)


# -- one function each -------------------------------------------------------------------
def _source_info(api_func, reply):
    record = reply
    if "data" in reply:
        record = _expect(api_func, reply, "data", (dict,))
    if "newerSources" in record:
        _records(api_func, record, "newerSources")
        return
    _position(api_func, record)
    for block in ("Detections", "NonDetections"):
        value = _expect(api_func, record, block, (dict, type(None)))
        for table in ("Observations", "Stacks"):
            if value:
                _records(api_func, value, table, field=f"{block}.{table}")
    _records(api_func, record, "CrossMatch")


def _trans_info(api_func, reply):
    _position(api_func, reply)
    for key in ("AllNewObs", "AllNewTargs"):
        values = _expect(api_func, reply, key, (list, type(None)))
        if values:
            _each(api_func, values, _SCALAR, key)


def _trans_as_sources(api_func, reply):
    lookup = _expect(api_func, reply, "lookup", (dict, type(None)), required=True)
    for key, value in (lookup or {}).items():
        if isinstance(value, bool) or not isinstance(value, _SCALAR):
            _bad(api_func, f"lookup[{key!r}]", value, _SCALAR)


def _lightcurve(api_func, reply):
    if "newerSources" in reply:
        _records(api_func, reply, "newerSources")
    names = _expect(api_func, reply, "Datasets", (list, type(None)))
    for key in ("TimeFormat", "Binning"):
        _expect(api_func, reply, key, (str, type(None)))
    _expect(api_func, reply, "T0", _SCALAR)
    for name in names or []:
        if not isinstance(name, str):
            _bad(api_func, "Datasets", name, _TEXT)
        block = _expect(api_func, reply, f"{name}Data", (dict,))
        if block is None:
            continue
        columns = _expect(api_func, block, "columns", (list,), field=f"{name}Data.columns",
                          required=True)
        _each(api_func, columns, _TEXT, f"{name}Data.columns")
        rows = _expect(api_func, block, "data", (list, type(None)), field=f"{name}Data.data")
        for i, row in enumerate(rows or []):
            if not isinstance(row, list):
                _bad(api_func, f"{name}Data.data[{i}]", row, (list,))
        _expect(api_func, block, "URL", (str, type(None)), field=f"{name}Data.URL")


def _spectrum_dict(api_func, spec, where):
    if not isinstance(spec, dict):
        _bad(api_func, where or "reply", spec, (dict,))
    rnames = _expect(api_func, spec, "rnames", (list, str, type(None)), field=where + "rnames")
    for rname in [rnames] if isinstance(rnames, str) else rnames or []:
        if not isinstance(rname, str):
            _bad(api_func, where + "rnames", rname, _TEXT)
        interval = _expect(api_func, spec, rname, (dict,), field=where + rname)
        if interval is None:
            continue
        _expect(api_func, interval, "DataFile", (str, type(None)), field=f"{where}{rname}.DataFile")
        modes = _expect(api_func, interval, "Modes", (list, str, type(None)),
                        field=f"{where}{rname}.Modes")
        for mode in [modes] if isinstance(modes, str) else modes or []:
            if not isinstance(mode, str):
                _bad(api_func, f"{where}{rname}.Modes", mode, _TEXT)
            block = _expect(api_func, interval, mode, (dict,), field=f"{where}{rname}.{mode}")
            if block is None:
                continue
            models = _expect(api_func, block, "Models", (list, str, type(None)),
                             field=f"{where}{rname}.{mode}.Models")
            for model in [models] if isinstance(models, str) else models or []:
                if not isinstance(model, str):
                    _bad(api_func, f"{where}{rname}.{mode}.Models", model, _TEXT)
                fit = _expect(api_func, block, model, (dict,),
                              field=f"{where}{rname}.{mode}.{model}")
                if fit:
                    _expect(api_func, fit, "Image", (str, type(None)),
                            field=f"{where}{rname}.{mode}.{model}.Image")


def _spectrum(api_func, reply):
    if "newerSources" in reply:
        _records(api_func, reply, "newerSources")
        return
    if "NoSpectrum" in reply:
        return
    if "rnames" not in reply and ("Discovery" in reply or "Full" in reply):
        for kind in ("Discovery", "Full"):
            if kind in reply and isinstance(reply[kind], dict) and "NoSpectrum" not in reply[kind]:
                _spectrum_dict(api_func, reply[kind], kind + ".")
            elif kind in reply and not isinstance(reply[kind], (dict, type(None))):
                _bad(api_func, kind, reply[kind], (dict,))
        return
    _spectrum_dict(api_func, reply, "")


def _source_images(api_func, reply):
    if "newerSources" in reply:
        _records(api_func, reply, "newerSources")
    for band in ("Total", "Soft", "Medium", "Hard", "Expmap"):
        for key in (band, band.lower(), band.upper()):
            _expect(api_func, reply, key, (str, type(None)))


def _upper_limits(api_func, reply):
    if "TIMEOUT" in reply:
        _expect(api_func, reply, "TIMEOUT", (str, numbers.Integral))
        return
    data = _expect(api_func, reply, "ULData", (list, dict, type(None)))
    columns = _expect(api_func, reply, "Columns", (list, type(None)))
    _each(api_func, columns or [], _TEXT, "Columns")
    if isinstance(data, list):
        _each(api_func, data, (dict, list), "ULData")
    elif isinstance(data, dict):
        for key, values in data.items():
            if not isinstance(values, list):
                _bad(api_func, f"ULData[{key!r}]", values, (list,))
    for key in ("ResolvedRA", "ResolvedDec"):
        _expect(api_func, reply, key, _SCALAR)
    _expect(api_func, reply, "ResolvedInfo", (str, type(None)))
    det = _expect(api_func, reply, "DetData", (list, dict, type(None)))
    if isinstance(det, list):
        _each(api_func, det, (dict,), "DetData")


def _dataset_info(api_func, reply):
    record = reply
    if "data" in reply:
        record = _expect(api_func, reply, "data", (dict,))
    if "SupersedingStacks" in record:
        info = _expect(api_func, record, "SupersedingStacks", (dict, type(None)))
        if info:
            _records(api_func, info, "OtherStacks", field="SupersedingStacks.OtherStacks")
            _expect(api_func, info, "LatestVersion", (dict, type(None)),
                    field="SupersedingStacks.LatestVersion")
    if set(record) - {"SupersedingStacks", "OK", "APIVersion"}:
        _position(api_func, record)
        _records(api_func, record, "Sources")
        values = _expect(api_func, record, "inStack", (list, type(None)))
        if values:
            _each(api_func, values, _SCALAR, "inStack")


def _dataset_images(api_func, reply):
    for band in ("Total", "Soft", "Medium", "Hard"):
        for key in (band, band.lower(), band.upper()):
            entries = _expect(api_func, reply, key, (dict, str, type(None)))
            if isinstance(entries, dict):
                for kind, url in entries.items():
                    if not isinstance(url, (str, type(None))):
                        _bad(api_func, f"{key}.{kind}", url, _TEXT)
    for key in ("Expmap", "expmap"):
        _expect(api_func, reply, key, (str, dict, type(None)))


def _old_tables(api_func, reply):
    for key in ("hourly", "daily"):
        _expect(api_func, reply, key, (dict, list, type(None)))


def _table(api_func, reply):
    url = _expect(api_func, reply, "URL", _TEXT, required=True)
    if not is_url(url):
        raise SXPSResponseError(f"The reply to {api_func} has a 'URL' that is not an http(s) "
                                f"URL: {url[:80]!r}.", api_func=api_func, field="URL")
    _expect(api_func, reply, "FILE", _TEXT, required=True)


def _metadata(api_func, reply):
    block = _expect(api_func, reply, "metadata", (dict,), required=True)
    _expect(api_func, block, "columns", (list, type(None)), field="metadata.columns")
    rows = _expect(api_func, block, "metadata", (list, type(None)), field="metadata.metadata")
    _each(api_func, rows or [], (list, dict), "metadata.metadata")


def _query(api_func, reply):
    results = _expect(api_func, reply, "Results", (list, dict, type(None)), required=True)
    if isinstance(results, list):
        _each(api_func, results, (dict,), "Results")
    elif isinstance(results, dict):
        _expect(api_func, results, "columns", (list,), field="Results.columns")
        _expect(api_func, results, "data", (list,), field="Results.data")
    _expect(api_func, reply, "NumRows", (numbers.Real, str), required=True)
    for key in ("ResolvedRA", "ResolvedDec"):
        _expect(api_func, reply, key, _SCALAR)


def _obs_files(api_func, reply):
    url = _expect(api_func, reply, "url", _TEXT, required=True)
    if not is_url(url):
        raise SXPSResponseError(f"The reply to {api_func} has a 'url' that is not an http(s) "
                                f"URL: {url[:80]!r}.", api_func=api_func, field="url")
    listing = _expect(api_func, reply, "fileList", (dict, list, type(None)), required=True)
    if isinstance(listing, dict):
        for key in ("dirs", "files"):
            values = _expect(api_func, listing, key, (list, type(None)), field=f"fileList.{key}")
            _each(api_func, values or [], _TEXT, f"fileList.{key}")


def _obs_by_target(api_func, reply):
    values = _expect(api_func, reply, "obsList", (list, type(None)), required=True)
    _each(api_func, values or [], (str, numbers.Integral), "obsList")


_CHECKS = {
    "getSXPSSourceInfo": _source_info,
    "getSXPSTransInfo": _trans_info,
    "getSXPSTransAsSources": _trans_as_sources,
    "getSXPSLC": _lightcurve,
    "getSXPSSpectrumData": _spectrum,
    "getSXPSSourceImages": _source_images,
    "getSXPSUL": _upper_limits,
    "getSXPSDatasetInfo": _dataset_info,
    "getSXPSDatasetImages": _dataset_images,
    "getOldSXPSTables": _old_tables,
    "getSXPSTable": _table,
    "getMetadata": _metadata,
    "queryDB": _query,
    "listObsFiles": _obs_files,
    "getObsByTarg": _obs_by_target,
}


def check_reply(api_func, reply):
    """Raise `~astroquery_sxps.exceptions.SXPSResponseError` if ``reply`` (a dict, already
    through the protocol checks) is not shaped as ``api_func``'s replies are.

    Examples
    --------
    >>> from astroquery_sxps._replies import check_reply
    >>> check_reply("getSXPSTable", {"URL": "https://x/LSXPS_Sources.csv",
    ...                              "FILE": "LSXPS_Sources.csv"})
    >>> check_reply("getSXPSTable", {"URL": 5, "FILE": "x.csv"})
    Traceback (most recent call last):
    ...
    astroquery_sxps.exceptions.SXPSResponseError: The reply to getSXPSTable has a 'URL' that is not a string: 5.
    """
    check = _CHECKS.get(api_func)
    if check is not None:
        check(api_func, reply)
