"""Test sessions. Bare `nox` runs the suite once per backend, the cross-backend conformance
check and lint. Each tests-* venv holds only its own framework, which proves the frontend needs
no other one."""

import nox

nox.options.sessions = ["tests-torch", "tests-jax", "tests-tensorflow", "conformance", "interop",
                        "lint"]
nox.options.reuse_venv = "yes"

CONSTRAINTS = ("-c", "ci/constraints.txt")
# Two pytest-xdist workers (the CI machine has two cores); jax compiles every new op shape, so
# its suite is CPU-bound and halves. Pass `-- -n 0` to run in one process.
PYTEST_WORKERS = ("-n", "2")
# What each backend's test venv installs (CPU builds; versions come from the constraints file).
FRAMEWORKS = {
    "torch": ["torch"],
    "jax": ["jax", "jaxlib"],
    "tensorflow": ["tensorflow-cpu"],
}


def _install(session, frameworks):
    packages = [p for name in frameworks for p in FRAMEWORKS[name]]
    test_deps = nox.project.dependency_groups(nox.project.load_toml("pyproject.toml"), "test")
    session.install(*CONSTRAINTS, *packages, *test_deps)
    session.install(*CONSTRAINTS, "-e", ".")


@nox.session(name="tests-torch")
def tests_torch(session):
    _install(session, ["torch"])
    session.run("pytest", *PYTEST_WORKERS, *session.posargs, env={"KERASLITE_BACKEND": "torch"})


@nox.session(name="tests-jax")
def tests_jax(session):
    _install(session, ["jax"])
    session.install(*CONSTRAINTS, "flax")  # FlaxLayer's tests
    session.run("pytest", *PYTEST_WORKERS, *session.posargs, env={"KERASLITE_BACKEND": "jax"})


@nox.session(name="tests-tensorflow")
def tests_tensorflow(session):
    _install(session, ["tensorflow"])
    session.run("pytest", *PYTEST_WORKERS, *session.posargs, env={"KERASLITE_BACKEND": "tensorflow"})


@nox.session
def conformance(session):
    """All three frameworks in one venv: same ops everywhere, compared with each other and
    with numpy; the same seeded models trained on each backend, loss per epoch side by side;
    and one backend's import leaves the other frameworks unloaded."""
    _install(session, list(FRAMEWORKS))
    session.run("python", "tests/conformance.py", *session.posargs)
    session.run("python", "tests/conformance_training.py")
    session.run("python", "tests/conformance_layers.py")  # every layer case, backends side by side
    session.run("python", "tests/conformance_saving.py")  # saved on one backend, loaded on another
    session.run("pytest", "tests/test_loading.py", env={"KERASLITE_BACKEND": "jax"})
    # tf.data and torch DataLoader feed fit() whatever the backend
    for name in FRAMEWORKS:
        session.run("pytest", "tests/test_training.py", "-k", "dataloader or tf_data",
                    env={"KERASLITE_BACKEND": name})


@nox.session
def interop(session):
    """Real Keras 3 (pinned, jax backend) beside keraslite: the model zoo saved by each library
    and loaded by the other, same predictions. Keras is a test peer only; keraslite never
    imports it."""
    _install(session, ["jax"])
    session.install(*CONSTRAINTS, "keras")
    session.run("pytest", "tests/interop", "-s", *session.posargs,
                env={"KERASLITE_BACKEND": "jax", "KERAS_BACKEND": "jax"})


@nox.session
def lint(session):
    """ruff, including the import rules: keraslite/ never imports a framework or keras, and
    each backend imports only its own framework (nested ruff.toml files)."""
    session.install("ruff")
    session.run("ruff", "check", "keraslite", "backends", "tests", "examples", "benchmarks",
                "noxfile.py")


@nox.session
def bench(session):
    """keraslite fit()/predict() against hand-written native loops, ms/step per backend (not part
    of bare `nox`; timings belong here, never in tests)."""
    _install(session, list(FRAMEWORKS))
    session.run("python", "benchmarks/bench_fit.py", *session.posargs)
