#!/usr/bin/env python3
"""Rewrite a SUT profile's baseline from a run's results.json.

Every case whose run left a failed check becomes an entry pinning the
observed outcome, alert and failed checks. An entry keeps its old reason
when it pinned exactly the same thing; otherwise its reason is the run's
own judgement, to be reviewed (grep "review:").

usage: scripts/regen-baseline.py PROFILE.yaml RESULTS.json
"""
import json
import sys

import yaml

CHECK_ORDER = ["decision", "sni", "suites", "weak-suites", "cid", "same-session",
               "resumed", "stay-alive", "cert-profile"]


def main(profile, results):
    text = open(profile).read()
    old = {e["case"]: e for e in (yaml.safe_load(text).get("baseline") or [])}
    rs = json.load(open(results))["results"]
    entries = []
    for r in rs:
        failed = [c["name"] for c in r.get("checks") or [] if c["verdict"] == "FAIL"]
        if not failed:
            continue
        failed.sort(key=CHECK_ORDER.index)
        obs = r["observation"]
        e = {"case": r["case"]["id"], "outcome": obs["outcome"], "checks": failed}
        if obs.get("alert"):
            e["alert"] = obs["alert"]
        prev = old.get(e["case"])
        if prev and prev.get("outcome") == e["outcome"] and sorted(prev.get("checks") or ["decision"]) == sorted(failed):
            e["reason"] = prev["reason"]
        else:
            msgs = [c["message"] for c in r["checks"] if c["verdict"] == "FAIL"]
            detail = obs.get("detail", "")
            e["reason"] = "review: " + "; ".join(msgs) + (f" — {detail}" if detail else "")
        entries.append(e)
    head = text[: text.index("\nbaseline:")] if "\nbaseline:" in text else text.rstrip("\n")
    out = [head, "baseline:" if entries else "baseline: []"]
    for e in entries:
        out.append("  - " + json.dumps(e, ensure_ascii=False)[1:-1].replace('"case": ', "case: ", 1)
                   .replace('"outcome": ', "outcome: ").replace('"checks": ', "checks: ")
                   .replace('"alert": ', "alert: ").replace('"reason": ', "reason: ").join("{}"))
    open(profile, "w").write("\n".join(out) + "\n")
    print(f"{profile}: {len(entries)} entries ({sum(1 for e in entries if e['reason'].startswith('review:'))} to review)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
