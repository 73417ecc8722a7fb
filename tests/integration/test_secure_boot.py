# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nvidia_driver refuses to go on under Secure Boot, and goes on without it.

Seam: a stand-in mokutil on PATH prints what the real one prints. Only the role's read-only
Secure Boot tasks run (tasks_from: secure_boot), against localhost.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

PLAY = '''
- name: Check Secure Boot
  hosts: localhost
  connection: local
  gather_facts: false
  environment:
    PATH: "{bindir}:{{{{ ansible_env.PATH | default('/usr/bin:/bin') }}}}"
  tasks:
    - name: Run the role's Secure Boot check
      ansible.builtin.include_role:
        name: llmops.baremetal.nvidia_driver
        tasks_from: secure_boot
'''


@pytest.mark.parametrize('state, refused', [('SecureBoot enabled', True), ('SecureBoot disabled', False)])
def test_secure_boot(ansible, tmp_path, state, refused):
    bindir = tmp_path / 'bin'
    bindir.mkdir()
    mokutil = bindir / 'mokutil'
    mokutil.write_text('#!/bin/sh\n[ "$1" = --sb-state ] || exit 2\necho "%s"\n' % state)
    mokutil.chmod(0o755)
    result = ansible('ansible-playbook', '-i', 'localhost,', playbook=PLAY.format(bindir=bindir))
    output = result.stdout + result.stderr
    if refused:
        assert result.returncode != 0, output
        assert 'Secure Boot is enabled on localhost' in output, output
    else:
        assert result.returncode == 0, output
