"""keraslite.datasets: small data sets shipped with the package (nothing is downloaded)."""

from keraslite.datasets import iris

__all__ = ["iris"]
