#!/bin/sh
# ConvScope's launcher, icons and file types for the current user (make install-desktop / uninstall-desktop):
#   sh install-desktop.sh install COMMAND   COMMAND: the absolute path of the convscope program to launch
#   sh install-desktop.sh uninstall
# xdg-desktop-menu, xdg-icon-resource and xdg-mime do it where installed (package xdg-utils); otherwise
# the files are copied into the XDG data folder, $XDG_DATA_HOME (default ~/.local/share).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
icons="$here/../icons"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
sizes="16 24 32 48 64 128 256 512"
types="application/x-safetensors application/x-convscope-model application/x-convscope-architecture"

has() { command -v "$1" >/dev/null 2>&1; }

refresh() {  # the caches desktops read; each only where its tool is installed
    if has update-mime-database && [ -d "$data/mime" ]; then update-mime-database "$data/mime" >/dev/null 2>&1 || true; fi
    if has update-desktop-database && [ -d "$data/applications" ]; then update-desktop-database -q "$data/applications" || true; fi
    if has gtk-update-icon-cache && [ -d "$data/icons/hicolor" ]; then
        gtk-update-icon-cache -q -f -t "$data/icons/hicolor" >/dev/null 2>&1 || true
    fi
}

launcher() {  # the .desktop entry with Exec and TryExec pointing at $1
    case $1 in
        /*) ;;
        *) echo "install-desktop: give the absolute path of the convscope program, not '$1'" >&2; exit 2 ;;
    esac
    case $1 in
        *'"'* | *'`'* | *'$'* | *'\'*) echo "install-desktop: the path '$1' has a character a launcher cannot quote" >&2; exit 2 ;;
    esac
    while IFS= read -r line; do
        case $line in
            Exec=*) printf 'Exec="%s" %%f\n' "$1" ;;
            TryExec=*) printf 'TryExec=%s\n' "$1" ;;
            *) printf '%s\n' "$line" ;;
        esac
    done < "$here/convscope.desktop"
}

install_all() {
    [ -x "$1" ] || { echo "install-desktop: $1 is not an executable program" >&2; exit 2; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    launcher "$1" > "$tmp/convscope.desktop"
    mkdir -p "$data/icons/hicolor/scalable/apps"
    cp "$icons/convscope.svg" "$data/icons/hicolor/scalable/apps/convscope.svg"
    if has xdg-icon-resource; then
        for s in $sizes; do
            xdg-icon-resource install --noupdate --novendor --mode user --context apps --size "$s" \
                "$icons/convscope-$s.png" convscope
        done
        xdg-icon-resource forceupdate --mode user
    else
        for s in $sizes; do
            mkdir -p "$data/icons/hicolor/${s}x$s/apps"
            cp "$icons/convscope-$s.png" "$data/icons/hicolor/${s}x$s/apps/convscope.png"
        done
    fi
    if has xdg-mime; then
        xdg-mime install --mode user --novendor "$here/convscope-mime.xml"
    else
        mkdir -p "$data/mime/packages"
        cp "$here/convscope-mime.xml" "$data/mime/packages/convscope-mime.xml"
    fi
    if has xdg-desktop-menu; then
        xdg-desktop-menu install --mode user --novendor "$tmp/convscope.desktop"
    else
        mkdir -p "$data/applications"
        cp "$tmp/convscope.desktop" "$data/applications/convscope.desktop"
    fi
    if has xdg-mime; then
        # shellcheck disable=SC2086 # one argument per type
        xdg-mime default convscope.desktop $types
    fi
    refresh
    echo "ConvScope is in the application menu (launcher $data/applications/convscope.desktop runs $1)"
}

uninstall_all() {
    if has xdg-desktop-menu; then xdg-desktop-menu uninstall --mode user --novendor convscope.desktop || true; fi
    if has xdg-mime; then xdg-mime uninstall --mode user --novendor "$here/convscope-mime.xml" || true; fi
    if has xdg-icon-resource; then
        for s in $sizes; do
            xdg-icon-resource uninstall --noupdate --mode user --context apps --size "$s" convscope || true
        done
        xdg-icon-resource forceupdate --mode user || true
    fi
    rm -f "$data/applications/convscope.desktop" "$data/mime/packages/convscope-mime.xml" \
        "$data/icons/hicolor/scalable/apps/convscope.svg"
    for s in $sizes; do rm -f "$data/icons/hicolor/${s}x$s/apps/convscope.png"; done
    refresh
    echo "ConvScope's launcher, icons and file types are removed"
}

case ${1:-} in
    install) [ $# -eq 2 ] || { echo "usage: install-desktop.sh install /path/to/convscope" >&2; exit 2; }
             install_all "$2" ;;
    uninstall) uninstall_all ;;
    *) echo "usage: install-desktop.sh install /path/to/convscope | uninstall" >&2; exit 2 ;;
esac
