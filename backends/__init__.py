"""keraslite's built-in backends, registered in the `keraslite.backends` entry-point group."""
