#!/usr/bin/env bash
# Print the path of a working Python 3.10 (Rasa 3.6 installs on 3.10 only), or explain what to install.
set -u
candidates=(python3.10)
for root in "${PYENV_ROOT:-}" "$HOME/.pyenv"; do
  [ -n "$root" ] && candidates+=("$root"/versions/3.10*/bin/python3.10)
done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)
for candidate in "${candidates[@]}"; do
  # A pyenv shim exists even when 3.10 is not selected: run it to be sure it works.
  if version=$("$candidate" -c 'import sys, venv; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) \
      && [ "$version" = "3.10" ]; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
cat >&2 <<'MSG'
Python 3.10 not found: Rasa Open Source 3.6 needs exactly Python 3.10 (it does not install on 3.11+).
Install it, then run the same command again. One of:
  - pyenv:          pyenv install 3.10.13        (found under ~/.pyenv/versions automatically)
  - Debian/Ubuntu:  sudo apt install python3.10 python3.10-venv   (deadsnakes PPA on Ubuntu)
  - macOS:          brew install python@3.10
MSG
exit 1
