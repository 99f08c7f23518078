#!/usr/bin/env bash
# Fetch and unpack the precision corpus: published source from PyPI (sdists), npm (tarballs) and
# crates (cargo vendor), pinned by name, version and hash in corpus.lock and crates/Cargo.lock.
# Uses only the ordinary clients (pip, npm, cargo). Idempotent: a package already unpacked is skipped.
#
#   bench/precision/fetch-corpus.sh [DEST]      # DEST defaults to ~/.cache/leakd/precision
#
# Layout: DEST/dl/{pypi,npm}/ the downloaded archives; DEST/src/{pypi,npm,crates}/NAME-VERSION/ the source.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:-${LEAKD_PRECISION_DIR:-$HOME/.cache/leakd/precision}}"
mkdir -p "$dest/dl/pypi" "$dest/dl/npm" "$dest/src/pypi" "$dest/src/npm" "$dest/src/crates"

unpack_tar() { # archive target-dir: unpack, dropping the archive's single top-level directory
  local tmp="$2.partial"
  rm -rf "$tmp" && mkdir -p "$tmp"
  tar -xzf "$1" -C "$tmp" --no-same-owner --no-same-permissions --strip-components=1
  chmod -R u+rwX "$tmp"
  mv "$tmp" "$2"
}

fetch_pypi() { # name version sha256:hex
  local name=$1 ver=$2 hash=$3 target="$dest/src/pypi/$1-$2"
  [[ -d $target ]] && return 0
  local req="$dest/dl/pypi/$name-$ver.req" archive
  echo "$name==$ver --hash=$hash" >"$req"
  pip download --quiet --ignore-requires-python --no-deps --no-binary "$name" --require-hashes -r "$req" -d "$dest/dl/pypi"
  # the sdist is the file whose name normalises to NAME-VERSION.tar.gz (or .zip)
  archive=$(ls "$dest/dl/pypi" | grep -iE "^$(echo "$name" | sed 's/[-_.]/[-_.]/g')-$ver\.(tar\.gz|zip)$" | head -1)
  [[ -n $archive ]] || { echo "pypi $name $ver: no sdist found" >&2; return 1; }
  echo "pypi $name $ver: $(sha256sum "$dest/dl/pypi/$archive" | cut -c1-16)…"
  case $archive in
    *.zip) mkdir -p "$target.partial" && unzip -q -o "$dest/dl/pypi/$archive" -d "$target.partial" && mv "$target.partial" "$target" ;;
    *) unpack_tar "$dest/dl/pypi/$archive" "$target" ;;
  esac
}

fetch_npm() { # name version sha512-integrity
  local name=$1 ver=$2 integrity=$3 flat target got file
  flat=$(echo "$name" | sed 's#^@##; s#/#-#')
  target="$dest/src/npm/$flat-$ver"
  [[ -d $target ]] && return 0
  file="$dest/dl/npm/$flat-$ver.tgz"
  if [[ ! -f $file ]]; then
    (cd "$dest/dl/npm" && npm pack --silent "$name@$ver" >/dev/null)
  fi
  got="sha512-$(openssl dgst -sha512 -binary "$file" | base64 -w0)"
  [[ $got == "$integrity" ]] || { echo "npm $name $ver: integrity mismatch" >&2; rm -f "$file"; return 1; }
  echo "npm $name $ver: integrity ok"
  unpack_tar "$file" "$target"
}

fetch_crates() {
  [[ -f "$dest/src/crates/.vendored" ]] && return 0
  # cargo vendor checks every crate's sha256 against Cargo.lock
  cargo vendor --quiet --locked --versioned-dirs --manifest-path "$here/crates/Cargo.toml" "$dest/src/crates" >/dev/null
  touch "$dest/src/crates/.vendored"
  echo "crates: $(find "$dest/src/crates" -mindepth 1 -maxdepth 1 -type d | wc -l) vendored"
}

while read -r kind name ver hash; do
  case $kind in
    pypi) fetch_pypi "$name" "$ver" "$hash" ;;
    npm) fetch_npm "$name" "$ver" "$hash" ;;
    ''|'#'*) ;;
    *) echo "corpus.lock: unknown kind $kind" >&2; exit 2 ;;
  esac
done <"$here/corpus.lock"
fetch_crates
echo "corpus at $dest/src: $(du -sm --apparent-size "$dest/src" | cut -f1) MB unpacked"
du -sm --apparent-size "$dest/src"/* | sed 's/^/  /'
