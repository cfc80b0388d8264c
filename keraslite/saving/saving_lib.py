"""Weights files in Keras 3's `.weights.h5` layout, readable and writable by both libraries.

Keras does not address variables by layer or variable names (those are auto-generated and
differ between two builds of the same model) but by where its saving walk meets each object:

- the model's own variables go in `vars`; every layer or optimizer met later gets a group
  `<path>/vars` (attribute `name` = the object's name) holding its own variables as datasets
  "0", "1", ... (trainable-at-creation first, then the others; an optimizer's `variables`);
- from an object, the walk follows its attributes sorted by name with private ones last.
  Sequential and Functional models first follow `layers` (Sequential leaves out its
  InputLayer, Functional lists layers deepest first); a subclassed model also has `layers`,
  which sorts among its attributes; `optimizer` is an attribute like any other;
- inside a list, tuple or dict (values), an item's path is its class name in snake_case,
  numbered `_1`, `_2`... per class, and a nested container is `container`, `container_1`...;
- each object is written once, at the first path that reaches it (later items of a
  container still take a number);
- metrics, losses and seed generators hold nothing in the file.
"""

import contextlib
import os
import re
import sys
import tempfile
import uuid
import warnings

import numpy as np

from keraslite.saving import assets

SUFFIX = ".weights.h5"

# keraslite internals that hold layers Keras keeps under attributes its walk skips
_INTERNAL = frozenset({"_stack", "_keras_functional", "_function_layers", "_inbound_nodes"})


def keras_snake_case(name):
    """Class name to path component, by Keras' rule (Conv2D -> conv2d, LSTMCell -> lstm_cell)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class UnsafeFileError(ValueError):
    """The file points outside itself (links, external or virtual data): refused."""


# ------------------------------------------------------------------------------ the walk

def _is_saveable(value):
    from keraslite.layers.layer import Layer
    from keraslite.optimizers.optimizer import Optimizer

    return isinstance(value, (Layer, Optimizer))


def _is_container(value):
    return isinstance(value, (list, tuple, dict))


def _join(path, name):
    return f"{path}/{name}" if path else name


def _functional_layers(model):
    """A Functional model's layers in Keras' order: by decreasing depth from the outputs, ties
    in the order a depth-first walk back from the outputs first meets them. Ops applied to
    symbolic tensors are layers in keraslite but not in Keras, so they are left out."""
    from keraslite.layers.op_layer import OpLayer

    input_ids = {id(t) for t in model.inputs}
    nodes, first_seen, done = [], {}, set()

    def visit(tensor):
        layer, index, _ = tensor._keras_history
        node = layer._inbound_nodes[index]
        if id(node) in done:
            return
        if not node.is_input and id(tensor) in input_ids:  # produced outside this graph
            done.add(id(node))
            return
        first_seen.setdefault(id(layer), len(first_seen))
        if not node.is_input:
            for t in node.input_tensors:
                visit(t)
        done.add(id(node))
        nodes.append(node)

    for t in model.outputs:
        visit(t)
    in_graph = {id(n) for n in nodes}
    node_depth, layer_depth, layers = {}, {}, {}
    for node in reversed(nodes):  # outputs first: a node is one deeper than its deepest user
        depth = max(node_depth.get(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        layers[id(node.layer)] = node.layer
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in model.inputs:  # inputs no output depends on still count
        layer = t._keras_history[0]
        if id(layer) not in layers:
            layers[id(layer)], layer_depth[id(layer)], first_seen[id(layer)] = layer, 0, -1
    order = sorted(layers, key=lambda k: (-layer_depth[k], first_seen[k]))
    return [layers[k] for k in order if not isinstance(layers[k], OpLayer)]


def _attributes(obj):
    """(name, value) pairs the walk follows from `obj`, in Keras' order."""
    from keraslite.models.functional import Functional
    from keraslite.models.model import Model
    from keraslite.models.sequential import Sequential

    first = []
    if isinstance(obj, Sequential):
        first = [("layers", obj.layers)]
    elif isinstance(obj, Functional):
        first = [("layers", _functional_layers(obj))]
    attrs = {k: v for k, v in vars(obj).items()
             if k not in _INTERNAL and not k.startswith(("__", "_keras_"))}
    if isinstance(obj, Model) and not first:
        attrs["layers"] = obj.layers
    # Keras sorts dir(obj) with private names after public ones
    names = sorted(attrs, key=lambda k: "~" + k if k.startswith("_") else k)
    return first + [(k, attrs[k]) for k in names]


