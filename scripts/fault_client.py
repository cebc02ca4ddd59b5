#!/usr/bin/env python3
"""The client and the checker of scripts/faults.sh (python3 standard library only).

load:  threads performing transitions over HTTP on cases of their own, each
       request with If-Match and a fresh Idempotency-Key. When the server is
       gone (killed), the same request with the same key is sent again until
       it answers, so an acknowledged transition is never lost by the client
       either. Every acknowledged (2xx) transition is written to --acks, every
       other answer to --errors.
check: compares the acknowledged transitions and the stored rows (via psql):
       every acknowledged transition is in its case's audit trail at the
       version the server answered; no case is half-changed; every outbox
       row created during the run was sent and is in a .eml file.
"""

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid


def psql(url, sql):
    out = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-AtF", "\t", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def next_command(case):
    """The action that moves `case` one step along its cycle."""
    if case["kind"] == "member":
        if case["member_state"] == "pending":
            return {"action": "verify_member", "member": case["member"]}
        return {"action": "reopen_member", "member": case["member"], "fields": {"reason": "fault drill"}}
    if case["state"] == "intake":
        return {"action": "return_to_applicant", "fields": {"reason": "fault drill"}}
    return {"action": "resubmit"}


def load(args):
    cases = json.load(open(args.cases))
    host, port = args.url.split("//", 1)[1].split(":")
    deadline = time.monotonic() + args.seconds
    lock = threading.Lock()
    acks = open(args.acks, "w")
    errors = open(args.errors, "w")
    counts = {"acked": 0, "retried": 0, "errors": 0, "lost": 0}

    def send(conn_box, case, command, key):
        """POSTs until the server answers; None if it never comes back."""
        body = json.dumps(command)
        headers = {
            "Authorization": "Bearer " + args.token,
            "Content-Type": "application/json",
            "If-Match": '"%d"' % case["version"],
            "Idempotency-Key": key,
        }
        give_up = time.monotonic() + 60
        while time.monotonic() < give_up:
            try:
                if conn_box[0] is None:
                    conn_box[0] = http.client.HTTPConnection(host, int(port), timeout=10)
                conn_box[0].request("POST", "/api/applications/%s/transitions" % case["reference"], body, headers)
                response = conn_box[0].getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException):
                if conn_box[0] is not None:
                    conn_box[0].close()
                conn_box[0] = None
                with lock:
                    counts["retried"] += 1
                time.sleep(0.1)
        return None

    def worker(mine):
        conn_box = [None]
        rng = random.Random()
        while time.monotonic() < deadline and mine:
            case = rng.choice(mine)
            command = next_command(case)
            key = uuid.uuid4().hex
            answer = send(conn_box, case, command, key)
            with lock:
                if answer is None:
                    counts["lost"] += 1
                    mine.remove(case)
                    continue
                status, body = answer
                if 200 <= status < 300:
                    result = json.loads(body)
                    counts["acked"] += 1
                    acks.write(json.dumps({
                        "reference": case["reference"],
                        "action": command["action"],
                        "member": command.get("member"),
                        "version": result["version"],
                        "state": result["state"],
                        "key": key,
                    }) + "\n")
                    acks.flush()
                    case["version"] = result["version"]
                    case["state"] = result["state"]
                    if case["kind"] == "member":
                        case["member_state"] = "verified" if command["action"] == "verify_member" else "pending"
                else:
                    counts["errors"] += 1
                    errors.write(json.dumps({
                        "reference": case["reference"], "status": status,
                        "body": body.decode("utf-8", "replace")[:500],
                    }) + "\n")
                    # Leave this case alone: its state is no longer known here.
                    mine.remove(case)

    threads = []
    for t in range(args.threads):
        mine = cases[t :: args.threads]
        thread = threading.Thread(target=worker, args=(mine,))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    acks.close()
    errors.close()
    print("client: %(acked)d transitions acknowledged, %(retried)d resends after a dropped connection, "
          "%(errors)d refused, %(lost)d never answered" % counts)
    return 0 if counts["errors"] == 0 and counts["lost"] == 0 else 1


