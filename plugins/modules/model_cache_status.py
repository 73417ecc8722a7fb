#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: model_cache_status
short_description: Report whether a Hugging Face model cache is complete, offline
version_added: 0.1.0
description:
  - Inspects a Hugging Face hub cache (C(models--ORG--NAME/{refs,blobs,snapshots})) or a C(hf download --local-dir)
    directory without any network access and reports whether the model revision is complete.
  - Without O(verify_checksums) it reads only file sizes and safetensors headers, never tensor data, so a cache of
    hundreds of gigabytes is checked in well under a second.
  - With O(verify_checksums) it hashes every file that has a recorded checksum (the blob name in a hub cache, the etag
    in a local dir) on all cores.
  - Read-only; never reports a change.
author:
  - llmops.baremetal contributors (@llmops)
extends_documentation_fragment:
  - llmops.baremetal.read_only
options:
  path:
    description:
      - A hub cache root that holds C(models--ORG--NAME), a C(models--ORG--NAME) folder itself, or a C(--local-dir)
        download directory.
    type: path
    required: true
  model:
    description: Repository id, for example C(meta-llama/Llama-3.3-70B-Instruct). Required for the hub cache layout.
    type: str
  revision:
    description: Ref name (hub cache C(refs/<name>)) or commit hash.
    type: str
    default: main
  layout:
    description: Cache layout; C(auto) tells them apart.
    type: str
    choices: [auto, hub_cache, local_dir]
    default: auto
  verify_checksums:
    description: Hash file contents and compare them with the recorded checksums.
    type: bool
    default: false
  require_complete:
    description: Fail unless RV(state) is C(complete), naming the state and the first problem files.
    type: bool
    default: true
notes:
  - A safetensors file is C(corrupt) when its size differs from what its header describes; a snapshot symlink that
    points nowhere is C(corrupt); C(.incomplete) downloads make the cache C(incomplete); shards named in
    C(model.safetensors.index.json) but absent are RV(missing_files).
'''

EXAMPLES = r'''
- name: Check the shared model cache on the storage host before rolling out vLLM
  llmops.baremetal.model_cache_status:
    path: /srv/nfs/models/hub
    model: meta-llama/Llama-3.3-70B-Instruct
    revision: main
  register: cache

- name: Check a --local-dir download, with checksums, without failing
  llmops.baremetal.model_cache_status:
    path: /srv/nfs/models/llama-3.3-70b-awq
    verify_checksums: true
    require_complete: false
  register: cache

- name: Skip the download job when the cache is already complete
  ansible.builtin.debug:
    msg: "{{ cache.weights.parameter_count }} parameters in {{ cache.size_bytes }} bytes"
  when: cache.complete
'''

RETURN = r'''
state:
  description: C(complete), C(incomplete), C(corrupt) or C(missing).
  returned: always
  type: str
  sample: complete
complete:
  description: Whether RV(state) is C(complete).
  returned: always
  type: bool
layout:
  description: The layout inspected, C(hub_cache) or C(local_dir); null when nothing was found.
  returned: always
  type: str
commit:
  description: The snapshot commit the revision resolves to, when known.
  returned: always
  type: str
  sample: 6f6073b423013f6a7d4d9f39144961bfbfbc386b
files:
  description: Number of files in the snapshot or directory.
  returned: always
  type: int
size_bytes:
  description: Total size of those files.
  returned: always
  type: int
missing_files:
  description: Relative paths expected but absent (shards named in the index, the snapshot of the revision).
  returned: always
  type: list
  elements: str
incomplete_files:
  description: Partial downloads.
  returned: always
  type: list
  elements: str
corrupt_files:
  description: Relative paths whose content is wrong (size against header, broken symlink, checksum).
  returned: always
  type: list
  elements: str
weights:
  description: What the safetensors headers say.
  returned: always
  type: dict
  contains:
    format:
      description: C(safetensors), C(pytorch) or null.
      type: str
    parameter_count:
      description: Sum of the tensors' element counts.
      type: int
    dtypes:
      description: Element count per dtype.
      type: dict
    bytes:
      description: Bytes of tensor data.
      type: int
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.llmops.baremetal.plugins.module_utils.hf_cache import inspect_cache

PROBLEMS_IN_MESSAGE = 5


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            model=dict(type='str'),
            revision=dict(type='str', default='main'),
            layout=dict(type='str', default='auto', choices=['auto', 'hub_cache', 'local_dir']),
            verify_checksums=dict(type='bool', default=False),
            require_complete=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        report = inspect_cache(params['path'], params['model'], params['revision'], params['layout'],
                               params['verify_checksums'])
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    result = report.result()
    if params['require_complete'] and not result['complete']:
        problems = report.problems()
        detail = ', '.join(problems[:PROBLEMS_IN_MESSAGE])
        if len(problems) > PROBLEMS_IN_MESSAGE:
            detail += ' and %d more' % (len(problems) - PROBLEMS_IN_MESSAGE)
        where = params['path'] + (' (%s)' % params['model'] if params['model'] else '')
        module.fail_json(msg='model cache at %s is %s%s' % (where, result['state'], ': ' + detail if detail else ''),
                         changed=False, **result)
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
