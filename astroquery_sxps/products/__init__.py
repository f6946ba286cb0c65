"""Data products that come as files: spectra, images and observation data.

=============  ===================================================================
module         what it holds
=============  ===================================================================
``spectra``    spectral fits (a Table) and the spectral files (PHA, ARF, RMF)
``images``     source thumbnails (PNG), dataset images (FITS) and region files
``obsdata``    Swift observation data from the UKSSDC archive
=============  ===================================================================
"""
from .images import DatasetImages, ImageFiles, SourceImages
from .spectra import open_spectrum_files

__all__ = ["DatasetImages", "ImageFiles", "SourceImages", "open_spectrum_files"]
