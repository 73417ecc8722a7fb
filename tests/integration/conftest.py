# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers to run ansible-playbook from the repository root, the way users do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def runner(workdir):
    """Run an ansible CLI from the repo root with the repo's ansible.cfg; returns CompletedProcess."""
    def run(*args, playbook=None):
        cmd = list(args)
        if playbook is not None:
            path = workdir / 'play.yml'
            path.write_text(playbook)
            cmd.append(str(path))
        env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, 'ansible.cfg'), ANSIBLE_NOCOLOR='1',
                   ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_INVENTORY_UNPARSED_WARNING='0')
        return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    return run


@pytest.fixture
def ansible(tmp_path):
    return runner(tmp_path)


@pytest.fixture(scope='module')
def ansible_module(tmp_path_factory):
    return runner(tmp_path_factory.mktemp('ansible'))


@pytest.fixture(scope='session')
def control_plane(tmp_path_factory):
    """A real kube-apiserver with etcd on loopback for the whole test session."""
    from control_plane import ControlPlane
    plane = ControlPlane(tmp_path_factory.mktemp('control-plane')).start()
    yield plane
    plane.stop()


@pytest.fixture(scope='session')
def crds(control_plane):
    """Install the real upstream CRDs (tests/harness/fetch-crds.sh) once: helm-controller's HelmChart and
    HelmChartConfig, Traefik's, cert-manager's, KEDA's and the Prometheus Operator's."""
    import glob
    import time
    import yaml
    kubernetes = pytest.importorskip('kubernetes')
    folder = subprocess.run([os.path.join(REPO, 'tests', 'harness', 'fetch-crds.sh')], check=True, capture_output=True,
                            text=True).stdout.strip().splitlines()[-1]
    api = kubernetes.client.ApiextensionsV1Api(kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig))
    names = []
    for path in sorted(glob.glob(os.path.join(folder, '*.yaml'))):
        with open(path) as handle:
            for doc in yaml.safe_load_all(handle):
                if doc and doc.get('kind') == 'CustomResourceDefinition':
                    names.append(doc['metadata']['name'])
                    try:
                        api.create_custom_resource_definition(doc)
                    except kubernetes.client.exceptions.ApiException as exc:
                        if exc.status != 409:
                            raise
    deadline = time.time() + 60
    for name in names:
        while time.time() < deadline:
            conditions = api.read_custom_resource_definition(name).status.conditions or []
            if any(c.type == 'Established' and c.status == 'True' for c in conditions):
                break
            time.sleep(0.5)
    return names
