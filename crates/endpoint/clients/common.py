"""What the client scripts share: the served endpoint's address and token, the fake provider's
fault control, the CLI for budgets, and a small runner that prints `N passed, N failed`."""
import json
import os
import subprocess
import sys
import traceback
import urllib.request

URL = os.environ["SWITCHYARD_URL"]
TOKEN = os.environ["SWITCHYARD_TOKEN"]
FAKE = os.environ["FAKE_URL"]


def fault(body):
    """Sets a fault on the fake provider (None clears them all)."""
    method, data = ("DELETE", None) if body is None else ("POST", json.dumps(body).encode())
    req = urllib.request.Request(
        f"{FAKE}/_control/faults", data=data, method=method,
        headers={"content-type": "application/json"})
    urllib.request.urlopen(req).read()


def requests():
    """Every chat request the fake provider saw, oldest first (model-list fetches left out)."""
    with urllib.request.urlopen(f"{FAKE}/_control/requests") as r:
        return [q for q in json.load(r) if not q["path"].endswith("/models")]


def last_request():
    return requests()[-1]


# A 1×1 PNG, base64, and the bytes it decodes to.
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5E"
       "rkJggg==")
PNG_BYTES = 70
# The fake provider's thought signatures: base64 of "fake-thought:" and a hash of the call.
FAKE_SIGNATURE_PREFIX = "ZmFrZS10aG91Z2h0O"
FOREIGN_SIGNATURE = "skip_thought_signature_validator"


def set_budget(dollars):
    """A daily budget, through the CLI on the served database."""
    subprocess.run(
        [os.environ["SWITCHYARD_BIN"], "--db", os.environ["SWITCHYARD_DB"], "budgets", "set",
         "--period", "day", "--limit", str(dollars)],
        check=True, capture_output=True)


def expect_error(kind, status, call):
    """Runs `call`, which must raise the client's own `kind` with `status`; returns it."""
    try:
        call()
    except kind as e:
        assert e.status_code == status, f"status {e.status_code}, wanted {status}: {e}"
        return e
    raise AssertionError(f"no {kind.__name__} raised")


def run(cases):
    passed = failed = 0
    for case in cases:
        try:
            case()
            passed += 1
            print(f"ok   {case.__name__}")
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            failed += 1
            print(f"FAIL {case.__name__}")
            traceback.print_exc(file=sys.stdout)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
