"""UpSampling1D: repeats each step of (batch, steps, features) `size` times."""

from keraslite.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    def __init__(self, size=2, **kwargs):
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"UpSampling1D: `size` must be an int, received {type(size).__name__} "
                            f"({size!r}).")
        super().__init__(1, size, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]  # always channels_last; Keras has no such argument here
        config["size"] = self.size[0]
        return config
