# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API-side steps of playbooks/upgrade.yml against a real kube-apiserver: cordon and drain an
agent, wait until its kubelet reports the pinned version (the test writes node status as the upgraded
kubelet would), uncordon; and the clear failure when the kubelet keeps the old version."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import threading
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAY = '''
- name: Upgrade steps for one agent
  hosts: lab-upgrade-agent
  connection: local
  gather_facts: false
  vars: %(vars)s
  tasks:
    - name: Cordon and drain
      kubernetes.core.k8s_drain:
        kubeconfig: "{{ llmops_kubeconfig }}"
        name: "{{ inventory_hostname }}"
        state: drain
        delete_options: {ignore_daemonsets: true, delete_emptydir_data: true, wait_timeout: 60}
    - name: Record that the node is cordoned
      ansible.builtin.copy:
        content: "cordoned"
        dest: %(marker)s
        mode: "0600"
    - name: Wait for the new kubelet
      ansible.builtin.include_tasks: %(wait)s
    - name: Uncordon
      kubernetes.core.k8s_drain:
        kubeconfig: "{{ llmops_kubeconfig }}"
        name: "{{ inventory_hostname }}"
        state: uncordon
'''


@pytest.fixture
def node(control_plane):
    kubernetes = pytest.importorskip('kubernetes')
    core = kubernetes.client.CoreV1Api(kubernetes.config.new_client_from_config(config_file=control_plane.kubeconfig))
    core.create_node({'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': 'lab-upgrade-agent'}})
    report(core, 'v1.33.7+k3s1')
    yield core
    core.delete_node('lab-upgrade-agent')


def report(core, version):
    now = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
    core.patch_node_status('lab-upgrade-agent', {'status': {
        'nodeInfo': {'kubeletVersion': version, 'kubeProxyVersion': version, 'machineID': 'm', 'systemUUID': 's',
                     'bootID': 'b', 'kernelVersion': '6.1', 'osImage': 'Debian', 'containerRuntimeVersion': 'containerd://1.7',
                     'operatingSystem': 'linux', 'architecture': 'amd64'},
        'conditions': [{'type': 'Ready', 'status': 'True', 'reason': 'KubeletReady', 'lastHeartbeatTime': now,
                        'lastTransitionTime': now}]}})


def run(ansible, control_plane, tmp_path, retries):
    wait = tmp_path / 'wait.yml'
    text = open(os.path.join(REPO, 'playbooks', 'tasks', 'wait_kubelet_version.yml')).read()
    wait.write_text(text.replace('retries: 60', 'retries: %d' % retries).replace('delay: 10', 'delay: 1'))
    variables = {'llmops_kubeconfig': control_plane.kubeconfig, 'k3s_version': 'v1.34.9+k3s1'}
    marker = tmp_path / 'cordoned'
    inventory = tmp_path / 'hosts'
    inventory.write_text('lab-upgrade-agent ansible_python_interpreter=%s\n' % sys.executable)
    result = ansible('ansible-playbook', '-i', str(inventory), playbook=PLAY % {
        'vars': json.dumps(variables), 'marker': marker, 'wait': wait})
    return result.returncode, ' '.join((result.stdout + result.stderr).split()), marker


def test_drained_upgraded_and_uncordoned(ansible, control_plane, node, tmp_path):
    def upgrade_when_cordoned():
        deadline = time.time() + 60
        while time.time() < deadline and not (tmp_path / 'cordoned').exists():
            time.sleep(0.2)
        assert node.read_node('lab-upgrade-agent').spec.unschedulable is True
        report(node, 'v1.34.9+k3s1')
    kubelet = threading.Thread(target=upgrade_when_cordoned)
    kubelet.start()
    rc, output = run(ansible, control_plane, tmp_path, retries=30)[:2]
    kubelet.join()
    assert rc == 0, output
    assert not node.read_node('lab-upgrade-agent').spec.unschedulable


def test_old_kubelet_version_fails_with_the_versions(ansible, control_plane, node, tmp_path):
    rc, output = run(ansible, control_plane, tmp_path, retries=2)[:2]
    assert rc != 0
    assert 'node lab-upgrade-agent reports kubelet v1.33.7+k3s1 (wanted v1.34.9+k3s1) or is not Ready' in output, output
    assert node.read_node('lab-upgrade-agent').spec.unschedulable is True
