"""Choosing and loading backends: environment, config file, errors, plugins, isolation."""

import ast
import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest
import tomllib

import keraslite
from keraslite.backend import contract, loader

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILTIN = ("torch", "jax", "tensorflow")
FORBIDDEN = {"torch", "jax", "jaxlib", "tensorflow", "keras"}


def run_python(code, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("KERASLITE_BACKEND", "KERAS_BACKEND")}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=120)


def test_active_backend_is_the_requested_one():
    want = os.environ.get("KERASLITE_BACKEND") or os.environ.get("KERAS_BACKEND")
    if want:
        assert keraslite.backend.backend() == want
    assert keraslite.config.backend() == keraslite.backend.backend()


def test_active_backend_meets_the_contract():
    problems = contract.check_backend(loader.active().modules)
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))


def test_contract_names_are_unique_across_exported_groups():
    seen = {}
    for group in ("core", "numpy", "nn", "math", "linalg"):
        for name in contract.stubs(group):
            assert name not in seen, f"{name} is in both {seen.get(name)} and {group}"
            seen[name] = group


def test_importing_one_backend_loads_no_other_framework():
    name = keraslite.backend.backend()
    out = run_python(
        """
        import sys, keraslite
        print(sorted(m for m in ("torch", "jax", "tensorflow") if m in sys.modules))
        """,
        KERASLITE_BACKEND=name,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str([name])


def test_unknown_backend_is_a_one_line_error_listing_backends():
    out = run_python("import keraslite", KERASLITE_BACKEND="nosuch")
    assert out.returncode != 0
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("keraslite.backend.loader.BackendError: Unknown keraslite backend")
    for name in sorted(loader.registered_backends()):
        assert name in last


def test_missing_framework_says_how_to_install():
    missing = [n for n in BUILTIN if importlib.util.find_spec(n) is None]
    if not missing:
        pytest.skip("every framework is installed in this environment")
    out = run_python("import keraslite", KERASLITE_BACKEND=missing[0])
    assert out.returncode != 0
    assert f'pip install "keraslite[{missing[0]}]"' in out.stderr.strip().splitlines()[-1]


def test_keras_backend_variable_is_the_fallback(tmp_path):
    name = keraslite.backend.backend()
    out = run_python("import keraslite; print(keraslite.backend.backend())",
                     KERAS_BACKEND=name, KERASLITE_HOME=str(tmp_path))
    assert out.stdout.strip() == name, out.stderr
    # KERASLITE_BACKEND wins over KERAS_BACKEND.
    out = run_python("import keraslite; print(keraslite.backend.backend())",
                     KERAS_BACKEND="nosuch", KERASLITE_BACKEND=name)
    assert out.stdout.strip() == name, out.stderr


def test_config_file_sets_backend_and_settings(tmp_path):
    name = keraslite.backend.backend()
    (tmp_path / "keraslite.json").write_text(json.dumps(
        {"backend": name, "floatx": "float16", "epsilon": 1e-4,
         "image_data_format": "channels_first"}))
    out = run_python(
        """
        import keraslite
        from keraslite import config, ops
        print(config.backend(), config.floatx(), config.epsilon(), config.image_data_format(),
              ops.dtype(ops.convert_to_tensor(1.5)))
        """,
        KERASLITE_HOME=str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [name, "float16", "0.0001", "channels_first", "float16"]


def test_config_setters_validate():
    from keraslite import config

    with pytest.raises(ValueError, match="floatx"):
        config.set_floatx("float17")
    with pytest.raises(ValueError, match="data_format"):
        config.set_image_data_format("channels_middle")
    old = config.epsilon()
    try:
        config.set_epsilon(1e-3)
        assert config.epsilon() == 1e-3
    finally:
        config.set_epsilon(old)


PLUGIN_CORE = '''
import numpy as np
from keraslite.backend.variables import Variable

def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    x = x.value if isinstance(x, Variable) else x
    return np.asarray(x, dtype=dtype)

def convert_to_numpy(x):
    return np.asarray(x)

def is_tensor(x):
    return isinstance(x, np.ndarray)

def shape(x):
    return tuple(np.shape(x))
'''
PLUGIN_NUMPY = '''
import numpy as np

def add(x1, x2):
    return np.add(x1, x2)

def multiply(x1, x2, extra=None):
    return np.multiply(x1, x2)
'''


def test_third_party_backend_plugs_in_through_entry_points(tmp_path):
    pkg = tmp_path / "numpyish_backend"
    pkg.mkdir()
    (pkg / "__init__.py").write_text('NAME = "numpyish"\n')
    (pkg / "core.py").write_text(PLUGIN_CORE)
    (pkg / "numpy.py").write_text(PLUGIN_NUMPY)
    dist = tmp_path / "numpyish_backend-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: numpyish-backend\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[keraslite.backends]\nnumpyish = numpyish_backend\n")
    out = run_python(
        """
        import json, keraslite
        from keraslite import ops
        from keraslite.backend import contract, loader
        problems = contract.check_backend(loader.active().modules)
        print(json.dumps({"name": keraslite.backend.backend(),
                          "sum": ops.add([1, 2], [3, 4]).tolist(),
                          "problems": problems}))
        """,
        KERASLITE_BACKEND="numpyish",
        PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["name"] == "numpyish"
    assert report["sum"] == [4, 6]
    problems = report["problems"]
    implemented = {"core.convert_to_tensor", "core.convert_to_numpy", "core.is_tensor",
                   "core.shape", "numpy.add"}
    every = {f"{g}.{n}" for g, ops in contract.specs().items() for n in ops}
    assert set(problems) == every - implemented
    assert problems["numpy.multiply"].startswith("signature")
    assert problems["numpy.subtract"] == "missing"


def test_frontend_never_imports_a_framework():
    offenders = []
    for path in (ROOT / "keraslite").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {n}"
                          for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_every_package_directory_is_packaged():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    on_disk = set()
    for top, name in (("keraslite", "keraslite"), ("backends", "keraslite_backends")):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top).parts
            on_disk.add(".".join((name, *rel)))
    assert on_disk == listed
