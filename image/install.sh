#!/bin/sh
# The install steps of the Docbridge image, in one place for both ways it is built: the Dockerfile on its
# public base (node:22-bookworm-slim), and CI's image on a Debian root file system made with mmdebstrap plus
# Node from the npm registry (image/build.sh). Both run this script, so the two cannot drift apart.
#   image/install.sh deps   in /app holding package.json and package-lock.json: toolchain, then `npm ci`
#   image/install.sh app    with the sources copied in: compile dist/ and client/dist, then drop dev
#                           dependencies and sources, so the image runs `node dist/server/main.js` only
set -eu
cd /app
# node-gyp builds better-sqlite3 against the headers of the image's own Node (in /usr/local on both bases),
# never downloading them.
export npm_config_nodedir="${npm_config_nodedir:-/usr/local}"

case "${1:-}" in
deps)
  missing=""
  for tool in python3 make g++; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
  done
  if [ -n "$missing" ]; then
    apt-get update
    # shellcheck disable=SC2086 # one package name per word
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
    rm -rf /var/lib/apt/lists/*
  fi
  npm ci --no-audit --no-fund
  ;;
app)
  npm run build
  npm prune --omit=dev --no-audit --no-fund
  # What runs is dist/, client/dist and the production node_modules; package.json stays (it marks the .js
  # files as ES modules and anchors the application root), bin/docbridge.js starts the compiled CLI.
  rm -rf server connectors build test bench image tsconfig.json tsconfig.build.json bin/commands bin/docbridge.ts
  find client -mindepth 1 -maxdepth 1 ! -name dist -exec rm -rf {} +
  ;;
*)
  echo "usage: image/install.sh deps|app" >&2
  exit 2
  ;;
esac