def check(args):
    failures = []

    def fail(message):
        failures.append(message)
        print("FAIL: " + message)

    acks = [json.loads(line) for line in open(args.acks)]
    # 1. Every acknowledged transition is in the audit trail, at the version
    # the server answered (version and audit sequence move together, one
    # event per command, so their difference is fixed per case).
    events = {}
    for ref, seq, action, member, to_state, actor in psql(
        args.db,
        "SELECT a.reference, e.seq, e.action, COALESCE(e.member, 0), e.to_state, e.actor "
        "FROM audit_events e JOIN applications a ON a.id = e.application_id "
        "WHERE a.reference IN (SELECT DISTINCT reference FROM applications a2 "
        "JOIN audit_events e2 ON e2.application_id = a2.id WHERE e2.actor = 'fault.officer')",
    ):
        events[(ref, int(seq))] = (action, int(member), to_state, actor)
    offsets = {ref: int(v) - int(s) for ref, v, s in psql(args.db, "SELECT reference, version, audit_seq FROM applications")}
    missing = 0
    for ack in acks:
        seq = ack["version"] - offsets[ack["reference"]]
        found = events.get((ack["reference"], seq))
        expected = (ack["action"], ack["member"] or 0, ack["state"], "fault.officer")
        if found != expected:
            missing += 1
            if missing <= 5:
                fail("acknowledged %s on %s (version %d) is not in the audit trail at seq %d: found %r"
                     % (ack["action"], ack["reference"], ack["version"], seq, found))
    if missing:
        fail("%d of %d acknowledged transitions missing" % (missing, len(acks)))
    # Acknowledged twice? (The same idempotency key must not act twice.)
    keys = {}
    for ack in acks:
        keys.setdefault((ack["reference"], ack["version"]), ack["key"])
    if len(keys) != len(acks):
        fail("two acknowledgements name the same case and version")

    # 2. No half-changed case: the application row's chain head, version and
    # state agree with its last audit event; each drilled member's state
    # agrees with the last event on that member.
    for ref, problem in psql(
        args.db,
        "SELECT a.reference, CASE "
        " WHEN l.seq IS NULL THEN 'no audit events' "
        " WHEN a.audit_seq <> l.seq THEN 'audit_seq ' || a.audit_seq || ' but last event ' || l.seq "
        " WHEN a.audit_seq <> l.n THEN 'audit_seq ' || a.audit_seq || ' but ' || l.n || ' events' "
        " WHEN a.last_hash <> l.hash THEN 'last_hash differs from the last event' "
        " WHEN a.state <> l.to_state THEN 'state ' || a.state || ' but the last event ends in ' || l.to_state "
        " END FROM applications a LEFT JOIN LATERAL ("
        "  SELECT e.seq, e.hash, e.to_state, (SELECT COUNT(*) FROM audit_events c WHERE c.application_id = a.id) AS n "
        "  FROM audit_events e WHERE e.application_id = a.id ORDER BY e.seq DESC LIMIT 1) l ON true "
        "WHERE l.seq IS NULL OR a.audit_seq <> l.seq OR a.audit_seq <> l.n OR a.last_hash <> l.hash OR a.state <> l.to_state",
    ):
        fail("%s is half-changed: %s" % (ref, problem))
    for ref, ordinal, state, action in psql(
        args.db,
        "SELECT a.reference, m.ordinal, m.state, l.action FROM members m "
        "JOIN applications a ON a.id = m.application_id "
        "JOIN LATERAL (SELECT e.action FROM audit_events e WHERE e.application_id = a.id AND e.member = m.ordinal "
        "  ORDER BY e.seq DESC LIMIT 1) l ON true "
        "WHERE l.action IN ('verify_member', 'reopen_member') "
        "AND m.state <> CASE l.action WHEN 'verify_member' THEN 'verified' ELSE 'pending' END",
    ):
        fail("%s member %s is %s after %s" % (ref, ordinal, state, action))

    # 3. Outbox: one row per effect of every event since the run began, each
    # sent and written to a .eml file (at least once).
    (effects,) = psql(
        args.db,
        "SELECT COALESCE(SUM(json_array_length((payload::json) -> 'effects')), 0) FROM audit_events "
        "WHERE actor = 'fault.officer' AND (payload::json) -> 'effects' IS NOT NULL",
    )[0]
    # Reminder digests (which carry a dedupe key) are not the transitions'.
    rows = psql(args.db, "SELECT id, status FROM outbox WHERE id > %d AND dedupe_key IS NULL ORDER BY id"
                % args.outbox_before)
    if int(effects) != len(rows):
        fail("the drilled events have %s effects but %d outbox rows were written" % (effects, len(rows)))
    mailed = {}
    for name in os.listdir(args.mail):
        if name.endswith(".eml"):
            text = open(os.path.join(args.mail, name), encoding="utf-8", errors="replace").read()
            for found in set(re.findall(r"<outbox-(\d+)\.", text)):
                mailed[int(found)] = mailed.get(int(found), 0) + 1
    unsent = [(i, s) for i, s in rows if s != "sent" or int(i) not in mailed]
    for i, s in unsent[:5]:
        fail("outbox row %s is %s and %s" % (i, s, "mailed" if int(i) in mailed else "not mailed"))
    if unsent:
        fail("%d of %d outbox rows not delivered" % (len(unsent), len(rows)))
    twice = sum(1 for i, _ in rows if mailed.get(int(i), 0) > 1)
    print("check: %d acknowledged transitions found in the audit trail; %d outbox rows, all mailed "
          "(%d of them twice, as at-least-once allows)" % (len(acks) - missing, len(rows), twice)
          if not failures else "check: %d failures" % len(failures))
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--cases", required=True)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--acks", required=True)
    p.add_argument("--errors", required=True)
    c = sub.add_parser("check")
    c.add_argument("--db", required=True)
    c.add_argument("--acks", required=True)
    c.add_argument("--mail", required=True)
    c.add_argument("--outbox-before", type=int, required=True)
    args = parser.parse_args()
    sys.exit(load(args) if args.command == "load" else check(args))


if __name__ == "__main__":
    main()
