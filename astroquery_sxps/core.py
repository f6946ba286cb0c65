"""The query class: a thin list of public methods.

Every method reads the same few lines: the module that owns the product checks
the arguments and builds a `~astroquery_sxps._plan.Plan` (nothing is sent
yet); `SXPSClass._run` then returns its payload (``get_query_payload=True``)
or executes it through this instance's `~astroquery_sxps._transport.Transport`,
the one door to the network.
"""
from astroquery.query import BaseQuery

from . import scale, upper_limits
from ._conf import conf
from ._transport import Transport
from ._validation import check_bool
from .catalog import query, tables, vo
from .lightcurves import parse as lightcurves
from .products import images, obsdata, spectra
from .products.spectra import save_spectra_plan
from .sources import details, obslist, product_request

__all__ = ["SXPS", "SXPSClass"]


class SXPSClass(BaseQuery):
    """Query the Swift-XRT Point Source catalogues (LSXPS, 2SXPS) at the UKSSDC.

    Parameters
    ----------
    server : str, optional
        URL of the UKSSDC JSON API; defaults to ``conf.server`` (read at call
        time). Point it at the local emulator for offline work and tests.

    Examples
    --------
    >>> from astroquery_sxps import SXPS
    >>> ul = SXPS.query_upper_limit('334.502058 -8.256481')  # doctest: +REMOTE_DATA
    """

    def __init__(self, server=None):
        super().__init__()
        self._server = server
        self._transport = Transport(self, lambda: self.server)

    @property
    def server(self):
        """The API endpoint in use (this instance's, else ``conf.server``)."""
        return self._server or conf.server

    @server.setter
    def server(self, value):
        self._server = value

    def _run(self, plan, *, cache, get_query_payload):
        """The last step of every public method: the plan's payload, or its result."""
        check_bool("cache", cache)
        if check_bool("get_query_payload", get_query_payload):
            return plan.payload()
        return plan.execute(self._transport, cache=cache)

    # -- upper limits -------------------------------------------------------------
    def query_upper_limit(self, position=None, *, name=None, ra=None, dec=None,
                          catalog="LSXPS", bands="total", which_data="deepest", sigma=3,
                          det_thresh=None, detections_as_rates=False, skip_detections=False,
                          use_cat_values=False, time_format="cal", cache=True,
                          get_query_payload=False):
        """Upper limits (or rates) at a sky position from the SXPS data.

        The server runs forced photometry at the position in the catalogue's
        datasets and returns Bayesian (Kraft, Burrows & Nousek 1991) upper
        limits. If the calculation outlasts the server's wait (about 5 min),
        the reply is a job id: this method then polls for the result for up
        to ``conf.upper_limit_wait`` seconds (every
        ``conf.upper_limit_poll_interval`` s) and, if it is still not ready,
        raises `~astroquery_sxps.exceptions.UpperLimitPending`, whose
        ``job_id`` can be passed to `retrieve_upper_limit` later.

        Parameters
        ----------
        position : `~astropy.coordinates.SkyCoord`, tuple or str, optional
            A SkyCoord (any frame; sent as ICRS degrees), a ``(ra, dec)``
            pair of numbers (degrees), Quantities or Angles, or a string
            parsed by the server (``'334.502058 -8.256481'``,
            ``'77.969042, -62.324167'``, ``'05 11 52.57 -62 19 27.0'``).
        name : str, optional
            An object name resolved by the server (SIMBAD, MARS, TNS).
        ra, dec : float, `~astropy.units.Quantity`, `~astropy.coordinates.Angle` or str, optional
            The position as separate coordinates (numbers are degrees;
            strings must carry units, e.g. ``'05h11m52s'``, ``'-62d19m27s'``:
            a unit-less string such as ``'10'`` raises
            `~astroquery.exceptions.InvalidQueryError`). Give both or neither.
            Exactly one of ``position``, ``name`` or ``ra``/``dec`` is required.
        catalog : str, optional
            ``'LSXPS'`` (default) or ``'2SXPS'``.
        bands : str or list of str, optional
            ``'total'`` (default), ``'all'`` or a list of ``'total'``,
            ``'soft'``, ``'medium'``, ``'hard'`` (any case).
        which_data : str, optional
            ``'deepest'`` (default): only the dataset with the deepest
            exposure at the position; ``'all'``: every dataset, including
            stacked images (ObsID >= ``'10000000000'``).
        sigma : float, optional
            Confidence of the upper limits in Gaussian sigma (default 3).
        det_thresh : float, optional
            Detection threshold in Gaussian sigma for ``detections_as_rates``
            (the server defaults it to ``sigma``). Sent to the server when
            given.
        detections_as_rates : bool, optional
            Also return the count rate and 1-sigma errors where the source is
            detected, with ``{Band}_Rate``, ``{Band}_RatePos``,
            ``{Band}_RateNeg`` and ``{Band}_IsDetected`` columns.
        skip_detections : bool, optional
            Skip datasets in which a catalogued source lies within 30 arcsec.
        use_cat_values : bool, optional
            Use the catalogue's values where the source is catalogued in a
            dataset.
        time_format : str, optional
            ``'cal'`` (default, UTC calendar), ``'mjd'`` (UTC), ``'tdb'``
            (Julian Date, TDB) or ``'met'`` (Swift mission elapsed time),
            case-insensitive.
        cache : bool, optional
            Use astroquery's cache (a TIMEOUT reply is never cached).
        get_query_payload : bool, optional
            Return the JSON request body instead of sending it.

        Returns
        -------
        `~astropy.table.Table`
            One row per dataset with the server's column names:
            ``StartTime``, ``StopTime`` (`~astropy.time.Time` for cal, mjd
            and tdb; a Quantity of MET seconds for met, never converted to
            UTC), ``ObsID`` (11-character string), ``SourceExposure``,
            ``ImageExposure`` (s), and per band ``{Band}_UpperLimit`` (ct / s),
            ``{Band}_Counts``, ``{Band}_BGCounts`` (ct),
            ``{Band}_CorrectionFactor`` and, with ``detections_as_rates``,
            ``{Band}_Rate``, ``{Band}_RatePos``, ``{Band}_RateNeg`` (ct / s,
            NaN where the source is not detected) and ``{Band}_IsDetected``
            (bool). ``meta`` holds ``resolved_position`` (SkyCoord) and
            ``resolved_info`` when the server parsed or resolved a string,
            ``position`` (the position used), ``det_data`` (a Table of
            catalogued sources within 30 arcsec, ``Distance`` in arcsec),
            ``catalog``, ``time_format`` and the request's ``bands``,
            ``which_data``, ``sigma`` (and ``det_thresh``,
            ``detections_as_rates``). The table (an
            `~astroquery_sxps.SXPSTable`) writes to ECSV, FITS and VOTable
            with ``ul.write``.

        Raises
        ------
        astroquery.exceptions.InvalidQueryError
            Bad or clashing arguments (before any request is sent).
        astroquery_sxps.exceptions.UpperLimitPending
            The job did not finish within ``conf.upper_limit_wait``.
        astroquery_sxps.exceptions.SXPSServerError
            The server reported an error (e.g. a name it cannot resolve).

        Warns
        -----
        astroquery_sxps.exceptions.CataloguedSourceWarning
            The position is within 30 arcsec of a catalogued source.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> ul = SXPS.query_upper_limit('334.502058 -8.256481')  # doctest: +REMOTE_DATA
        >>> ul['Total_UpperLimit']  # doctest: +SKIP
        <Column name='Total_UpperLimit' dtype='float64' unit='ct / s' length=1>
        0.000321
        >>> ul = SXPS.query_upper_limit('77.969042, -62.324167', bands='all',
        ...                             which_data='all')  # doctest: +SKIP
        """
        plan = upper_limits.upper_limit_plan(
            position, name=name, ra=ra, dec=dec, catalog=catalog, bands=bands,
            which_data=which_data, sigma=sigma, det_thresh=det_thresh,
            detections_as_rates=detections_as_rates, skip_detections=skip_detections,
            use_cat_values=use_cat_values, time_format=time_format)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def retrieve_upper_limit(self, job_id, *, wait=None, time_format="cal", catalog="LSXPS",
                             cache=True, get_query_payload=False):
        """Fetch the result of an upper-limit job that timed out.

        The server deletes a result once it has been retrieved; with
        ``cache=True`` the retrieved result is kept in astroquery's cache,
        so calling this again with the same ``job_id`` returns it again.

        Parameters
        ----------
        job_id : str
            The ``job_id`` of an `~astroquery_sxps.exceptions.UpperLimitPending`
            error (the server's ``TIMEOUT`` value).
        wait : float, optional
            Seconds to keep polling while the job is still running (default
            ``conf.upper_limit_wait``; 0 asks once).
        time_format : str, optional
            The ``time_format`` of the original query (how to read the
            returned times): ``'cal'`` (default), ``'mjd'``, ``'tdb'`` or
            ``'met'``.
        catalog : str, optional
            The catalogue of the original query (recorded in ``meta``).
        cache : bool, optional
            Use (and fill) the cache; a still-running reply is never cached.
        get_query_payload : bool, optional
            Return the JSON request body instead of sending it.

        Returns
        -------
        `~astropy.table.Table`
            As for `query_upper_limit`.

        Raises
        ------
        astroquery_sxps.exceptions.UpperLimitPending
            Still running after ``wait`` seconds.
        astroquery_sxps.exceptions.SXPSServerError
            Unknown job id, or a result already retrieved without the cache.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> from astroquery_sxps.exceptions import UpperLimitPending
        >>> try:
        ...     ul = SXPS.query_upper_limit('334.502058 -8.256481')  # doctest: +REMOTE_DATA
        ... except UpperLimitPending as err:
        ...     ul = SXPS.retrieve_upper_limit(err.job_id)  # doctest: +SKIP
        """
        plan = upper_limits.retrieve_plan(job_id, wait=wait, time_format=time_format,
                                          catalog=catalog)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    # -- sources, datasets, transients ----------------------------------------------

    def get_source_details(self, source_id=None, source_name=None, *, catalog="LSXPS",
                           skip_errors=False, cache=True, get_query_payload=False):
        """Full catalogue record of one or several LSXPS sources.

        Tutorial name: ``getSourceDetails`` (``sourceID`` -> ``source_id``,
        ``sourceName`` -> ``source_name``, ``cat`` -> ``catalog``,
        ``skipErrors`` -> ``skip_errors``).

        Parameters
        ----------
        source_id : int or list of int, optional
            LSXPS_ID(s). Give exactly one of ``source_id`` and ``source_name``.
        source_name : str or list of str, optional
            IAU name(s), e.g. ``'LSXPS J174527.1-290217'``.
        catalog : str
            ``'LSXPS'`` (source details exist only for LSXPS).
        skip_errors : bool
            Leave out (with a logged warning) the sources the server does not
            know or that were split, instead of raising.
        cache : bool
            Use astroquery's cache.
        get_query_payload : bool
            Return the JSON body (a list of bodies for a list of sources)
            without sending anything.

        Returns
        -------
        `~astroquery_sxps.SourceDetails` or dict
            One record for a single identifier; for a list or tuple a dict
            keyed by the identifiers as supplied. A superseded identifier
            gives the current source's record with a
            `~astroquery_sxps.exceptions.SupersededWarning`.

        Raises
        ------
        astroquery_sxps.exceptions.SourceSplitError
            The source was split; ``err.newer_sources`` is a Table.
        astroquery_sxps.exceptions.SXPSServerError
            Unknown source (the server's ERRORTEXT is quoted).

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> src = SXPS.get_source_details(source_id=11375)  # doctest: +REMOTE_DATA
        >>> src['LSXPS_ID'], src.coord, src.err90  # doctest: +REMOTE_DATA +SKIP
        >>> src['Detections']['Observations']['ObsID', 'DatasetID']  # doctest: +REMOTE_DATA +SKIP
        """
        plan = details.source_details_plan(source_id, source_name, catalog=catalog,
                                           skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def get_dataset_details(self, obsid=None, dataset_id=None, *, catalog="LSXPS",
                            skip_errors=False, cache=True, get_query_payload=False):
        """Record of one or several LSXPS datasets (observations or stacked images).

        Tutorial name: ``getDatasetDetails`` (``ObsID`` -> ``obsid``,
        ``DatasetID`` -> ``dataset_id``, ``cat`` -> ``catalog``).

        Parameters
        ----------
        obsid : str, int or list, optional
            ObsID(s): strings of 1-11 digits or non-negative ints, sent
            zero-padded to 11 digits. Stacked images have
            ObsIDs above 1e10. Give exactly one of ``obsid``/``dataset_id``.
        dataset_id : int or list of int, optional
            LSXPS DatasetID(s) (positive integers; one per version of a
            stacked image).
        catalog : str
            ``'LSXPS'`` only.
        skip_errors : bool
            Leave out unknown datasets (logged) instead of raising.
        cache, get_query_payload : bool
            As everywhere in `~astroquery_sxps.SXPSClass`.

        Returns
        -------
        `~astroquery_sxps.DatasetDetails` or dict
            One record, or for a list a dict keyed by the identifiers as
            supplied (int ObsIDs key as the padded string). A stack that was
            superseded and removed gives a record holding only
            ``'SupersedingStacks'`` (``is_superseded`` is True); an obsolete
            stack, still in the catalogue, the full record with
            ``IsObsoleteStack == 1`` and, when the server sends it,
            ``'SupersedingStacks'`` too (``is_obsolete`` is True); both warn
            with `~astroquery_sxps.exceptions.SupersededWarning`.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> ds = SXPS.get_dataset_details(obsid='00282445000')  # doctest: +REMOTE_DATA
        >>> ds['Sources']['Total_DetectionDetails'][0]['SNR']  # doctest: +REMOTE_DATA +SKIP
        31.0509
        """
        plan = details.dataset_details_plan(obsid, dataset_id, catalog=catalog,
                                            skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def get_transient_details(self, source_id=None, source_name=None, *, catalog="LSXPS",
                              trans_as_source=False, skip_errors=False, cache=True,
                              get_query_payload=False):
        """Record of one or several LSXPS transients, or of their catalogue sources.

        Tutorial name: ``getTransientDetails`` (``transAsSource`` ->
        ``trans_as_source``).

        Parameters
        ----------
        source_id : int or list of int, optional
            Transient ID(s), e.g. 576.
        source_name : str or list of str, optional
            Transient name(s), e.g. ``'Swift J073006.8-193709'``.
        catalog : str
            ``'LSXPS'`` only.
        trans_as_source : bool
            Map the transients to their LSXPS sources (one
            ``getSXPSTransAsSources`` call) and return the source records
            (`~astroquery_sxps.SourceDetails`), keyed by the LSXPS
            ID or name. A transient not yet in LSXPS raises
            `~astroquery.exceptions.RemoteServiceError` (or is skipped with
            ``skip_errors``).
        skip_errors : bool
            Leave out unknown transients (logged) instead of raising.
        cache, get_query_payload : bool
            As everywhere; with ``trans_as_source`` the payload is the body
            of the look-up call.

        Returns
        -------
        `~astroquery_sxps.TransientDetails`, `~astroquery_sxps.SourceDetails` or dict

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> tr = SXPS.get_transient_details(source_id=576)  # doctest: +REMOTE_DATA
        >>> tr['LSXPSName']  # doctest: +REMOTE_DATA +SKIP
        'LSXPS J073006.8-193710'
        >>> src = SXPS.get_transient_details(source_id=576, trans_as_source=True)  # doctest: +REMOTE_DATA
        """
        plan = details.transient_details_plan(source_id, source_name, catalog=catalog,
                                              trans_as_source=trans_as_source,
                                              skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def get_obs_list(self, source_id=None, source_name=None, *, source_details=None,
                     use_obs="allCat", catalog="LSXPS", skip_errors=False, cache=True,
                     get_query_payload=False):
        """Target and observation IDs of the catalogued observations of a source.

        Tutorial name: ``getObsList`` (``sourceDetails`` -> ``source_details``,
        ``useObs`` -> ``use_obs``).

        Parameters
        ----------
        source_id, source_name : int, str or list, optional
            The source(s); the details are fetched with
            `get_source_details`.
        source_details : `~astroquery_sxps.SourceDetails` or dict, optional
            Instead of an identifier: a result of `get_source_details` (one
            record, or a non-empty dict of records, which gives a dict of
            lists). Anything else raises
            `~astroquery.exceptions.InvalidQueryError`.
        use_obs : str
            ``'allCat'`` (default), ``'allDet'``, ``'blind'``, ``'allNonDet'``
            or ``'retro'``, case-insensitive (see
            `~astroquery_sxps.sources.obslist`). ``'blind'`` may legitimately give
            an empty list (a source detected only in stacked images).
        catalog, skip_errors, cache : as for `get_source_details`.
        get_query_payload : bool
            Return the body (bodies) of the details request(s); an empty list
            when ``source_details`` is given (nothing would be sent).

        Returns
        -------
        `~astroquery_sxps.sources.obslist.ObsList` or dict
            ``{'targList': [8-char strings], 'obsList': [11-char strings]}``
            (also ``.target_ids``/``.obsids``); a dict of them for a list of
            sources, keyed as supplied.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> SXPS.get_obs_list(source_id=209220, use_obs='allCat')  # doctest: +REMOTE_DATA +SKIP
        <ObsList 4 observations of 1 targets: ['00031635001', ...]>
        """
        plan = obslist.obs_list_plan(source_id, source_name, source_details=source_details,
                                     catalog=catalog, use_obs=use_obs, skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def build_product_request(self, source_id=None, source_name=None, *, email=None,
                              source_details=None, catalog="LSXPS", t0=None, use_obs="all",
                              products=None, transient=False, trans_as_source=False,
                              skip_errors=False, cache=True, get_query_payload=False):
        """Parameters for an XRT on-demand product request of catalogued objects (not submitted).

        Tutorial name: ``makeProductRequest`` (``T0`` -> ``t0``, ``useObs``
        -> ``use_obs``, ``addProds`` -> ``products``, ``sourceDetails`` ->
        ``source_details``, ``transAsSource`` -> ``trans_as_source``).

        Parameters
        ----------
        source_id, source_name : int, str or list, optional
            The source(s), or transient(s) with ``transient=True``.
        email : str, optional
            The address registered with the UKSSDC product tools (needed by
            `~astroquery_sxps.sources.product_request.ProductRequestSpec.to_swifttools`).
        source_details : `~astroquery_sxps.SourceDetails` or dict, optional
            Records already fetched (a single record is used for a single
            identifier; otherwise looked up by identifier). Missing ones are
            fetched.
        catalog : str
            ``'LSXPS'`` only.
        t0 : str, float or Quantity, optional
            None (the tools find T0), ``'firstObs'``, ``'firstBlindDet'``,
            ``'firstDet'`` (sources) or ``'Discovery'`` (transients),
            case-insensitive, or a Swift MET (s; a positive number or time
            Quantity).
        use_obs : str or None
            ``'all'`` (every Swift observation; default), None (no target or
            observation information), or for sources one of the
            `get_obs_list` values (``'blind'``, ``'allCat'``...), for
            transients ``'discovery'`` or ``'new'``; case-insensitive.
        products : str or list of str, optional
            Products to add: ``LightCurve``/``lc``, ``Spectrum``/``spec``,
            ``StandardPos``/``psf``, ``EnhancedPos``/``enh``,
            ``AstromPos``/``xastrom``, ``Image``/``image``,
            ``SourceDet``/``sourceDet``.
        transient, trans_as_source : bool
            Identifiers are transients; with ``trans_as_source`` they are
            first mapped to their LSXPS sources (results keyed by those).
        skip_errors : bool
            Leave out objects that cannot be fetched or built (logged).
        cache, get_query_payload : bool
            As everywhere; the payload lists the bodies of the details
            requests that would be sent.

        Returns
        -------
        `~astroquery_sxps.sources.product_request.ProductRequestSpec` or dict

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> spec = SXPS.build_product_request(17092, email='me@example.org', t0='firstBlindDet',
        ...                                   use_obs='blind', products=['lc'])  # doctest: +REMOTE_DATA
        >>> spec.global_pars['targ']  # doctest: +REMOTE_DATA +SKIP
        '00050950,00031312,00034314,00088977'
        >>> request = spec.to_swifttools()  # doctest: +SKIP
        """
        plan = product_request.product_request_plan(
            source_id, source_name, email=email, source_details=source_details, catalog=catalog,
            t0=t0, use_obs=use_obs, products=products, transient=transient,
            trans_as_source=trans_as_source, skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def download_obs_data(self, obsid, *, instruments="all", get_auxil=True, get_tdrss=False,
                          get_log=False, source="uk_reproc", match=None, re_match=None,
                          download_dir="data", clobber=False, skip_errors=False, cache=True,
                          get_query_payload=False):
        """Download the archive data of one or several Swift observations.

        Tutorial name: ``downloadObsData`` of ``swifttools.ukssdc.data``
        (``getAuxil`` -> ``get_auxil``, ``getTDRSS`` -> ``get_tdrss``,
        ``getLog`` -> ``get_log``, ``reMatch`` -> ``re_match``, ``destDir`` ->
        ``download_dir``).

        Parameters
        ----------
        obsid : str, int or list
            ObsID(s): strings of 1-11 digits or non-negative ints, zero-padded
            to 11 digits (anything else, e.g. ``'1e3'`` or ``-1``, is refused).
        instruments : str, list or None
            ``'all'`` (bat, xrt, uvot), a non-empty list of them, or None (no
            instrument data: only the directories of ``get_auxil`` etc.).
        get_auxil, get_tdrss, get_log : bool
            Also fetch the ``auxil`` (default), ``tdrss`` and ``log`` directories.
        source : str
            Archive: ``'uk_reproc'`` (default), ``'uk'``, ``'us'`` or ``'italy'``.
        match, re_match : str or list of str, optional
            Keep only files whose base name matches one of these shell-style
            patterns (``match``) or regular expressions (``re_match``); not both.
        download_dir : str or os.PathLike
            Files go to ``download_dir/<obsid>/<path in the archive>``.
        clobber : bool
            Replace files that exist (atomically); otherwise they are kept.
        skip_errors : bool
            Skip observations not found and files that fail (logged).
        cache : bool
            Cache the file listings.
        get_query_payload : bool
            Return the ``listObsFiles`` body (bodies) without sending anything.

        Returns
        -------
        list of `~pathlib.Path` or dict
            The files of one observation, or for a list a dict keyed by the
            11-digit ObsIDs.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> files = SXPS.download_obs_data(['00031635001', '00031635002'], instruments=['xrt'],
        ...                                download_dir='/tmp/obsdata')  # doctest: +REMOTE_DATA +SKIP
        """
        plan = obsdata.obs_data_plan(
            obsid, instruments=instruments, get_auxil=get_auxil, get_tdrss=get_tdrss,
            get_log=get_log, source=source, match=match, re_match=re_match,
            download_dir=download_dir, clobber=clobber, skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def download_obs_data_by_target(self, target_id, *, instruments="all", get_auxil=True,
                                    get_tdrss=False, get_log=False, source="uk_reproc",
                                    match=None, re_match=None, download_dir="data",
                                    clobber=False, skip_errors=False, cache=True,
                                    get_query_payload=False):
        """Download the archive data of every observation of one or several Swift targets.

        Tutorial name: ``downloadObsDataByTarget`` (``targetID`` -> ``target_id``).
        The ObsIDs come from one ``getObsByTarg`` call per target; the other
        parameters are those of `download_obs_data`.

        Returns
        -------
        dict
            ObsID -> list of `~pathlib.Path` for one target; for a list of
            targets, a dict keyed by the targets as supplied of such dicts.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> files = SXPS.download_obs_data_by_target(31635, instruments='xrt')  # doctest: +REMOTE_DATA +SKIP
        """
        plan = obsdata.target_data_plan(
            target_id, instruments=instruments, get_auxil=get_auxil, get_tdrss=get_tdrss,
            get_log=get_log, source=source, match=match, re_match=re_match,
            download_dir=download_dir, clobber=clobber, skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    # -- catalogue tables and queries -------------------------------------------------

    def list_old_tables(self, *, cache=True, get_query_payload=False):
        """List the old LSXPS table snapshots (tutorial ``listOldTables``).

        Snapshots are taken hourly (kept for a limited time) and daily (kept
        indefinitely); LSXPS only.

        Parameters
        ----------
        cache : bool
            Reuse a cached listing (default True).
        get_query_payload : bool
            Return the JSON body instead of sending it.

        Returns
        -------
        `~astropy.table.Table`
            One row per snapshot: ``epoch`` (the exact string to pass as
            ``get_full_table(epoch=...)``), ``kind`` (``'hourly'`` or ``'daily'``),
            ``time`` (`~astropy.time.Time`, UTC; midnight for daily ones) and
            ``tables`` (the tables the snapshot lists). ``meta['hourly']`` and
            ``meta['daily']`` hold the server's listing unchanged.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> old = SXPS.list_old_tables()  # doctest: +REMOTE_DATA
        >>> old['epoch'][old['kind'] == 'daily'][:2].tolist()  # doctest: +REMOTE_DATA
        ['2022-08-16', '2022-08-17']
        """
        plan = tables.old_tables_plan()
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def get_full_table(self, table="sources", *, catalog="LSXPS", subset=None, format="csv",
                       epoch=None, download_dir=None, clobber=False, read=True,
                       show_progress=None, cache=True, get_query_payload=False):
        """Download a whole catalogue table (tutorial ``getFullTable``).

        The file is streamed to astroquery's cache (with a progress bar) and
        reused by later calls while ``cache=True``; old epochs (gzipped) are
        decompressed in Python. CSV and FITS files are both read into a Table.

        Parameters
        ----------
        table : str
            ``'sources'``, ``'datasets'``, ``'detections'``, ``'obssources'``,
            ``'xcorr'`` (alias ``'extcatmatches'``), ``'transients'`` or
            ``'oldstacks'`` for LSXPS; ``'sources'``, ``'datasets'``,
            ``'detections'`` or ``'xcorr'`` for 2SXPS (case-insensitive).
        catalog : {'LSXPS', '2SXPS'}
            Tutorial ``cat``.
        subset : {None, 'clean', 'ultraclean', 'ultra-clean'}
            Subset of the sources or datasets table (None: the whole table).
        format : {'csv', 'fits'}
            File format on the server; both are returned as a Table.
        epoch : str or `~astropy.time.Time`, optional
            An old LSXPS snapshot: an exact ``epoch`` of `list_old_tables`
            (e.g. ``'2022-08-17'`` or ``'2022-08-17 10:00:01 UTC'``), the same
            hourly string without `` UTC``, or a Time within 1 s of an hourly
            snapshot (or at 00:00:00 of a daily one). It is checked against
            `list_old_tables` before the table is requested (a cached listing
            that lacks it is fetched afresh once; the error lists a few of the
            available epochs).
        download_dir : str or path-like, optional
            Tutorial ``destDir``: also keep the (decompressed) file in this
            directory (created if needed).
        clobber : bool
            Replace an existing file in ``download_dir`` (default False: an
            existing file is kept, with a warning, and read).
        read : bool
            If False, return the local file path instead of a Table (tutorial
            ``returnData=False``).
        show_progress : bool, optional
            Show a progress bar while downloading (on a terminal); default
            ``conf.show_progress``.
        cache : bool
            Reuse the cached reply, listing and file (default True); False
            downloads afresh.
        get_query_payload : bool
            Return the JSON body instead of sending anything. The epoch is then
            not checked against the listing (that would need a request), so
            the body shows it as the real call sends it *if it is listed*: a
            string stripped, with `` UTC`` appended to an hourly key given
            without it; a `~astropy.time.Time` rounded to the second, as the
            daily key (``'2022-08-17'``) at 00:00:00 UTC, else as the hourly
            key (``'2022-08-17 12:00:01 UTC'``). The real call matches a Time
            against the listing (an hourly snapshot within 1 s wins), so it can
            send another key than the payload shows; pass the exact epoch
            string for an exact payload.

        Returns
        -------
        `~astropy.table.Table` or `~pathlib.Path`
            The table with units (RA/Decl/l/b in deg, Err90 and neighbour
            distances in arcsec, rates in ct/s, fluxes in erg/cm2/s, exposures
            and MET in s...) and a ``coord`` SkyCoord column. As in
            `query_region`, UTC date-time columns (names ending in ``Date`` or
            ``_UTC`` or starting with ``When``: ``StartTime_UTC``,
            ``DiscoveryDate``, ``FirstObsDate``, ``WhenAdded``...) are
            `~astropy.time.Time` (masked where empty) and ``ObsID`` columns
            11-character zero-padded strings; ``meta`` holds
            ``catalog``, ``table``, ``subset``, ``epoch``, ``url``,
            ``server_file`` (the server's file name) and ``file`` (the local
            path read).

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> sources = SXPS.get_full_table('sources')  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
        Downloading URL https://.../LSXPS_Sources.csv to ... [Done]
        >>> sources['LSXPS_ID', 'IAUName', 'RA', 'Decl'][:1]  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
        >>> old = SXPS.get_full_table('sources', subset='ultra-clean', epoch='2022-08-17',
        ...                           format='fits', show_progress=False)  # doctest: +REMOTE_DATA
        >>> old.meta['server_file']  # doctest: +REMOTE_DATA
        'LSXPS_Sources_ultra-clean_20220817T000001.fits.gz'
        """
        plan = tables.full_table_plan(
            table, catalog=catalog, subset=subset, format=format, epoch=epoch,
            download_dir=download_dir, clobber=clobber, read=read, show_progress=show_progress)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def get_table_metadata(self, table="sources", *, catalog="LSXPS", cache=True,
                           get_query_payload=False):
        """Column metadata of a catalogue table (``getMetadata``).

        Parameters
        ----------
        table : str
            A table of ``catalog`` (see `get_full_table`).
        catalog : {'LSXPS', '2SXPS'}
        cache : bool
        get_query_payload : bool
            Return the JSON body instead of sending it.

        Returns
        -------
        `~astropy.table.Table`
            ``ColName``, ``Class``, ``Description``, ``Type`` (``NUM``, ``FLOAT``,
            ``INT``, ``UTC``, ``COORDH``, ``COORDD``, text types...), ``IsObsCol``
            and ``IsTargetCol`` (bool), any extra server columns, and
            ``default`` (the ``BASIC`` columns a query returns by default).

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> meta = SXPS.get_table_metadata('datasets')  # doctest: +REMOTE_DATA
        >>> list(meta['ColName'][meta['default']])  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
        """
        plan = query.metadata_plan(table, catalog=catalog)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def query_region(self, coordinates, radius=10.0, *, catalog="LSXPS",
                     table="sources", subset=None, columns=None, filters=None, max_rows=None,
                     sort_by=None, sort_dir="ASC", cache=True, get_query_payload=False):
        """Cone search of a catalogue table on the UKSSDC query API (``queryDB``).

        Parameters
        ----------
        coordinates : `~astropy.coordinates.SkyCoord` or str
            The centre. A SkyCoord is sent as ICRS degrees; a string (an object
            name or a position such as ``'52.8 43.9'``) is resolved by the
            server, and the resolution is reported in ``meta``.
        radius : `~astropy.units.Quantity` or float
            Cone radius; a number is in arcsec. Radii in arcsec, arcmin or deg
            are sent in that unit (``adUnits``), others converted to arcsec.
        catalog : {'LSXPS', '2SXPS'}
        table : str
            A table of ``catalog`` (see `get_full_table`).
        subset : {None, 'clean', 'ultraclean'}
            Only for the sources and datasets tables.
        columns : list of str or '*', optional
            Columns to return (default: the table's ``BASIC`` columns; ``'*'``,
            alone, means all). Checked against `get_table_metadata` (not in
            payload mode).
        filters : list of dict or tuple, optional
            Constraints, ANDed together. Each is a dict with the keys
            ``colName``, ``filter``, ``val`` and optionally ``combiner``,
            ``filter2``, ``val2`` (a second clause on the same column), or a
            tuple in that order, e.g. ``('Err90', '<', 5)`` or
            ``('DetFlag', '=', 0, 'OR', 'IS NULL', None)``. Operators:
            ``<, >, =, <=, >=, !=, LIKE, NOT LIKE`` (one value), ``BETWEEN``
            (two values), ``IS NULL, IS NOT NULL`` (none).
        max_rows : int, optional
            At most this many rows; None (default) returns every match, paging
            1000 rows at a time.
        sort_by : str, optional
            Server-side sort column (the result is then re-sorted by distance);
            checked against `get_table_metadata` (not in payload mode).
        sort_dir : {'ASC', 'DESC'}
        cache : bool
        get_query_payload : bool
            Return the body of the first ``queryDB`` page without sending
            anything. Since nothing is sent, ``getMetadata`` is not asked
            either, so ``columns``, the filters' column names and ``sort_by``
            are **not** checked against the table's columns (a wrong name is
            only found when the query runs). Everything else is checked as in
            a real call: argument types, the form of column names, operators,
            combiners, the number and type of filter values (two for
            ``BETWEEN``), ``subset`` for the table, ``radius``, ``max_rows``,
            ``sort_dir``. ``cols`` is always in the body, as in every query
            sent: the ``columns`` given, else the table's ``BASIC`` (with
            ``'*'``: all) columns as the metadata read earlier in this
            session names them (by a query or `get_table_metadata`), else a
            placeholder (``'<BASIC columns of the table, from getMetadata>'``)
            standing for the names the query will send.

        Returns
        -------
        `~astropy.table.Table`
            Sorted by ``distance`` (a Quantity in the radius unit), typed from
            the metadata (UTC columns as `~astropy.time.Time`, coordinates in
            deg, ObsIDs as 11-character strings) with a ``coord`` SkyCoord
            column. ``meta`` holds ``resolved_info`` and ``resolved_position``
            (a SkyCoord) when a name was resolved, and ``search_radius``. An
            empty result warns with `~astroquery.exceptions.NoResultsWarning`.

        Examples
        --------
        >>> import astropy.units as u
        >>> from astropy.coordinates import SkyCoord
        >>> from astroquery_sxps import SXPS
        >>> pos = SkyCoord(249.25254, 7.65391, unit='deg')
        >>> near = SXPS.query_region(pos, radius=10 * u.arcmin)  # doctest: +REMOTE_DATA
        >>> datasets = SXPS.query_region('GK Per', radius=12 * u.arcmin, table='datasets',
        ...                              filters=[('ExposureUsed', '>=', 5000)])  # doctest: +REMOTE_DATA
        """
        plan = query.query_plan(coordinates, radius, catalog=catalog, table=table, subset=subset,
                                columns=columns, filters=filters, max_rows=max_rows,
                                sort_by=sort_by, sort_dir=sort_dir)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def query_object(self, name, radius=10.0, *, catalog="LSXPS", table="sources",
                     subset=None, columns=None, filters=None, max_rows=None, sort_by=None,
                     sort_dir="ASC", cache=True, get_query_payload=False):
        """Cone search around a named object, resolved by the server (``searchName``).

        Same as `query_region` with a name; see there for the options.

        Parameters
        ----------
        name : str
            Object name (e.g. ``'GK Per'``), resolved by the UKSSDC server.
        radius, catalog, table, subset, columns, filters, max_rows, sort_by, sort_dir, cache, get_query_payload
            As for `query_region`.

        Returns
        -------
        `~astropy.table.Table`

        Examples
        --------
        >>> import astropy.units as u
        >>> from astroquery_sxps import SXPS
        >>> gkper = SXPS.query_object('GK Per', radius=1 * u.arcmin)  # doctest: +REMOTE_DATA
        >>> gkper.meta['resolved_info']  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
        """
        query.check_object_name(name)
        plan = query.query_plan(name, radius, catalog=catalog, table=table, subset=subset,
                                columns=columns, filters=filters, max_rows=max_rows,
                                sort_by=sort_by, sort_dir=sort_dir)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def query_catalog(self, *, catalog="LSXPS", table="sources", subset=None, columns=None,
                      filters=None, max_rows=None, sort_by=None, sort_dir="ASC", cache=True,
                      get_query_payload=False):
        """Query a catalogue table by filters only (no cone), on ``queryDB``.

        Parameters
        ----------
        catalog, table, subset, columns, filters, max_rows, sort_by, sort_dir, cache, get_query_payload
            As for `query_region`: in payload mode nothing is sent, so column
            names are checked for their form only, not against
            `get_table_metadata`.

        Returns
        -------
        `~astropy.table.Table`
            As for `query_region`, without the ``distance`` column.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> bright = SXPS.query_catalog(filters=[('Rate_band0', '>', 1)],
        ...                             max_rows=50)  # doctest: +REMOTE_DATA
        """
        plan = query.query_plan(None, None, catalog=catalog, table=table, subset=subset,
                                columns=columns, filters=filters, max_rows=max_rows,
                                sort_by=sort_by, sort_dir=sort_dir)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def query_region_tap(self, coordinates, radius=10.0, *, table="swift2sxps",
                         columns="*", maxrec=None, get_query_payload=False):
        """Cone search of 2SXPS through HEASARC's TAP service (pyvo, ADQL).

        For VO workflows: the 2SXPS catalogue as HEASARC serves it
        (table ``swift2sxps``), queried with
        ``CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', ...)) = 1``.
        Like astroquery's own TAP queries (``Heasarc.query_tap``) it takes
        no ``cache`` argument: pyvo's requests do not go through astroquery's
        cache.

        Parameters
        ----------
        coordinates : `~astropy.coordinates.SkyCoord` or str
            Centre; a string is parsed as a position, else taken as an object
            name and resolved with `~astropy.coordinates.SkyCoord.from_name`
            (Sesame, a network request) when the query runs.
        radius : `~astropy.units.Quantity` or float
            Cone radius; a number is in arcsec.
        table : str
            HEASARC table name (default ``'swift2sxps'``).
        columns : str or list of str
            Columns to select (default ``'*'``).
        maxrec : int, optional
            Maximum number of rows the service returns.
        get_query_payload : bool
            Return the ADQL text instead of running it. This uses no network:
            for an object name the centre is not resolved, and the text holds
            the placeholders ``{ra}`` and ``{dec}`` (fill them with
            ``str.format``, in ICRS degrees) after an ADQL comment line naming
            the object. For a SkyCoord or a position string it is the exact
            query.

        Returns
        -------
        `~astropy.table.Table`
            Sorted by ``distance`` (arcsec), with units from the service and a
            ``coord`` SkyCoord column.

        Examples
        --------
        >>> import astropy.units as u
        >>> from astroquery_sxps import SXPS
        >>> tab = SXPS.query_region_tap('52.8 43.9', radius=2 * u.arcmin)  # doctest: +REMOTE_DATA
        """
        plan = vo.query_region_tap_plan(coordinates, radius, table=table, columns=columns,
                                        maxrec=maxrec)
        # HEASARC's TAP is reached through astroquery.heasarc, which has no cache
        return self._run(plan, cache=False, get_query_payload=get_query_payload)

    # -- light curves -------------------------------------------------------------------
    def get_lightcurve(self, source_id=None, source_name=None, *, catalog="LSXPS",
                       bands="all", binning="observation", time_format="mjd",
                       transient=False, trans_as_source=False, get_all_types=None,
                       group_rates=None, group_uls=None, group_hrs=None, retro_as_ul=None,
                       nondet_as_ul=None, get_retro_hr=None, show_obs=None,
                       hide_bad_pup=None, merge_aliases=None, skip_errors=False,
                       cache=True, get_query_payload=False):
        """Light curves of SXPS sources or transients, as `~astropy.timeseries.TimeSeries`.

        Tutorial (``getLightCurves``) -> here: ``sourceID`` -> ``source_id``,
        ``sourceName`` -> ``source_name``, ``cat`` -> ``catalog``,
        ``timeFormat`` -> ``time_format``, ``transAsSource`` ->
        ``trans_as_source``, ``getAllTypes`` -> ``get_all_types``,
        ``groupRates``/``groupULs``/``groupHRs`` ->
        ``group_rates``/``group_uls``/``group_hrs``, ``retroAsUL`` ->
        ``retro_as_ul``, ``nondetAsUL`` -> ``nondet_as_ul``, ``getRetroHR`` ->
        ``get_retro_hr``, ``showObs`` -> ``show_obs``, ``hideBadPup`` ->
        ``hide_bad_pup``, ``mergeAliases`` -> ``merge_aliases``,
        ``skipErrors`` -> ``skip_errors``. ``saveData``/``returnData`` are
        replaced by `~astroquery_sxps.save_lightcurves`.

        Parameters
        ----------
        source_id, source_name : int or str, or list of them
            Exactly one: LSXPS/2SXPS ``sourceID``\\(s) or names, or transient
            IDs/names with ``transient=True``.
        catalog : {'LSXPS', '2SXPS'}
            Transients exist only in LSXPS: ``transient=True`` with
            ``'2SXPS'`` raises `~astroquery.exceptions.InvalidQueryError`.
        bands : 'all' or list of str
            Among ``total``, ``soft``, ``medium``, ``hard``, ``HR1``, ``HR2``
            (any case).
        binning : str
            ``'observation'`` (or ``'obsid'``, ``'obs'``), ``'snapshot'``, or
            ``'counts'`` (transients only); case-insensitive.
        time_format : {'mjd', 'tdb', 'met'}
            ``mjd``: ``time`` is UTC. ``tdb``: ``time`` is TDB. ``met``: the
            server's Swift MET values are kept in a ``MET`` column (s), and
            ``time`` (UTC) is taken from the same light curve requested in MJD
            - a **second request** - after checking that the bins correspond:
            MET cannot be converted to UTC exactly without the spacecraft
            clock correction, which the server does not send.
        transient : bool
            The identifiers are transients: total band, MJD only; ``bands``,
            ``time_format`` and the flags below do not apply and are warned
            about (`~astroquery_sxps.exceptions.IgnoredOptionWarning`).
        trans_as_source : bool
            With ``transient=True``: get the light curve of the LSXPS source
            the transient became (one extra lookup call); results are keyed
            by the LSXPS identifiers.
        get_all_types : bool, optional
            Every class of bin in its own dataset (overrides the flags below,
            which are then warned about and not sent).
        group_rates, group_uls, group_hrs, retro_as_ul, nondet_as_ul, get_retro_hr, show_obs, hide_bad_pup, merge_aliases : bool, optional
            Sent as ``groupRates``, ``groupULs``, ``groupHRs``, ``retroAsUL``,
            ``nondetAsUL``, ``getRetroHR``, ``showObs``, ``hideBadPup``,
            ``mergeAliases`` only when given (server defaults: True, True,
            True, False, True, True, False, True, True). ``show_obs`` adds an
            ``ObsID`` column.
        skip_errors : bool
            With several identifiers: leave out (and log) those the server
            rejects, split sources and transients not yet in LSXPS.
        cache : bool
        get_query_payload : bool
            Return the request body (a list for several identifiers, for
            ``time_format='met'`` - MET and MJD bodies - and, with
            ``trans_as_source``, the lookup body) and send nothing.

        Returns
        -------
        `~astroquery_sxps.LightCurveCollection` or dict
            One collection (a mapping dataset name -> TimeSeries, plus
            ``meta`` and ``datasets``), or, for a list or tuple, a dict of
            them keyed by the identifiers as supplied.

        Raises
        ------
        astroquery.exceptions.InvalidQueryError
            Bad arguments (before any request).
        astroquery_sxps.exceptions.SourceSplitError
            The source was split into several newer ones.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> lcs = SXPS.get_lightcurve(source_name='LSXPS J062131.8-622213',
        ...                           binning='obsid', time_format='mjd')  # doctest: +REMOTE_DATA
        >>> lcs.datasets[:2]  # doctest: +REMOTE_DATA
        ['Total_rates', 'Total_UL']
        >>> len(lcs['Total_rates'])  # doctest: +REMOTE_DATA +SKIP
        44
        """
        plan = lightcurves.lightcurve_plan(
            source_id, source_name, catalog=catalog, bands=bands, binning=binning,
            time_format=time_format, transient=transient, trans_as_source=trans_as_source,
            get_all_types=get_all_types, skip_errors=skip_errors, options=dict(
                group_rates=group_rates, group_uls=group_uls, group_hrs=group_hrs,
                retro_as_ul=retro_as_ul, nondet_as_ul=nondet_as_ul,
                get_retro_hr=get_retro_hr, show_obs=show_obs, hide_bad_pup=hide_bad_pup,
                merge_aliases=merge_aliases))
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    # -- spectra and images ------------------------------------------------------------
    def get_spectrum(self, source_id=None, source_name=None, *, catalog="LSXPS",
                     transient=False, trans_as_source=False, spec_type=None,
                     download_dir=None, save_data=True, extract=True, remove_tar=True,
                     save_images=True, clobber=False, skip_errors=False, cache=True,
                     get_query_payload=False):
        """Automatic spectral fits of SXPS sources or transients, optionally with their files.

        Tutorial (``getSpectra``/``saveSpectra``) -> here: ``sourceID`` ->
        ``source_id``, ``sourceName`` -> ``source_name``, ``cat`` ->
        ``catalog``, ``transAsSource`` -> ``trans_as_source``, ``specType`` ->
        ``spec_type``, ``destDir`` -> ``download_dir``, ``saveData`` ->
        ``save_data``, ``removeTar`` -> ``remove_tar``, ``saveImages`` ->
        ``save_images``, ``skipErrors`` -> ``skip_errors``. ``returnData`` is
        implied: the fit table is always returned. To save the files of a
        result already in hand (``saveSpectra``), use `save_spectra`.

        Parameters
        ----------
        source_id, source_name : int or str, or list of them
            Exactly one: LSXPS/2SXPS source IDs or names, or transient IDs or
            "Swift J..." names with ``transient=True``.
        catalog : {'LSXPS', '2SXPS'}
        transient : bool
            The identifiers are transients (LSXPS only).
        trans_as_source : bool
            With ``transient=True``: get the spectrum of the LSXPS source each
            transient became (one extra lookup call); results are keyed by the
            LSXPS identifiers and ``spec_type`` does not apply.
        spec_type : {'discovery', 'full', 'both'}
            Required for transients (unless ``trans_as_source``): the spectrum
            of the discovery dataset, of all data, or both. Ignored otherwise.
        download_dir : str or path-like, optional
            Save the spectral archive (``interval0.tar.gz``) and the GIF plots
            here. One object goes straight into ``download_dir``; several go
            into one subdirectory each, named after the identifier; with
            ``spec_type='both'`` each object gets ``Discovery/`` and ``Full/``
            subdirectories (also for a single transient). Every file is
            fetched into astroquery's cache folder and copied (or extracted)
            from there: a repeated call with ``cache=True`` makes no request.
        save_data : bool
            Save the spectral archive (default). ``save_data=False`` with
            ``save_images=True`` saves only the GIF plots of the fits.
        extract : bool
            Extract the archive (safely: members with absolute paths, ``..``,
            links or devices are refused with
            `~astroquery_sxps.exceptions.UnsafeArchiveError` and nothing is
            extracted; the working directory is never changed).
        remove_tar : bool
            Delete the archive after extracting it.
        save_images : bool
            Download the GIF plots of the fits.
        clobber : bool
            Replace existing files; otherwise they are kept (and logged).
        skip_errors : bool
            With several identifiers: leave out (and log) objects the server
            rejects, split sources and transients not yet in LSXPS.
        cache : bool
            Use astroquery's cache for the JSON replies.
        get_query_payload : bool
            Return the request body (a list for several objects; with
            ``trans_as_source``, the lookup body) and send nothing.

        Returns
        -------
        `~astropy.table.Table`, or dict
            The fit table (see `astroquery_sxps.products.spectra.fit_table`): one row
            per fitted model with ``interval``, ``mode``, ``model``, the
            parameters (``NH`` in cm-2, ``Gamma``, ``KT`` in keV, ``ObsFlux``
            and ``UnabsFlux`` in erg cm-2 s-1) and their ``*Pos``/``*Neg``
            errors, ``Cstat``, ``Dof``, ``FitChi`` and ``Image`` (the plot
            URL, hidden from the printed view like ``plot_file``: the table
            prints within 80 columns); ``meta`` holds ``t0``,
            ``delta_fit_stat``, ``gal_nh_unfitted``, ``rnames`` and
            ``intervals``. With ``download_dir``, ``meta['files']`` holds the
            local paths as text (``pha``, ``source_pha``, ``background``,
            ``arf``, ``rmf``, ``plots``, ``archives``, ``members``) and a
            ``plot_file`` column is added; open the files with
            `~astroquery_sxps.open_spectrum_files`. An object without a
            spectrum or fit gives an empty table and a
            `~astroquery.exceptions.NoResultsWarning`.
            With ``spec_type='both'``: ``{'Discovery': Table, 'Full': Table}``.
            For a list or tuple of identifiers: a dict of these keyed by the
            identifiers as supplied.

        Raises
        ------
        astroquery.exceptions.InvalidQueryError
            Bad arguments (before any request).
        astroquery_sxps.exceptions.SourceSplitError
            The source was split into several newer ones.
        astroquery_sxps.exceptions.SXPSServerError
            The server rejected the request (its ERRORTEXT is quoted).
        astroquery_sxps.exceptions.UnsafeArchiveError
            The spectral archive would write outside ``download_dir``.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> fit = SXPS.get_spectrum(source_name='LSXPS J221755.4-082100')  # doctest: +REMOTE_DATA
        >>> apec = fit[fit['model'] == 'APEC'][0]  # doctest: +REMOTE_DATA
        >>> float(apec['FitChi'])  # doctest: +REMOTE_DATA +FLOAT_CMP
        2020.220249
        >>> both = SXPS.get_spectrum(576, transient=True, spec_type='both',
        ...                          download_dir='transSpec')  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
        """
        plan = spectra.spectrum_plan(
            source_id, source_name, catalog=catalog, transient=transient,
            trans_as_source=trans_as_source, spec_type=spec_type, download_dir=download_dir,
            save_data=save_data, extract=extract, remove_tar=remove_tar,
            save_images=save_images, clobber=clobber, skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def save_spectra(self, spectra, *, which_sources="all", download_dir="spectra",
                     save_data=True, extract=True, remove_tar=True, save_images=True,
                     clobber=False, cache=True, get_query_payload=False):
        """Save the files of spectra already returned by `get_spectrum`, without asking again.

        Tutorial name: ``saveSpectra`` (``specData`` -> ``spectra``,
        ``whichSources`` -> ``which_sources``, ``destDir`` ->
        ``download_dir``, ``saveData`` -> ``save_data``, ``removeTar`` ->
        ``remove_tar``, ``saveImages`` -> ``save_images``). The URLs come from
        the fit tables (``meta['intervals']`` and the ``Image`` column): no
        ``getSXPSSpectrumData`` request is sent, only the file downloads
        (none while the files are in the cache).

        Parameters
        ----------
        spectra : `~astropy.table.Table` or dict
            What `get_spectrum` returned: a fit table, ``{'Discovery': Table,
            'Full': Table}`` for a transient, or a dict of these keyed by
            identifier (several objects).
        which_sources : 'all', identifier or list of identifiers
            For a dict of results: which objects to save (keys of the dict).
        download_dir : str or path-like
            As in `get_spectrum`: one object straight into ``download_dir``,
            several in one subdirectory each, ``Discovery/`` and ``Full/`` for
            both spectra of a transient.
        save_data, extract, remove_tar, save_images, clobber : bool
            As in `get_spectrum`.
        cache : bool
            Reuse files already in astroquery's cache folder.
        get_query_payload : bool
            Return the API request bodies: an empty list (nothing but file
            downloads is sent).

        Returns
        -------
        `~astropy.table.Table` or dict
            Copies of the saved results (the input is not changed), with
            ``meta['files']`` and a ``plot_file`` column as in `get_spectrum`.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> fits = SXPS.get_spectrum(source_name=['LSXPS J051152.3-621925',
        ...                                       'LSXPS J221755.4-082100'])  # doctest: +REMOTE_DATA
        >>> saved = SXPS.save_spectra(fits, which_sources=['LSXPS J221755.4-082100'],
        ...                           download_dir='saved_spectra')  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
        >>> sorted(saved)  # doctest: +REMOTE_DATA
        ['LSXPS J221755.4-082100']
        """
        plan = save_spectra_plan(
            spectra, which_sources=which_sources, download_dir=download_dir,
            save_data=save_data, extract=extract, remove_tar=remove_tar,
            save_images=save_images, clobber=clobber)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def get_images(self, source_id=None, source_name=None, *, obsid=None, dataset_id=None,
                   catalog="LSXPS", bands="all", types="all", get_regions=False,
                   transient=False, trans_as_source=False, download_dir=None, subdirs=True,
                   clobber=False, skip_errors=False, cache=True, get_query_payload=False):
        """Source thumbnails (PNG) or dataset images (FITS) and region files.

        Give exactly one identifier: ``source_id``/``source_name`` for the
        PNG thumbnails of sources (or transients), ``obsid``/``dataset_id``
        for the FITS images of datasets.

        Tutorial -> here: ``saveSourceImages`` and ``saveDatasetImages`` ->
        ``get_images``; ``sourceID`` -> ``source_id``, ``sourceName`` ->
        ``source_name``, ``ObsID`` -> ``obsid``, ``DatasetID`` ->
        ``dataset_id``, ``cat`` -> ``catalog``, ``getRegions`` ->
        ``get_regions``, ``transAsSource`` -> ``trans_as_source``,
        ``destDir`` -> ``download_dir``, ``subDirs`` -> ``subdirs``,
        ``skipErrors`` -> ``skip_errors``.

        Parameters
        ----------
        source_id, source_name : int or str, or list of them
            Sources (LSXPS/2SXPS IDs or names), or transients with
            ``transient=True``.
        obsid : str or int, or list of them
            Dataset ObsIDs (11 digits; ints are zero-padded).
        dataset_id : int, or list of them
            LSXPS DatasetIDs.
        catalog : {'LSXPS', '2SXPS'}
        bands : 'all' or list of str
            Among ``total``, ``soft``, ``medium``, ``hard`` and ``expmap`` (the
            exposure map), case-insensitive.
        types : 'all' or list of str
            Dataset images only: ``Image``, ``BackgroundMap`` (``bgmap``),
            ``BackgroundMapWithSources`` (``bgmap_wsrc``), case-insensitive.
        get_regions : bool
            Dataset images only: also get the ds9 region file of each band.
        transient, trans_as_source : bool
            Source images of transients (LSXPS only); with
            ``trans_as_source``, of the LSXPS source each transient became.
        download_dir : str or path-like, optional
            Where to save. Source images: ``<dir>/<identifier>/<Band>.png``
            (``subdirs=True``) or ``<dir>/<identifier>_<Band>.png``. Dataset
            images keep the server's names (``00282445000_total.img.gz``,
            ``total.reg``...) in ``<dir>/<identifier>/``, or directly in
            ``<dir>`` with ``subdirs=False`` (region files are then prefixed
            ``<identifier>_`` so that datasets do not overwrite each other's).
            Without it, files go to astroquery's cache directory and are
            reused while ``cache=True``.
        subdirs : bool
            One subdirectory per object (the default, even for one object).
        clobber : bool
            Replace existing files in ``download_dir``; otherwise they are kept.
        skip_errors : bool
            With several identifiers: leave out (and log) objects the server
            rejects.
        cache : bool
        get_query_payload : bool
            Return the request body (a list for several objects) and send nothing.

        Returns
        -------
        `~astroquery_sxps.SourceImages` or `~astroquery_sxps.DatasetImages`, or dict
            The same kind of result for both: a mapping to the local paths
            (`~pathlib.Path`) of the files, with ``open`` to read one.
            Source images: ``result[band]`` (``Total``, ``Soft``, ``Medium``,
            ``Hard``, ``Expmap``; images the server does not have are logged
            and absent); ``result.open(band)`` gives the PNG as an array.
            Dataset images: ``result[band][type]`` (types ``Image``,
            ``BackgroundMap``, ``BackgroundMapWithSources``, ``Regions``; the
            exposure map is ``result['Expmap']['Image']``);
            ``result.open(band, type)`` gives an `~astropy.io.fits.HDUList`,
            or for ``Regions`` a `regions.Regions`. Nothing is read until you
            open it. For a list or tuple of identifiers, a dict of these
            keyed by identifier.

        Raises
        ------
        astroquery.exceptions.InvalidQueryError
            Bad arguments (before any request).
        astroquery_sxps.exceptions.SXPSServerError
            E.g. a dataset that does not exist (including a removed stack);
            an obsolete stack gives a
            `~astroquery_sxps.exceptions.SupersededWarning` instead.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> paths = SXPS.get_images(source_name='LSXPS J051152.3-621925',
        ...                         download_dir='images')  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
        >>> sorted(paths)  # doctest: +REMOTE_DATA
        ['Expmap', 'Hard', 'Medium', 'Soft', 'Total']
        >>> ims = SXPS.get_images(obsid='00282445000',
        ...                       get_regions=True)  # doctest: +REMOTE_DATA +IGNORE_OUTPUT
        >>> ims['Total']['Image'].name  # doctest: +REMOTE_DATA
        '00282445000_total.img.gz'
        >>> ims.open('Total', 'Image')[0].header['NAXIS']  # doctest: +REMOTE_DATA
        2
        """
        plan = images.images_plan(
            source_id, source_name, obsid, dataset_id, catalog=catalog, bands=bands,
            types=types, get_regions=get_regions, transient=transient,
            trans_as_source=trans_as_source, download_dir=download_dir, subdirs=subdirs,
            clobber=clobber, skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def get_image_list(self, source_id=None, source_name=None, *, obsid=None, dataset_id=None,
                       catalog="LSXPS", bands="all", types="all", get_regions=False,
                       transient=False, trans_as_source=False, skip_errors=False, cache=True,
                       get_query_payload=False):
        """The URLs of source or dataset images, without downloading anything.

        Same identifiers and options as `get_images`.

        Returns
        -------
        `~astropy.table.Table`
            One row per available file: ``identifier``, ``band``, ``type``
            (``thumbnail`` for source images; ``Image``, ``BackgroundMap``,
            ``BackgroundMapWithSources`` or ``Regions`` for datasets), ``url``
            and ``file_name`` (the name `get_images` saves it under). Files
            the server reports as missing are logged and absent.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> urls = SXPS.get_image_list(obsid='00282445000', bands='total')  # doctest: +REMOTE_DATA
        >>> urls['file_name'].tolist()  # doctest: +REMOTE_DATA
        ['00282445000_total.img.gz', '00282445000_total_final_BGmap.img.gz',
         '00282445000_total_final_BGmap_w_source.img.gz']
        """
        plan = images.image_list_plan(
            source_id, source_name, obsid, dataset_id, catalog=catalog, bands=bands,
            types=types, get_regions=get_regions, transient=transient,
            trans_as_source=trans_as_source, skip_errors=skip_errors)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    # -- working at scale: built on the methods above (astroquery_sxps.scale) -----------
    def query_upper_limits(self, positions, *, journal=None, skip_uncovered=False,
                           show_progress=True, catalog="LSXPS", bands="total",
                           which_data="deepest", sigma=3, det_thresh=None,
                           detections_as_rates=False, skip_detections=False,
                           use_cat_values=False, time_format="cal", cache=True,
                           get_query_payload=False):
        """Upper limits at many positions, stacked in one Table.

        Every position is asked with `query_upper_limit` (same options, except
        the position arguments), at most ``conf.max_workers`` at once, with one
        progress bar for the whole job. A position that fails does not stop the
        others: it is listed in ``meta['failures']``. Several failures of the
        service itself in a row (an outage, after the transport's retries)
        stop the job with `~astroquery_sxps.exceptions.BatchAbortedError` instead
        of failing every remaining position; see `astroquery_sxps.scale.batch`.

        Parameters
        ----------
        positions : `~astropy.coordinates.SkyCoord`, list or `~astropy.table.Table`
            A SkyCoord array; a list of scalar SkyCoords, ``(ra, dec)`` pairs
            (degrees, Quantities or strings with units), coordinate strings or
            object names (resolved by the server); or a Table with RA/Dec
            columns (``ra``/``dec``, ``RA``/``Dec``/``Decl``, any case; numbers
            are degrees), a SkyCoord column, or a ``name`` column.
        journal : str or path-like, optional
            An SQLite file in which each finished position is stored as soon as
            it completes. Running the same call again (after a crash, a kill or
            an outage) asks only the positions without a stored answer, and
            fetches jobs the server reported as pending by their id. A journal
            written with other options, or with other positions at the same
            indices, is refused with
            `~astroquery_sxps.exceptions.JournalMismatchError` (appending positions
            is fine). Failed positions are not stored: they are asked again.
        skip_uncovered : bool, optional
            Do not ask for positions outside the coverage of the catalogue's
            datasets (`get_coverage_moc`); they get one row with masked values
            and ``covered`` False. Object names cannot be checked without
            the server and are always asked.
        show_progress : bool, optional
            One progress bar for the whole job (shown on a terminal).
        catalog, bands, which_data, sigma, det_thresh, detections_as_rates, skip_detections, use_cat_values, time_format, cache
            As for `query_upper_limit`.
        get_query_payload : bool, optional
            Return the list of request bodies (one per position) and send
            nothing (coverage is then not checked).

        Returns
        -------
        `~astropy.table.Table`
            The rows of every position's answer, in input order, with
            ``input_index`` (the row of ``positions``), ``input`` (the input
            as text), ``position`` (a SkyCoord: the position used, as resolved
            by the server for names and strings) and, with ``skip_uncovered``
            when some position was skipped, ``covered``; then the columns of
            `query_upper_limit`. A position whose answer has no rows has no
            rows here either. ``meta['failures']`` is a Table of
            ``input_index``, ``input``, ``error_type``, ``error`` (the text)
            and ``job_id`` (for a job still pending:
            ``retrieve_upper_limit(job_id)`` fetches it later, as does running
            the call again with the same journal); ``meta['det_data']`` lists
            catalogued sources within 30 arcsec, with ``input_index``.
            ``meta`` also holds ``n_positions``, ``n_uncovered``,
            ``n_from_journal`` and the options (``catalog``, ``time_format``...).

        Raises
        ------
        astroquery.exceptions.InvalidQueryError
            Bad options or positions (the message names the position), before
            any request; `~astroquery_sxps.exceptions.JournalMismatchError` for a
            journal of another job.
        astroquery_sxps.exceptions.BatchAbortedError
            The service failed several times in a row; ``.partial`` holds the
            result so far and ``.not_asked`` the indices never asked.

        Warns
        -----
        astroquery_sxps.exceptions.CataloguedSourceWarning
            Once, with the number of positions near catalogued sources.

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> ul = SXPS.query_upper_limits(['334.502058 -8.256481', 'V* FO Aqr'],
        ...                              journal='sample.sqlite')  # doctest: +REMOTE_DATA +SKIP
        >>> ul['input_index', 'ObsID', 'Total_UpperLimit']  # doctest: +SKIP
        """
        plan = scale.composite_plan(
            scale.query_upper_limits, self, positions, journal=journal,
            skip_uncovered=skip_uncovered, show_progress=show_progress, catalog=catalog,
            bands=bands, which_data=which_data, sigma=sigma, det_thresh=det_thresh,
            detections_as_rates=detections_as_rates, skip_detections=skip_detections,
            use_cat_values=use_cat_values, time_format=time_format)
        return self._run(plan, cache=cache, get_query_payload=get_query_payload)

    def get_coverage_moc(self, catalog="LSXPS", *, radius=None, cache=True):
        """The sky coverage of the catalogue's datasets, as a `mocpy.MOC`.

        Each dataset of the ``datasets`` table (`get_full_table`) covers a disc
        around its pointing of radius 16.7 arcmin (the circle containing the
        23.6 arcmin square XRT field at any roll angle), and the MOC is their
        union at HEALPix order 11 (1.7 arcmin cells, every touched cell
        included): a slight over-estimate, never an under-estimate, of where
        upper limits can be calculated. See `astroquery_sxps.scale.coverage`.

        Parameters
        ----------
        catalog : {'LSXPS', '2SXPS'}
        radius : `~astropy.units.Quantity` or float, optional
            Another disc radius (a number is in arcmin).
        cache : bool, optional
            Reuse the cached datasets table, and a MOC this object already built.

        Returns
        -------
        `mocpy.MOC`

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> moc = SXPS.get_coverage_moc()  # doctest: +REMOTE_DATA +SKIP
        >>> moc.contains_lonlat(positions.ra, positions.dec)  # doctest: +SKIP
        """
        plan = scale.composite_plan(scale.get_coverage_moc, self, catalog, radius=radius)
        return self._run(plan, cache=cache, get_query_payload=False)

    def crossmatch(self, other, radius, *, catalog="LSXPS", table="sources", engine="astropy",
                   catalog_hats=None, show_progress=True, cache=True):
        """Pairs of input rows and catalogue rows closer than ``radius``.

        Parameters
        ----------
        other : `~astropy.coordinates.SkyCoord`, `~astropy.table.Table`, LSDB catalogue or path
            The positions: a SkyCoord, or a Table with RA/Dec columns (as for
            `query_upper_limits`) or a SkyCoord column. With
            ``engine='lsdb'`` also an LSDB catalogue or a HATS directory.
        radius : `~astropy.units.Quantity` or float
            Match radius (a number is in arcsec).
        catalog : {'LSXPS', '2SXPS'}
        table : str
            The catalogue table (see `get_full_table`), default ``'sources'``.
        engine : {'astropy', 'server', 'lsdb'}
            ``'astropy'``: the full table (downloaded once, cached) against
            ``other`` in memory with `~astropy.coordinates.search_around_sky`.
            ``'server'``: one `query_region` cone search per position (a
            handful of positions, no table download; all columns).
            ``'lsdb'``: an LSDB cross-match on Dask (the active
            ``dask.distributed`` client, else a local cluster for the call)
            against the table written as a HATS catalogue in astroquery's
            cache (or ``catalog_hats``); needs the ``[scale]`` extra.
        catalog_hats : str or path-like, optional
            ``engine='lsdb'``: a HATS catalogue of the table already written
            with `to_hats` (its margin must be at least ``radius``).
        show_progress : bool, optional
            Progress bar while the full table downloads.
        cache : bool, optional
            Reuse the cached table (and, for lsdb, the cached HATS catalogue).

        Returns
        -------
        `~astropy.table.Table`
            One row per pair: ``input_index`` (the row of ``other``), the
            catalogue row's columns, and ``separation`` (arcsec), sorted by
            input then separation. For an LSDB/HATS ``other`` its own columns
            come first instead of ``input_index`` (suffixed ``_input`` where
            the catalogue has the same name), sorted by their spatial index.

        Raises
        ------
        astroquery.exceptions.InvalidQueryError
            Bad arguments (before any request).
        ImportError
            ``engine='lsdb'`` without the ``[scale]`` extra.

        Examples
        --------
        >>> import astropy.units as u
        >>> from astropy.coordinates import SkyCoord
        >>> from astroquery_sxps import SXPS
        >>> mine = SkyCoord([249.2525, 177.5283], [7.6539, 64.3284], unit='deg')
        >>> pairs = SXPS.crossmatch(mine, 10 * u.arcsec)  # doctest: +REMOTE_DATA +SKIP
        """
        plan = scale.composite_plan(scale.crossmatch, self, other, radius, catalog=catalog,
                                    table=table, engine=engine, catalog_hats=catalog_hats,
                                    show_progress=show_progress)
        return self._run(plan, cache=cache, get_query_payload=False)

    def to_hats(self, table="sources", path=None, *, catalog="LSXPS", catalog_name=None,
                margin_threshold=60.0, overwrite=False, show_progress=True, cache=True):
        """Write a catalogue table as a HATS catalogue (for LSDB; the ``[scale]`` extra).

        Parameters
        ----------
        table : str or `~astropy.table.Table`
            A table name of ``catalog`` (default ``'sources'``: the full table
            is fetched with `get_full_table`) or a Table already in memory.
        path : str or path-like, optional
            The directory to write (default: ``hats/<catalog>_<table>`` in
            astroquery's cache, which ``crossmatch(engine='lsdb')`` uses).
        catalog : {'LSXPS', '2SXPS'}
        catalog_name : str, optional
            The HATS catalogue name (default ``<catalog>_<table>``).
        margin_threshold : `~astropy.units.Quantity` or float, optional
            Margin cache width (a number is in arcsec; default 60): the
            largest cross-match radius the catalogue serves exactly.
        overwrite : bool, optional
            Replace an existing catalogue at ``path``.
        show_progress, cache : bool, optional
            For the download of the full table.

        Returns
        -------
        `pathlib.Path`

        Examples
        --------
        >>> from astroquery_sxps import SXPS
        >>> path = SXPS.to_hats('sources', 'lsxps_hats')  # doctest: +REMOTE_DATA +SKIP
        """
        plan = scale.composite_plan(
            scale.catalog_to_hats, self, table, path, catalog=catalog,
            catalog_name=catalog_name, margin_threshold=margin_threshold, overwrite=overwrite,
            show_progress=show_progress)
        return self._run(plan, cache=cache, get_query_payload=False)


SXPS = SXPSClass()
