# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documented entry points parse and render."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def test_site_syntax_with_hetzner_inventory(ansible):
    result = ansible('ansible-playbook', 'site.yml', '-i', 'inventories/hetzner', '--syntax-check')
    assert result.returncode == 0, result.stdout + result.stderr


def test_playbooks_syntax(ansible):
    for playbook in ('verify', 'upgrade', 'reset'):
        result = ansible('ansible-playbook', 'playbooks/%s.yml' % playbook, '-i', 'inventories/hetzner', '--syntax-check')
        assert result.returncode == 0, result.stdout + result.stderr


def test_reset_refuses_without_confirmation(ansible):
    # stdin is not a terminal here, so the prompt gets no answer: nothing may be touched.
    result = ansible('ansible-playbook', 'playbooks/reset.yml', '-i', 'inventories/hetzner', '--limit', 'gex44-1')
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert 'Not confirmed; nothing was changed.' in output, output


def test_hetzner_inventory_groups(ansible):
    result = ansible('ansible-inventory', '-i', 'inventories/hetzner', '--graph')
    assert result.returncode == 0, result.stderr
    for group in ('@server:', '@agent:', '@gpu:', '@storage:', '@ingress:'):
        assert group in result.stdout


def test_gpu_capacity_doc_renders(ansible):
    result = ansible('ansible-doc', 'llmops.baremetal.gpu_capacity')
    assert result.returncode == 0, result.stderr
    for option in ('expected_count', 'expected_product', 'min_memory_mib', 'min_driver_version', 'nvidia_smi_path'):
        assert option in result.stdout
