# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input is refused with a clear message before any role changes anything.

Each case applies a role to localhost with one bad variable, in check mode and with a tag that
selects no task: only the validation (argument_specs, and the roles' own checks, tagged always)
can run, so nothing on the test machine is touched. The run must fail there, naming the problem.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

PLAY = '''
- name: Apply {role} with bad input
  hosts: localhost
  connection: local
  gather_facts: true
  roles:
    - role: llmops.baremetal.{role}
      vars: {vars}
'''

CASES = [
    ('nvidia_driver', {'nvidia_driver_branch': 'five-eighty'},
     "argument 'nvidia_driver_branch' is of type str and we were unable to convert to int"),
    ('nvidia_driver', {'nvidia_driver_source': 'runfile'},
     'value of nvidia_driver_source must be one of: cuda_repo, debian_nonfree, got: runfile'),
    ('nvidia_driver', {'nvidia_driver_force': 'maybe'},
     "argument 'nvidia_driver_force' is of type str and we were unable to convert to bool"),
    ('base', {'base_private_network': '10.10.0.0/33'},
     "'10.10.0.0/33' is not a network in CIDR notation"),
    ('base', {'base_firewall_trusted_cidrs': ['10.42.0.0/16', 'pods']},
     "'pods' is not a network in CIDR notation"),
    ('base', {'base_vswitch_enabled': True, 'base_vswitch_vlan_id': 12, 'base_vswitch_address': '10.10.0.5/24'},
     'the VLAN id must be 4000-4091 (got 12)'),
    ('base', {'base_firewall_cluster_tcp_ports': ['6443', 'http']},
     "firewall port 'http' is not a port number or a range"),
    ('base', {'base_sysctl': ['vm.swappiness=0']},
     "argument 'base_sysctl' is of type list and we were unable to convert to dict"),
    ('nvidia_container_toolkit', {'nvidia_container_toolkit_version': 'latest'},
     "nvidia_container_toolkit_version must be an exact package version such as 1.20.0-1, got 'latest'"),
    ('nfs_server', {'nfs_server_allowed_clients': ['*']},
     "export /srv/nfs/models: client '*' must be an IP address or a network no wider than /8"),
    ('nfs_server', {'nfs_server_allowed_clients': ['0.0.0.0/0']},
     "export /srv/nfs/models: client '0.0.0.0/0' must be an IP address or a network no wider than /8"),
    ('nfs_server', {'nfs_server_export_options': ['rw', 'no_root_squash']},
     'no_root_squash and insecure are not allowed'),
    ('nfs_server', {'nfs_server_exports': [{'owner': 'root'}]},
     'missing required arguments: path found in nfs_server_exports'),
    ('nvidia_container_toolkit', {'nvidia_container_toolkit_hold': 'sometimes'},
     "argument 'nvidia_container_toolkit_hold' is of type str and we were unable to convert to bool"),
    ('nfs_storage_class', {'nfs_storage_class_reclaim_policy': 'Recycle'},
     'value of nfs_storage_class_reclaim_policy must be one of: Retain, Delete, got: Recycle'),
    ('model_cache', {'model_cache_models': [{'name': 'llama', 'repo': 'org/llama', 'revision': 'main', 'size_gib': 60}]},
     "revision the full 40-character commit sha to pin (got 'main': branches and tags move"),
    ('model_cache', {'model_cache_models': [{'name': 'llama', 'repo': 'org/llama', 'revision': 'a' * 40}]},
     'missing required arguments: size_gib found in model_cache_models'),
    ('k3s_server', {'k3s_token': 'short'}, 'k3s_token must be set from the vault (vault_k3s_token) and be at least 32 characters'),
    ('k3s_server', {'k3s_token': 'x' * 64, 'k3s_version': 'stable'},
     "k3s_version must be an exact release such as v1.34.9+k3s1, never a channel like stable or latest (got 'stable')"),
    ('k3s_agent', {'k3s_token': 'x' * 64, 'k3s_install_source': 'local'},
     'a local install needs k3s_local_binary and its k3s_local_binary_sha256'),
    ('k3s_agent', {'k3s_token': 'x' * 64, 'k3s_gpu_node': 'maybe'},
     "argument 'k3s_gpu_node' is of type str and we were unable to convert to bool"),
    ('vllm', {'vllm_image': 'vllm/vllm-openai:latest'}, "vllm_image must name an exact tag or digest, not latest"),
    ('vllm', {'vllm_models': [{'name': 'm', 'served_model_name': 'm', 'gpu_product': 'NVIDIA-L40S', 'max_model_len': 'long'}]},
     "argument 'max_model_len' is of type str found in 'vllm_models'. and we were unable to convert to int"),
    ('vllm', {'vllm_models': [{'name': 'm', 'served_model_name': 'm', 'gpu_product': 'NVIDIA-L40S', 'max_model_len': 8192}]},
     'vllm_api_key (vault_vllm_api_key) must be set, at least 16 characters'),
    ('model_cache', {'model_cache_image': 'python:latest'}, "model_cache_image pinned to a tag other than latest (got 'python:latest')"),
]


@pytest.mark.parametrize('role, bad, message', CASES, ids=['%s-%s' % (case[0], sorted(case[1])[0]) for case in CASES])
def test_bad_input_is_refused_before_changes(ansible, role, bad, message):
    result = ansible('ansible-playbook', '-i', 'localhost,', '--check', '--tags', 'llmops-validation-only',
                     playbook=PLAY.format(role=role, vars=json.dumps(bad)))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert ' '.join(message.split()) in ' '.join(output.split()), output
    assert 'changed=0' in output, output


@pytest.mark.parametrize('role, good', [
    ('base', {'base_vswitch_enabled': True, 'base_vswitch_address': '10.10.0.5/24', 'base_sysctl': {'vm.swappiness': 0}}),
    ('nvidia_driver', {'nvidia_driver_branch': '580', 'nvidia_driver_source': 'debian_nonfree'}),
    ('nvidia_container_toolkit', {'nvidia_container_toolkit_version': '1.20.0-1'}),
    ('nfs_server', {'nfs_server_allowed_clients': ['10.10.0.0/24', '203.0.113.7']}),
    ('nfs_storage_class', {'nfs_storage_class_server': '10.10.0.10', 'nfs_storage_class_share': '/srv/nfs/models'}),
    ('model_cache', {'model_cache_models': [{'name': 'llama', 'repo': 'org/llama', 'revision': 'a' * 40, 'size_gib': 60}],
                     'model_cache_storage_host': 'localhost', 'model_cache_nfs_server': '10.10.0.10'}),
])
def test_good_input_passes_validation(ansible, role, good):
    result = ansible('ansible-playbook', '-i', 'localhost,', '--check', '--tags', 'llmops-validation-only',
                     playbook=PLAY.format(role=role, vars=json.dumps(good)))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert 'failed=0' in output and 'changed=0' in output, output
