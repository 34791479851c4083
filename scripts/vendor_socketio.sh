#!/usr/bin/env bash
# Refresh the widget's copy of the official socket.io client from the npm registry. The page
# loads it from web/vendor/ (no CDN at run time). 4.x speaks Engine.IO 4, as the pinned
# python-socketio 5.9 server does.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-4.8.4}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "socket.io-client@$VERSION" > /dev/null && tar xzf socket.io-client-*.tgz)
cp "$tmp/package/dist/socket.io.min.js" web/vendor/socket.io.min.js
cp "$tmp/package/LICENSE" web/vendor/socket.io-LICENSE
echo "web/vendor/socket.io.min.js is socket.io-client $VERSION"