def saveables(model):
    """[(path, object)] for every layer and optimizer under `model`, in Keras' walk order."""
    out, visited = [], set()

    def walk(obj, path):
        if id(obj) in visited:
            return
        visited.add(id(obj))
        out.append((path, obj))
        for name, value in _attributes(obj):
            follow(value, _join(path, name), set())

    def follow(value, path, seen_containers):
        if _is_saveable(value):
            walk(value, path)
        elif _is_container(value) and id(value) not in seen_containers:
            seen_containers.add(id(value))
            counts = {}
            for item in (value.values() if isinstance(value, dict) else value):
                if _is_saveable(item):
                    name = keras_snake_case(type(item).__name__)
                elif _is_container(item):
                    name = "container"
                else:
                    continue
                n = counts.get(name, -1) + 1
                counts[name] = n
                follow(item, _join(path, name if n == 0 else f"{name}_{n}"), seen_containers)

    walk(model, "")
    return out


# ------------------------------------------------------------------------------ one object

def _to_numpy(value):
    from keraslite import ops
    from keraslite.backend.variables import Variable

    if isinstance(value, Variable):
        return np.asarray(value.numpy())
    return np.asarray(ops.convert_to_numpy(value))


class _ReadStore:
    """The datasets of one `vars` group as a read-only mapping (empty if the group is absent)."""

    def __init__(self, group, file_size):
        self._group = group
        self._file_size = file_size
        self._limit = read_limit(file_size)

    def keys(self):
        return list(self._group.keys()) if self._group is not None else []

    def __len__(self):
        return len(self.keys())

    def __contains__(self, key):
        return key in self.keys()

    def __getitem__(self, key):
        if key not in self:
            raise KeyError(key)
        return read_dataset(self._group, key, self._limit, self._file_size)


def read_dataset(parent, path, limit, file_size):
    """The array at parent[path], refusing links, data stored outside the file, non-numeric
    data and declared sizes beyond `limit` bytes (checked before anything is read)."""
    import h5py

    dataset = _safe_get(parent, path)
    if not isinstance(dataset, h5py.Dataset):
        raise ValueError(f"Invalid weights file: '{dataset.name}' is not a dataset.")
    if dataset.is_virtual or dataset.external:
        # their data lives in other files: reading would open paths the file chose
        raise UnsafeFileError(f"Refusing to load '{dataset.name}': its data is stored outside "
                              "the weights file (virtual or external dataset).")
    if dataset.dtype.kind not in "biufc" or dataset.nbytes > limit:
        # a declared shape far beyond the file's size (a sparse chunked dataset filled on
        # read) would allocate without bound; object/string data is no weight at all
        raise UnsafeFileError(f"Refusing to load '{dataset.name}': {dataset.dtype} data of "
                              f"shape {dataset.shape} ({dataset.nbytes} bytes) does not fit "
                              f"a weights file of {file_size} bytes.")
    value = dataset[()]
    if dataset.attrs.get("dtype") == "bfloat16":  # stored as raw 2-byte values
        import ml_dtypes

        value = np.asarray(value).view(ml_dtypes.bfloat16)
    return np.asarray(value)


def read_limit(file_size):
    """What a dataset may expand to when read: a little over the file (its own bytes), with
    room for datasets compressed by other writers."""
    return max(2**26, 4 * file_size)


