#!/usr/bin/env bash
# ansible-test sanity needs the collection at .../ansible_collections/llmops/baremetal: copy the
# tracked (and untracked, not ignored) files there and run it with its own pinned test tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Outside this git checkout: inside it, ansible-test would ask git for files and find none.
top=${LLMOPS_SANITY_DIR:-/tmp/llmops-sanity}
dest=$top/ansible_collections/llmops/baremetal
rm -rf "$top" && mkdir -p "$dest"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C "$dest"
# Collections our plugins import (kubernetes.core), from the pinned ansible package.
site=$(python -c 'import ansible_collections.kubernetes.core as c, os; print(os.path.dirname(os.path.dirname(c.__path__[0])))')
mkdir -p "$top/ansible_collections/kubernetes" && cp -r "$site/kubernetes/core" "$top/ansible_collections/kubernetes/"
# ansible-test bootstraps pip in its sanity venvs with a get-pip.py it downloads from a host the test
# machines cannot reach; give it a stand-in in its cache (pip version from ansible-test itself).
pip_version=$(python - <<'PY'
import re, ansible_test, pathlib
src = (pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py').read_text()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
mkdir -p ~/.ansible/test/cache
cp tests/sanity/get-pip-offline.py ~/.ansible/test/cache/get_pip_${pip_version//./_}.py

cd "$dest"
ansible-test sanity --color no --python "$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
  --requirements "$@"
