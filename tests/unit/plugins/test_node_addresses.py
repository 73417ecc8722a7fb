# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.llmops.baremetal.plugins.filter.node_addresses import node_addresses


def test_public_and_vswitch_addresses_unique_in_order():
    hostvars = {
        'ctrl-1': {'ansible_host': '203.0.113.10', 'base_vswitch_address': '10.10.0.10/24'},
        'gex131-1': {'ansible_host': '203.0.113.21', 'base_vswitch_address': '10.10.0.21/24'},
        'again': {'ansible_host': '203.0.113.10'},
        'by-name': {'ansible_host': 'gpu.example.com'},
        'container': {},
        'v6': {'ansible_host': '2001:db8::7'},
    }
    assert node_addresses(list(hostvars), hostvars) == [
        '203.0.113.10', '10.10.0.10', '203.0.113.21', '10.10.0.21', '2001:db8::7']
