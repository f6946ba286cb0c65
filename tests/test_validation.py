"""Argument checks of `astroquery_sxps._validation` (strict for user input, permissive for
server replies), and that bad identifiers are refused before any request."""
import math

import numpy as np
import pytest
from astroquery.exceptions import InvalidQueryError

from astroquery_sxps._files import check_destination
from astroquery_sxps._validation import (check_obsid, check_positive_id,
                                         dataset_identifiers, identifiers,
                                         parse_reply_obsid)

BAD_OBSIDS = [-1, "-1", "1.5e3", "1e3", "inf", "nan", "-inf", 1.5, 282445000.0, float("inf"),
              10 ** 11, "000000000001", "::ObsID=00282445000", "0x1F", "", "  ", "12 34",
              "\u0663\u0664", True, None, b"00282445000", [1]]


# -- ObsIDs: user input --------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    (282445000, "00282445000"), ("282445000", "00282445000"), ("00282445000", "00282445000"),
    (np.int64(35063001), "00035063001"), (0, "00000000000"), (" 00031635001 ", "00031635001"),
    (10 ** 11 - 1, "99999999999"), (10000025185, "10000025185")])
def test_check_obsid_accepts(value, expected):
    assert check_obsid(value) == expected


@pytest.mark.parametrize("value", BAD_OBSIDS)
def test_check_obsid_refuses(value):
    with pytest.raises(InvalidQueryError, match=r"obsid=.*non-negative integer or a string of "
                                                r"1-11 digits"):
        check_obsid(value)


@pytest.mark.parametrize("value", [-1, "-1", "1.5e3", "inf", "1e3", 10 ** 11])
def test_dataset_identifiers_refuses_bad_obsids(value):
    with pytest.raises(InvalidQueryError, match="obsid"):
        dataset_identifiers(obsid=value)
    with pytest.raises(InvalidQueryError, match="obsid"):
        dataset_identifiers(obsid=["00282445000", value])


def test_dataset_identifiers_keys():
    assert dataset_identifiers(obsid=282445000) == ("ObsID", ["00282445000"], ["00282445000"],
                                                    False)
    assert dataset_identifiers(obsid=["282445000"]) == ("ObsID", ["00282445000"],
                                                        ["282445000"], True)


# -- ObsIDs: server replies ----------------------------------------------------------
@pytest.mark.parametrize("value", [35063001, 35063001.0, "35063001", "35063001.0",
                                   "::ObsID=35063001", " ::ObsID=00035063001 ",
                                   np.int64(35063001), np.float64(35063001.0), "3.5063001e7"])
def test_parse_reply_obsid_is_permissive(value):
    assert parse_reply_obsid(value) == "00035063001"


@pytest.mark.parametrize("value", ["inf", float("inf"), float("nan"), -1, "-1", 1.5, "",
                                   "::ObsID=", "abc", 10 ** 11, "1e12"])
def test_parse_reply_obsid_raises_value_error(value):
    # never a bare OverflowError: callers fall back on ValueError/TypeError
    with pytest.raises(ValueError):
        parse_reply_obsid(value)


@pytest.mark.parametrize("value", [None, True, [1], {}])
def test_parse_reply_obsid_raises_type_error(value):
    with pytest.raises(TypeError):
        parse_reply_obsid(value)


# -- source / dataset / transient IDs ------------------------------------------------
@pytest.mark.parametrize("value, expected", [(1, 1), ("11375", 11375), (np.int32(576), 576),
                                             (" 42 ", 42)])
def test_check_positive_id_accepts(value, expected):
    assert check_positive_id("source_id", value) == expected


@pytest.mark.parametrize("value", [0, -5, "0", "-5", "+5", "5.0", 5.0, "1e3", True, None, "",
                                   math.nan, "\u0663"])
def test_check_positive_id_refuses(value):
    with pytest.raises(InvalidQueryError, match=r"source_id=.*positive integer \(> 0\)"):
        check_positive_id("source_id", value)


