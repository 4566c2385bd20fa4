"""Peer tools for the standards suite: Apache Jena and the OWL API, from Debian's packages.

``scripts/install-peer-tools`` installs them (the README's test command and ``.ci/run`` call
it). A missing tool fails the suite with the command to run; it is never skipped.
"""

from __future__ import annotations

import pytest

from .jena import PeerMissing, jena_classpath, owlapi_classpath


@pytest.fixture(scope="session")
def jena(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Jena's class path (see :func:`jena.jena_classpath`)."""
    try:
        return jena_classpath(tmp_path_factory.mktemp("jena-xerces-bundles"))
    except PeerMissing as err:
        pytest.fail(str(err))


@pytest.fixture(scope="session")
def owlapi() -> str:
    """The OWL API's class path."""
    try:
        return owlapi_classpath()
    except PeerMissing as err:
        pytest.fail(str(err))