def _safe_get(parent, path):
    """parent[path], refusing links: an external or soft link would make h5py open or read
    whatever the file names (another file, another place in this one)."""
    import h5py

    node = parent
    for name in path.split("/"):
        link = node.get(name, getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            raise UnsafeFileError(f"Refusing to load '{node.name.rstrip('/')}/{name}': the weights "
                             "file links it elsewhere (external or soft link).")
        node = node[name]
    return node


def _write_values(group, values):
    for key, value in values.items():
        value = _to_numpy(value)
        if value.dtype.kind == "V":  # bfloat16: h5py keeps the raw bytes, the name says how
            group.create_dataset(key, data=value).attrs["dtype"] = value.dtype.name
        else:
            group[key] = value


# ------------------------------------------------------------------------------ public API

def _check_path(filepath):
    filepath = os.fspath(filepath)
    if not str(filepath).endswith(SUFFIX):
        raise ValueError(f"The filename must end in `{SUFFIX}`. Received: filepath={filepath}")
    return filepath


def _check_built(model, doing):
    if not model.built:
        raise ValueError(f"You are {doing} a model that has not yet been built. Try building the "
                         "model first by calling it on some data or by using `build()`.")


def _confirm_overwrite(filepath):
    if sys.stdin is None or not sys.stdin.isatty():
        raise FileExistsError(f"{filepath} already exists and save_weights was called with "
                              "overwrite=False.")
    answer = ""
    while answer not in ("y", "n"):
        answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    return answer == "y"


def save_weights(model, filepath, overwrite=True):
    """Write the weights of `model` (and its optimizer's state) to a `.weights.h5` file."""
    filepath = _check_path(filepath)
    if os.path.exists(filepath) and not overwrite and not _confirm_overwrite(filepath):
        return
    _check_built(model, "saving")
    with atomic_write(filepath) as tmp:
        write_weights(model, tmp)


@contextlib.contextmanager
def atomic_write(filepath):
    """Yield a temporary path next to `filepath`, renamed over it when the block succeeds: a
    failed or killed save leaves the old file intact. (A fresh name rather than mkstemp, whose
    0600 mode would outlive the rename.)"""
    directory, base = os.path.split(os.path.abspath(filepath))
    tmp = os.path.join(directory, f".{base}.{uuid.uuid4().hex}.tmp")
    try:
        yield tmp
        os.replace(tmp, filepath)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_weights(model, target):
    """The weights of `model` into an HDF5 file at `target` (a path or a binary file object)."""
    import h5py

    with h5py.File(target, "w") as f:
        for path, obj in saveables(model):
            group = f.create_group(_join(path, "vars"))
            group.attrs["name"] = obj.name
            store = {}
            obj.save_own_variables(store)
            _write_values(group, store)


def load_weights(model, filepath, skip_mismatch=False):
    """Load a `.weights.h5` file (written by keraslite or Keras 3) into `model`.

    Every mismatch (variable count or shape, a layer the file lacks, weights in the file the
    model has no place for) is collected; then a ValueError lists them, or with
    `skip_mismatch=True` a warning does and the mismatched objects keep their values. Unlike
    Keras, which ignores weights the model has no place for, keraslite reports them (a file
    with more layers than the model is a mistake worth hearing about); optimizer state is
    exempt, so a compiled model's file still loads into an uncompiled one."""
    filepath = _check_path(filepath)
    _check_built(model, "loading weights into")
    read_weights(model, filepath, skip_mismatch, filepath)


def _size_of(source):
    if hasattr(source, "getbuffer"):
        return source.getbuffer().nbytes
    return os.path.getsize(source)


def read_weights(model, source, skip_mismatch, shown_name):
    """Load the HDF5 weights at `source` (a path or a binary file object) into `model`."""
    import h5py

    errors, used = [], set()
    file_size = _size_of(source)
    try:
        f = h5py.File(source, "r")
    except OSError as e:
        raise CorruptFileError(f"{shown_name} is not a readable HDF5 weights file: {e}") \
            from None
    stored = []
    try:
        with f:
            for path, obj in saveables(model):
                key = _join(path, "vars")
                used.add(key)
                group = _safe_get(f, key)
                store = _ReadStore(group if isinstance(group, h5py.Group) else None, file_size)
                try:
                    obj.load_own_variables(store)
                except UnsafeFileError:
                    raise  # never skipped, whatever skip_mismatch says
                except Exception as e:  # noqa: BLE001  (reported below with the path)
                    errors.append(f"'{key}': {e}")
            f.visititems(lambda name, item: stored.append(name) if (
                name.split("/")[-1] == "vars" and isinstance(item, h5py.Group) and len(item))
                else None)
    except (KeyError, OSError, RuntimeError) as e:
        # h5py's errors for damaged structures (objects, heaps, B-trees that do not parse)
        raise CorruptFileError(f"{shown_name} is corrupted: {e}") from None
    # an optimizer's state is optional: weights of a compiled model load into an uncompiled one
    for key in stored:
        if key not in used and "optimizer" not in key.split("/"):
            errors.append(f"'{key}': the file holds weights here but the model has no "
                          "matching layer.")
    if errors:
        msg = (f"{len(errors)} object(s) could not be loaded from {shown_name}:\n  "
               + "\n  ".join(errors))
        if not skip_mismatch:
            raise ValueError(msg)
        warnings.warn(msg + "\nThey keep their current values (skip_mismatch=True).",
                      stacklevel=3)


# ------------------------------------------------------------------------------ .keras files
# A zip holding metadata.json, config.json (the model's serialized config with its build and
# compile configs) and model.weights.h5 (the layout above), as Keras 3 writes it. Loading reads
# only those three members, with sizes bounded before anything is decompressed.

KERAS_SUFFIX = ".keras"
CONFIG, METADATA, WEIGHTS = "config.json", "metadata.json", "model.weights.h5"
MAX_JSON_BYTES = 64 * 2**20
MAX_WEIGHTS_BYTES = 64 * 2**30
MAX_RATIO = 1000  # uncompressed / compressed: beyond it a member is a decompression bomb


class CorruptFileError(ValueError):
    """A model file that is truncated, malformed or does not hold what it claims."""


def _model_config(model):
    from keraslite.saving.serialization_lib import serialize_keras_object

    config = serialize_keras_object(model)
    build = model.get_build_config() if hasattr(model, "get_build_config") else None
    config["build_config"] = build or {"input_shape": None}
    config["compile_config"] = model.get_compile_config() if hasattr(
        model, "get_compile_config") else {}
    return config


def save_model(model, filepath, overwrite=True):
    """Write `model` (architecture, weights, compile and optimizer state) to a .keras file."""
    import json
    import zipfile

    from keraslite import __version__

    filepath = os.fspath(filepath)
    if not filepath.endswith(KERAS_SUFFIX):
        raise ValueError(f"The filename must end in `{KERAS_SUFFIX}`. Received: "
                         f"filepath={filepath}")
    if os.path.exists(filepath) and not overwrite and not _confirm_overwrite(filepath):
        return
    _check_built(model, "saving")
    config = json.dumps(_model_config(model))
    metadata = json.dumps({"keras_version": "3.15.1", "keraslite_version": __version__,
                           "date_saved": _now()})
    with atomic_write(filepath) as tmp, tempfile.TemporaryDirectory() as workdir:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(METADATA, metadata)
            archive.writestr(CONFIG, config)
            with archive.open(WEIGHTS, "w", force_zip64=True) as weights:
                with _SeekableSink(weights) as sink:
                    write_weights(model, sink)
            assets.write(archive, saveables(model), workdir)


def _now():
    import datetime

    return datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")


class _SeekableSink:
    """h5py writes with seeks: build the file in memory, then stream it into the zip member."""

    def __init__(self, target):
        import io

        self._target, self.buffer = target, io.BytesIO()

    def __enter__(self):
        return self.buffer

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self._target.write(self.buffer.getbuffer())


def _member(archive, name, limit, filepath):
    """The bytes of one zip member, refusing oversized or bomb-like members before reading and
    stopping at the declared size while reading (the header could lie)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise CorruptFileError(f"{filepath} is not a valid .keras file: it has no '{name}'.") \
            from None
    if info.file_size > limit:
        raise CorruptFileError(f"Refusing to load {filepath}: '{name}' would decompress to "
                               f"{info.file_size} bytes (limit {limit}).")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise CorruptFileError(f"Refusing to load {filepath}: '{name}' has a compression ratio "
                               f"above {MAX_RATIO} (a decompression bomb?).")
    with archive.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise CorruptFileError(f"{filepath} is corrupted: '{name}' does not have its declared "
                               "size.")
    return data


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Rebuild a model saved by save_model (here or by Keras 3)."""
    import json
    import zipfile

    filepath = os.fspath(filepath)
    try:
        archive = zipfile.ZipFile(filepath, "r")
    except (zipfile.BadZipFile, OSError) as e:
        raise CorruptFileError(f"{filepath} is not a valid .keras file (a zip archive): {e}") \
            from None
    with archive, tempfile.TemporaryDirectory() as workdir:
        try:
            config = json.loads(_member(archive, CONFIG, MAX_JSON_BYTES, filepath))
            weights = _member(archive, WEIGHTS, MAX_WEIGHTS_BYTES, filepath) if (
                WEIGHTS in archive.namelist()) else None
            asset_files = assets.members(archive)
            assets.extract(asset_files, lambda name: _member(
                archive, name, assets.MAX_TOTAL_BYTES, filepath), workdir, filepath)
        except (zipfile.BadZipFile, zlib_error(), EOFError, UnicodeDecodeError,
                json.JSONDecodeError) as e:
            raise CorruptFileError(f"{filepath} is corrupted: {e}") from None
        model = _rebuild(config, weights, filepath, custom_objects, compile, safe_mode)
        if asset_files:  # as in Keras, load_assets runs only when the file has assets
            assets.load(saveables(model), workdir)
    return model


def _rebuild(config, weights, filepath, custom_objects, compile, safe_mode):
    """The model of a .keras file's config, compiled and holding its weights."""
    import io

    from keraslite.saving.object_registration import CustomObjectScope
    from keraslite.saving.serialization_lib import deserialize_keras_object

    if not isinstance(config, dict) or "class_name" not in config:
        raise CorruptFileError(f"{filepath} is not a valid .keras file: config.json does not "
                               "describe a model.")
    from keraslite import models

    with CustomObjectScope(custom_objects or {}):
        # safe_mode here yields to enable_unsafe_deserialization() or an enclosing scope, as
        # in Keras; deserialization then holds the chosen mode for every nested object
        model = deserialize_keras_object(config, module_objects=_model_classes(),
                                         custom_objects=custom_objects, kind="model",
                                         safe_mode=safe_mode)
        if not model.built:
            model.build_from_config(config.get("build_config"))
        if compile and config.get("compile_config"):
            model.compile_from_config(config["compile_config"])
    if not isinstance(model, models.Model):
        raise CorruptFileError(f"{filepath} does not hold a model (found "
                               f"{type(model).__name__}).")
    if weights is not None:
        _check_built(model, "loading weights into")
        read_weights(model, io.BytesIO(weights), False, f"{filepath}/{WEIGHTS}")
    return model


def zlib_error():
    import zlib

    return zlib.error


def _model_classes():
    from keraslite import layers

    return layers._deserializable()
