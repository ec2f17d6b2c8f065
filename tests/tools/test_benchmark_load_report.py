"""The load benchmark's report says plainly which target is missed and why (issue 22)."""

from tools.benchmark_load import Run, why_missed


def _run(name: str, rps: float, cpu_ms: float, requests: int = 1000) -> Run:
    return Run(name, requests=requests, rps=rps, cpu_s=cpu_ms * requests / 1000)


def test_each_missed_target_gets_its_reason_from_the_runs_own_cpu():
    found = why_missed(
        _run("PageMix", 40.0, 36.0),
        _run("SignedInFloor", 457.0, 2.5),
        _run("BareFloor", 1491.0, 0.4),
    )
    assert len(found) == 2
    assert "36.0 ms" in found[0] and "2.5 ms" in found[0] and "about 5.0 ms" in found[0]
    assert "2.5 ms" in found[1] and "0.4 ms" in found[1] and "about 1.0 ms" in found[1]


def test_targets_met_need_no_reason():
    assert (
        why_missed(
            _run("PageMix", 300.0, 3.0),
            _run("SignedInFloor", 500.0, 2.0),
            _run("BareFloor", 1000.0, 1.0),
        )
        == []
    )
