# -*- coding: utf-8 -*-
# Copyright (c) 2026, llmops.baremetal contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Inspect a Hugging Face model cache offline: layout, completeness, safetensors headers, checksums.

Two layouts:
- hub cache: ROOT/models--ORG--NAME/{refs/<ref>, blobs/<hash>, snapshots/<commit>/<file>}, where
  snapshot files are symlinks into blobs and an LFS blob's name is the sha256 of its content
  (a regular git file's blob name is its git blob sha1);
- local dir (``hf download --local-dir DIR``): plain files, with DIR/.cache/huggingface/download/
  <file>.metadata holding the commit, the etag (sha256 for LFS files) and a timestamp.
Without checksums only sizes and safetensors headers are read, never tensor data.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import re
import struct
from concurrent.futures import ThreadPoolExecutor

STATE_COMPLETE = 'complete'
STATE_INCOMPLETE = 'incomplete'
STATE_CORRUPT = 'corrupt'
STATE_MISSING = 'missing'

INDEX_FILE = 'model.safetensors.index.json'
SINGLE_FILE = 'model.safetensors'
LOCAL_META = os.path.join('.cache', 'huggingface', 'download')
_COMMIT = re.compile(r'^[0-9a-f]{40}$')
_SHA256 = re.compile(r'^[0-9a-f]{64}$')
_SHA1 = re.compile(r'^[0-9a-f]{40}$')
_HEADER_LIMIT = 100 * 1024 * 1024  # safetensors' own limit for the JSON header
_CHUNK = 8 * 1024 * 1024


class SafetensorsError(Exception):
    pass


def repo_folder(model):
    return 'models--' + model.replace('/', '--')


def detect_layout(path, model):
    """'hub_cache', 'local_dir' or None (nothing that looks like a model at path)."""
    if model and os.path.isdir(os.path.join(path, repo_folder(model))):
        return 'hub_cache'
    if os.path.basename(os.path.normpath(path)).startswith('models--') and os.path.isdir(os.path.join(path, 'snapshots')):
        return 'hub_cache'
    if os.path.isdir(os.path.join(path, LOCAL_META)) or os.path.isfile(os.path.join(path, 'config.json')):
        return 'local_dir'
    return None


def read_safetensors_header(path):
    """Return (header dict, expected file size) from a safetensors file's header alone."""
    with open(path, 'rb') as handle:
        raw = handle.read(8)
        if len(raw) < 8:
            raise SafetensorsError('shorter than the 8-byte header length')
        (length,) = struct.unpack('<Q', raw)
        if length > _HEADER_LIMIT:
            raise SafetensorsError('header length %d is not plausible' % length)
        text = handle.read(length)
    if len(text) < length:
        raise SafetensorsError('header cut short (%d of %d bytes)' % (len(text), length))
    try:
        header = json.loads(text.decode('utf-8'))
    except ValueError as exc:
        raise SafetensorsError('header is not JSON: %s' % exc)
    end = 0
    for name, tensor in header.items():
        if name == '__metadata__':
            continue
        end = max(end, int(tensor['data_offsets'][1]))
    return header, 8 + length + end


def summarize_headers(headers):
    """Parameter count, dtypes and tensor bytes over several safetensors headers."""
    parameters = 0
    dtypes = {}
    data_bytes = 0
    for header in headers:
        for name, tensor in header.items():
            if name == '__metadata__':
                continue
            count = 1
            for dim in tensor['shape']:
                count *= int(dim)
            parameters += count
            dtypes[tensor['dtype']] = dtypes.get(tensor['dtype'], 0) + count
            start, stop = tensor['data_offsets']
            data_bytes += int(stop) - int(start)
    return {'parameter_count': parameters, 'dtypes': dtypes, 'bytes': data_bytes}


def git_blob_sha1(path):
    digest = hashlib.sha1(b'blob %d\0' % os.path.getsize(path))
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b''):
            digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b''):
            digest.update(chunk)
    return digest.hexdigest()


def content_matches(path, expected):
    """True/False when ``expected`` is a sha256 or git sha1 we can check, None when it is neither."""
    expected = (expected or '').strip('"').lower()
    if _SHA256.match(expected):
        return file_sha256(path) == expected
    if _SHA1.match(expected):
        return git_blob_sha1(path) == expected
    return None


class CacheReport(object):
    """What was found; ``result()`` turns it into the module's return values."""

    def __init__(self, layout):
        self.layout = layout
        self.commit = None
        self.files = {}          # relative path -> real path on disk
        self.size_bytes = 0
        self.missing = []
        self.incomplete = []
        self.corrupt = []
        self.weights = {'format': None, 'parameter_count': 0, 'dtypes': {}, 'bytes': 0}
        self.absent = False

    @property
    def state(self):
        if self.absent:
            return STATE_MISSING
        if self.corrupt:
            return STATE_CORRUPT
        if self.missing or self.incomplete:
            return STATE_INCOMPLETE
        return STATE_COMPLETE

    def problems(self):
        return (['corrupt: ' + name for name in sorted(self.corrupt)] + ['missing: ' + name for name in sorted(self.missing)]
                + ['incomplete: ' + name for name in sorted(self.incomplete)])

    def result(self):
        return {
            'state': self.state,
            'complete': self.state == STATE_COMPLETE,
            'layout': self.layout,
            'commit': self.commit,
            'files': len(self.files),
            'size_bytes': self.size_bytes,
            'missing_files': sorted(self.missing),
            'incomplete_files': sorted(self.incomplete),
            'corrupt_files': sorted(self.corrupt),
            'weights': self.weights,
        }


