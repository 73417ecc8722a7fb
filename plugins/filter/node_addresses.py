# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

# Host variables that may hold a node's address; the vSwitch one carries a prefix length.
ADDRESS_VARS = ('ansible_host', 'base_vswitch_address')


def node_addresses(hosts, hostvars):
    """Every IP address the given hosts are known by (public and vSwitch), unique, in order."""
    found = []
    for host in hosts:
        for var in ADDRESS_VARS:
            value = str(hostvars[host].get(var) or '').split('/', maxsplit=1)[0]
            try:
                address = str(ipaddress.ip_address(value))
            except ValueError:
                continue  # a hostname or nothing
            if address not in found:
                found.append(address)
    return found


class FilterModule(object):
    def filters(self):
        return {'node_addresses': node_addresses}
