"""Sources, datasets and transients: their catalogue records and what is derived from them.

=====================  ============================================================
module                 what it holds
=====================  ============================================================
``details``            source, dataset and transient records (`SourceDetails`...)
``obslist``            observation lists of a source (`ObsList`)
``product_request``    XRT on-demand product requests (`ProductRequestSpec`)
``living``             the living catalogue: superseded and split sources,
                       transients that became LSXPS sources
=====================  ============================================================
"""
from .details import DatasetDetails, SourceDetails, TransientDetails, records_to_table
from .obslist import ObsList
from .product_request import ProductRequestSpec

__all__ = ["SourceDetails", "DatasetDetails", "TransientDetails", "records_to_table",
           "ObsList", "ProductRequestSpec"]
