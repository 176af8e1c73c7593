# shellcheck shell=bash
# Make the browser tests runnable: Debian chromium (+ chromium-driver) and the Python
# Playwright client that drives it. Playwright uses /usr/bin/chromium via executable_path,
# so no `playwright install` browser download happens.
#
# Sourced by .ci/run (`source .ci/browser.sh`), so it never calls `exit` or changes the
# caller's shell options; a failed install only warns (the browser tests then skip, as they
# do whenever /usr/bin/chromium is absent). Idempotent.

_rasad_browser_setup() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        echo "browser.sh: installing chromium and chromium-driver from Debian packages" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2 \
            || return 1
    fi
    if ! python3 -c "import playwright.sync_api" 2>/dev/null; then
        echo "browser.sh: installing the playwright Python client" >&2
        python3 -m pip install -q "playwright>=1.44" >&2 || return 1
    fi
    echo "browser.sh: $(/usr/bin/chromium --version 2>/dev/null | head -1)" >&2
}

_rasad_browser_setup || echo "browser.sh: setup failed; browser tests will skip" >&2
unset -f _rasad_browser_setup
