#!/usr/bin/env bash
# Check that the tools Relay builds and tests with are installed, and install
# the missing ones from Debian packages.
#
# usage: bash tools/deps.sh
#   All present: prints nothing, exits 0.
#   Missing, as root: apt-get installs them.
#   Missing, not root: prints the command to run and exits 1 (or, when CI=true
#   and sudo needs no password, installs with sudo so CI boxes stay hands-off).
set -euo pipefail

# True if a 32-bit C program compiles and links: gcc-multilib supplies the
# 32-bit libc and libgcc that host tests and the kernel build need.
gcc_m32_works() {
    command -v gcc >/dev/null 2>&1 || return 1
    local dir ok=0
    dir=$(mktemp -d)
    echo 'int main(void){return 0;}' |
        gcc -m32 -x c - -o "$dir/x" >/dev/null 2>&1 || ok=1
    rm -rf "$dir"
    return "$ok"
}

# Fill $missing with the Debian packages whose files are absent, once each.
find_missing() {
    missing=()
    need() { [[ " ${missing[*]} " == *" $1 "* ]] || missing+=("$1"); }
    have() { command -v "$1" >/dev/null 2>&1; }

    have qemu-system-i386 || need qemu-system-x86
    have grub-mkrescue    || need grub-common
    have grub-file        || need grub-common
    # grub-mkrescue needs the BIOS (i386-pc) modules to make a bootable ISO.
    [[ -d /usr/lib/grub/i386-pc ]] || need grub-pc-bin
    have xorriso          || need xorriso
    have mformat          || need mtools
    have nasm             || need nasm
    gcc_m32_works         || need gcc-multilib
    [[ -f /usr/include/criterion/criterion.h ]] || need libcriterion-dev
    have gdb              || need gdb   # make debug, and its check in make test
}

find_missing
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "deps.sh: missing packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif [[ ${CI:-} == true ]] && sudo -n true 2>/dev/null; then
    sudo=(sudo)
else
    echo "deps.sh: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

"${sudo[@]}" apt-get update
# Only what the packages need: QEMU's recommends alone (its GUI, GStreamer,
# speech data) are hundreds of packages Relay never uses.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"

# Check again so a package that installed but did not provide the tool
# (renamed package, broken mirror) fails here rather than deep in the build.
find_missing
if [[ ${#missing[@]} -ne 0 ]]; then
    echo "deps.sh: still missing after install: ${missing[*]}" >&2
    exit 1
fi
