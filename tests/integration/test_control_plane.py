# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The harness API server is real: it rejects invalid objects and stores valid ones."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

PLAY = '''
- name: Talk to the harness API server
  hosts: localhost
  connection: local
  gather_facts: false
  module_defaults:
    group/kubernetes.core.k8s:
      kubeconfig: %s
  tasks:
    - name: Create a RuntimeClass
      kubernetes.core.k8s:
        definition:
          apiVersion: node.k8s.io/v1
          kind: RuntimeClass
          metadata:
            name: nvidia
          handler: nvidia

    - name: Read it back
      kubernetes.core.k8s_info:
        api_version: node.k8s.io/v1
        kind: RuntimeClass
        name: nvidia
      register: runtime_class

    - name: Check it was stored
      ansible.builtin.assert:
        that: runtime_class.resources[0].handler == 'nvidia'

    - name: Send an invalid object (handler must be a DNS label)
      kubernetes.core.k8s:
        definition:
          apiVersion: node.k8s.io/v1
          kind: RuntimeClass
          metadata:
            name: broken
          handler: "Not Valid!"
      register: invalid
      failed_when: false

    - name: Check the API server refused it
      ansible.builtin.assert:
        that:
          - invalid.failed is defined or invalid.msg is defined
          - invalid.msg is search('Invalid value')
        fail_msg: "{{ invalid | to_json }}"
'''


def test_api_server_validates_and_stores(ansible, control_plane):
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=PLAY % control_plane.kubeconfig)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'changed=1' in result.stdout, result.stdout
