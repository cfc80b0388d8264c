"""Assets of a .keras file: the files an object writes with `save_assets(dirpath)` and reads
back with `load_assets(dirpath)` (vocabularies, lookup tables...), stored in the archive under
`assets/<path>/`, `<path>` being the object's path in the weights file, as Keras 3 does.

Loading extracts only regular files whose names stay inside the assets directory: names with
`..`, absolute paths, backslashes or symbolic links are never written, so an archive cannot
place a file anywhere else on the machine (CVE-2025-12060).
"""

import os
import stat
import warnings

PREFIX = "assets/"
MAX_TOTAL_BYTES = 16 * 2**30


def _with_assets(objects, method):
    return [(path, obj) for path, obj in objects if callable(getattr(obj, method, None))]


def write(archive, objects, workdir):
    """Let every object with `save_assets` fill its directory under `workdir`, then add the
    files to the zip `archive`."""
    root = os.path.join(workdir, "assets")
    for path, obj in _with_assets(objects, "save_assets"):
        target = os.path.join(root, *path.split("/")) if path else root
        os.makedirs(target, exist_ok=True)
        obj.save_assets(target)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            archive.write(full, PREFIX + os.path.relpath(full, root).replace(os.sep, "/"))


def members(archive):
    """The archive's asset file names that are safe to extract; the others are reported."""
    safe = []
    for info in archive.infolist():
        name = info.filename
        if not name.startswith(PREFIX) or name.endswith("/"):
            continue
        parts = name[len(PREFIX):].split("/")
        link = stat.S_ISLNK(info.external_attr >> 16)
        if link or "\\" in name or any(p in ("", ".", "..") or ":" in p for p in parts):
            warnings.warn(f"Skipping the archive member {name!r}: not a plain path inside "
                          "assets/.", stacklevel=3)
            continue
        safe.append(info)
    return safe


def extract(infos, read, workdir, filepath):
    """Write the given members under `workdir`/assets; `read(name)` returns a member's bytes
    (with the archive's size and ratio checks)."""
    from keraslite.saving.saving_lib import CorruptFileError

    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise CorruptFileError(f"Refusing to load {filepath}: its assets would decompress to "
                               f"{total} bytes (limit {MAX_TOTAL_BYTES}).")
    root = os.path.realpath(os.path.join(workdir, "assets"))
    for info in infos:
        target = os.path.realpath(os.path.join(root, *info.filename[len(PREFIX):].split("/")))
        if os.path.commonpath([root, target]) != root:  # belt and braces after members()
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(read(info.filename))


def load(objects, workdir):
    """Call `load_assets` of every object that has it with its extracted directory."""
    root = os.path.join(workdir, "assets")
    for path, obj in _with_assets(objects, "load_assets"):
        target = os.path.join(root, *path.split("/")) if path else root
        os.makedirs(target, exist_ok=True)
        obj.load_assets(target)
