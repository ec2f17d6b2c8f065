"""The load benchmark's users (`make bench-load`, driven by tools/benchmark_load.py).

Each simulated coordinator signs in through the real pages: the login form, then the
two-factor form with a code computed from its TOTP key, as an authenticator app would. The
accounts, their keys and a few of each centre's family ids come in the JSON file named by
BENCH_LOAD_ACCOUNTS (written by the benchmark, deleted after the run; bench data only).

Three user classes, run one at a time: the page mix of every coordinator page, the trivial
signed-in floor, and the bare Django floor. No think time: each user asks again as soon as it
has its answer.
"""

import itertools
import json
import os
import random
import re
import threading

from django_otp.oath import totp
from locust import HttpUser, constant, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

with open(os.environ["BENCH_LOAD_ACCOUNTS"]) as handle:
    ACCOUNTS = json.load(handle)
_next_account = itertools.cycle(ACCOUNTS["coordinators"])
_lock = threading.Lock()


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class SignedIn(HttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        with _lock:
            self.account = next(_next_account)
        page = self.client.get("/accounts/login/", name="sign in (form)")
        done = self.client.post(
            "/accounts/login/",
            {
                "username": self.account["email"],
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            name="sign in (password)",
        )
        code = f"{totp(bytes.fromhex(self.account['key'])):06d}"
        verified = self.client.post(
            "/accounts/two-factor/verify/",
            {"token": code, "csrfmiddlewaretoken": _csrf(done.text)},
            name="sign in (two-factor)",
        )
        if "/accounts/" in verified.url:
            raise RuntimeError("the benchmark coordinator could not sign in")
        self.families = self.account["families"]
        self.surname = self.account["surname"]


class PageMix(SignedIn):
    """Every coordinator page a working day uses, weighted roughly as used."""

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")

    @task(3)
    def family_list(self) -> None:
        self.client.get("/families/", name="family list")

    @task(3)
    def family_page(self) -> None:
        family = random.choice(self.families)
        self.client.get(f"/families/{family}/", name="family page")

    @task(2)
    def search(self) -> None:
        page = self.client.get("/families/", name="family list")
        self.client.post(
            "/families/search/",
            {"q": self.surname, "csrfmiddlewaretoken": _csrf(page.text)},
            name="family search (POST and results)",
        )

    @task(2)
    def day(self) -> None:
        self.client.get("/sessions/day/", name="day view")

    @task(2)
    def week(self) -> None:
        self.client.get("/sessions/week/", name="week view")

    @task(1)
    def referrals(self) -> None:
        self.client.get("/referrals/", name="referral list")

    @task(1)
    def volunteers(self) -> None:
        self.client.get("/volunteers/", name="volunteer list")

    @task(1)
    def disclosures(self) -> None:
        self.client.get("/disclosures/", name="disclosure register")


class SignedInFloor(SignedIn):
    @task
    def floor(self) -> None:
        self.client.get("/bench/signed-in/", name="signed-in trivial view")


class BareFloor(HttpUser):
    wait_time = constant(0)

    @task
    def floor(self) -> None:
        self.client.get("/bare/", name="bare Django view")
