"""RemoteMonitor: posts each epoch's logs to an HTTP server (standard library only)."""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from keraslite.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """At the end of every epoch, POSTs ``{"epoch": epoch, **logs}`` as JSON to `root + path`.

    With `send_as_json=True` the body is that JSON (content type application/json); otherwise
    it is a form whose field `field` holds the JSON text. `headers` adds HTTP headers. An
    unreachable server gives a warning, not an error; the server's answer is not checked.
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        if self.send_as_json:
            body, content_type = json.dumps(send), "application/json"
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)})
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.root + self.path, data=body.encode("utf-8"), method="POST",
            headers={"Content-Type": content_type, **(self.headers or {})})
        try:
            with urllib.request.urlopen(request):
                pass
        except urllib.error.HTTPError:
            pass  # the server answered: an error status is its business
        except OSError:  # URLError, refused connections, timeouts
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}",
                          stacklevel=2)
