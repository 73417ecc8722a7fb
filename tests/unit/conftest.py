# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make ``ansible_collections.llmops.baremetal`` importable when pytest runs from the repo root.

`make setup` links the repository into .collections/ansible_collections/llmops/baremetal.
Under `ansible-test units` the collection is already importable and this does nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(REPO, '.collections')

if os.path.isdir(os.path.join(COLLECTIONS, 'ansible_collections', 'llmops', 'baremetal')) and COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
