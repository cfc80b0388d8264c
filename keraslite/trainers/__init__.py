"""Training loop pieces shared by every model and backend."""