def _walk_files(top, skip_dirs=()):
    for root, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if os.path.relpath(os.path.join(root, d), top) not in skip_dirs)
        for name in sorted(names):
            full = os.path.join(root, name)
            yield os.path.relpath(full, top), full


def _check_weights(report):
    """Expected shards from the index (or the single file), then every safetensors header."""
    names = set(report.files)
    if INDEX_FILE in names:
        try:
            with open(report.files[INDEX_FILE]) as handle:
                expected = sorted(set(json.load(handle)['weight_map'].values()))
        except (ValueError, KeyError, TypeError):
            report.corrupt.append(INDEX_FILE)
            expected = []
        report.missing.extend(name for name in expected if name not in names and name not in report.corrupt)
    elif SINGLE_FILE not in names and not any(name.endswith('.safetensors') for name in names):
        if any(name.endswith('.bin') for name in names):
            report.weights['format'] = 'pytorch'
            return
        report.missing.append(SINGLE_FILE)
        return
    report.weights['format'] = 'safetensors'
    headers = []
    for name in sorted(n for n in names if n.endswith('.safetensors')):
        path = report.files[name]
        try:
            header, expected_size = read_safetensors_header(path)
        except (SafetensorsError, KeyError, TypeError, ValueError, IndexError):
            report.corrupt.append(name)
            continue
        if os.path.getsize(path) != expected_size:
            report.corrupt.append(name)
            continue
        headers.append(header)
    report.weights.update(summarize_headers(headers))


def _verify(report, expectations, workers=None):
    """Hash files in parallel (hashlib releases the GIL); mark mismatches corrupt."""
    jobs = [(name, report.files[name], expected) for name, expected in sorted(expectations.items())
            if name in report.files and name not in report.corrupt]
    workers = workers or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda job: (job[0], content_matches(job[1], job[2])), jobs))
    report.corrupt.extend(name for name, ok in outcomes if ok is False)


def _resolve_commit(repo, revision):
    if _COMMIT.match(revision or '') and os.path.isdir(os.path.join(repo, 'snapshots', revision)):
        return revision
    ref = os.path.join(repo, 'refs', revision)
    if os.path.isfile(ref):
        with open(ref) as handle:
            return handle.read().strip()
    return revision if _COMMIT.match(revision or '') else None


def inspect_hub_cache(path, model, revision='main', verify_checksums=False):
    report = CacheReport('hub_cache')
    repo = path if model is None else os.path.join(path, repo_folder(model))
    if not os.path.isdir(repo):
        report.absent = True
        return report
    blobs = os.path.join(repo, 'blobs')
    if os.path.isdir(blobs):
        report.incomplete.extend('blobs/' + name for name in sorted(os.listdir(blobs)) if name.endswith('.incomplete'))
    report.commit = _resolve_commit(repo, revision)
    if report.commit is None:
        report.absent = True
        return report
    snapshot = os.path.join(repo, 'snapshots', report.commit)
    if not os.path.isdir(snapshot):
        report.missing.append('snapshots/' + report.commit)
        return report
    expectations = {}
    for name, full in _walk_files(snapshot):
        if not os.path.exists(full):  # a symlink pointing nowhere
            report.corrupt.append(name)
            continue
        report.files[name] = full
        report.size_bytes += os.path.getsize(full)
        if os.path.islink(full):
            expectations[name] = os.path.basename(os.readlink(full))
    _check_weights(report)
    if verify_checksums:
        _verify(report, expectations)
    return report


def _read_local_metadata(meta_path):
    try:
        with open(meta_path) as handle:
            lines = handle.read().splitlines()
    except (IOError, OSError):
        return None, None
    return (lines[0].strip() if lines else None), (lines[1].strip() if len(lines) > 1 else None)


def inspect_local_dir(path, verify_checksums=False):
    report = CacheReport('local_dir')
    if not os.path.isdir(path):
        report.absent = True
        return report
    meta_root = os.path.join(path, LOCAL_META)
    expectations = {}
    if os.path.isdir(meta_root):
        for name, full in _walk_files(meta_root):
            if name.endswith('.incomplete'):
                report.incomplete.append(name[:-len('.incomplete')])
    for name, full in _walk_files(path, skip_dirs=('.cache',)):
        if name.endswith('.incomplete'):
            report.incomplete.append(name)
            continue
        if not os.path.exists(full):
            report.corrupt.append(name)
            continue
        report.files[name] = full
        report.size_bytes += os.path.getsize(full)
        commit, etag = _read_local_metadata(os.path.join(meta_root, name + '.metadata'))
        if commit and not report.commit:
            report.commit = commit
        if etag:
            expectations[name] = etag
    if not report.files and not report.incomplete:
        report.absent = True
        return report
    _check_weights(report)
    if verify_checksums:
        _verify(report, expectations)
    return report


def inspect_cache(path, model=None, revision='main', layout='auto', verify_checksums=False):
    """Inspect a model cache; returns a CacheReport."""
    if layout == 'auto':
        layout = detect_layout(path, model)
        if layout is None:
            report = CacheReport(None)
            report.absent = True
            return report
    if layout == 'hub_cache':
        if model is None and not os.path.basename(os.path.normpath(path)).startswith('models--'):
            raise ValueError('model is required for the hub_cache layout')
        return inspect_hub_cache(path, model, revision, verify_checksums)
    return inspect_local_dir(path, verify_checksums)