@pytest.mark.parametrize("value", [0, -1, [5, -5], (0,)])
def test_identifiers_refuses_non_positive(value):
    with pytest.raises(InvalidQueryError, match="source_id"):
        identifiers(source_id=value)
    with pytest.raises(InvalidQueryError, match="dataset_id"):
        dataset_identifiers(dataset_id=value)


# -- paths ---------------------------------------------------------------------------
def test_check_destination(tmp_path):
    assert check_destination("download_dir", str(tmp_path / "new" / "deeper")) == \
        tmp_path / "new" / "deeper"
    assert check_destination("download_dir", tmp_path) == tmp_path
    for bad in (None, 5, b"data", ["data"], "", "  "):
        with pytest.raises(InvalidQueryError, match=r"download_dir=.*non-empty folder path"):
            check_destination("download_dir", bad)


# -- every public method refuses bad identifiers before any request ------------------
BAD_ID_CALLS = [
    ("get_source_details", dict(source_id=-5)),
    ("get_source_details", dict(source_id=0)),
    ("get_source_details", dict(source_id=[17092, "-3"])),
    ("get_dataset_details", dict(dataset_id=-1)),
    ("get_dataset_details", dict(dataset_id=0)),
    ("get_transient_details", dict(source_id=0)),
    ("get_transient_details", dict(source_id=-576, trans_as_source=True)),
    ("get_lightcurve", dict(source_id=-1)),
    ("get_lightcurve", dict(source_id=0)),
    ("get_obs_list", dict(source_id=-1)),
    ("build_product_request", dict(source_id=0)),
    ("get_spectrum", dict(source_id=-1)),
    ("get_images", dict(source_id=0)),
    ("get_images", dict(dataset_id=-1)),
    ("get_image_list", dict(dataset_id=0)),
]

BAD_OBSID_CALLS = [
    ("get_dataset_details", dict(obsid=-1)),
    ("get_dataset_details", dict(obsid="-1")),
    ("get_dataset_details", dict(obsid="1.5e3")),
    ("get_dataset_details", dict(obsid="inf")),
    ("get_dataset_details", dict(obsid=["00282445000", "-0000000001"])),
    ("get_images", dict(obsid="1e3")),
    ("get_images", dict(obsid=-1)),
    ("get_image_list", dict(obsid="inf")),
    ("get_image_list", dict(obsid=1.5e3)),
    ("download_obs_data", dict(obsid="1e3")),
    ("download_obs_data", dict(obsid=-1)),
    ("download_obs_data", dict(obsid="inf")),
    ("download_obs_data", dict(obsid=["00031635001", "::ObsID=00031635002"])),
]


@pytest.mark.parametrize("method, kwargs", BAD_ID_CALLS + BAD_OBSID_CALLS,
                         ids=lambda v: v if isinstance(v, str) else repr(v))
def test_bad_identifiers_refused_before_any_request(sxps, sxps_server, method, kwargs, tmp_path):
    if method in ("download_obs_data", "get_images"):
        kwargs = dict(kwargs, download_dir=tmp_path / "dl")
    name = next(iter(k for k in kwargs if k != "download_dir"))
    if method in ("download_obs_data",):
        call = lambda: getattr(sxps, method)(kwargs.pop(name), **kwargs)  # noqa: E731
    else:
        call = lambda: getattr(sxps, method)(**kwargs)  # noqa: E731
    arg = "obsid" if name == "obsid" else name
    with pytest.raises(InvalidQueryError, match=arg):
        call()
    assert not sxps_server.counts
    assert not sxps_server.file_counts
    assert not (tmp_path / "dl").exists()


def test_good_identifiers_still_accepted(sxps):
    body = sxps.get_dataset_details(obsid=np.int64(282445000), get_query_payload=True)
    assert body["ObsID"] == "00282445000"
    assert sxps.get_source_details(source_id=np.int64(17092),
                                   get_query_payload=True)["sourceID"] == 17092
    assert sxps.get_source_details(source_id="17092", get_query_payload=True)["sourceID"] == 17092
    assert sxps.download_obs_data(31635001, get_query_payload=True)["obsid"] == "00031635001"
