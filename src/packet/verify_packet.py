#!/usr/bin/env python3
# Independent check of a filing packet (verification format v1), Python 3 standard library only.
# 独立核验归档包(验证格式 v1),只用 Python 3 标准库。  Usage: python3 verify_packet.py [DIR]
import csv, hashlib, io, json, os, sys

D = sys.argv[1] if len(sys.argv) > 1 else "."
failed = []

def check(ok, what):
    print(("OK   " if ok else "FAIL ") + what)
    if not ok:
        failed.append(what)

def read(rel):
    with open(os.path.join(D, rel), "rb") as f:
        return f.read()

def canon(x):  # canonical JSON: sorted keys, no spaces, UTF-8
    return json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

def sha(b):
    return hashlib.sha256(b).hexdigest()

def mth(h):  # RFC 6962 Merkle Tree Hash over 32-byte ballot hashes
    if len(h) <= 1:
        return hashlib.sha256(b"\x00" + h[0] if h else b"").digest()
    k = 1 << ((len(h) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(h[:k]) + mth(h[k:])).digest()

def main():
    raw = read("record.json")
    rec = json.loads(raw)
    check(canon(rec) == raw, "record.json is canonical JSON")
    check(sha(read("roster-summary.json")) == rec["roster_summary_sha256"], "roster-summary.json sha256")
    for c in rec["contests"]:
        cid, ref = c["id"], c["board"]
        data = read("boards/%s.board.json" % cid)
        b = json.loads(data)
        check(sha(data) == ref["sha256"] and canon(b) == data, cid + ": board sha256 as recorded, canonical")
        check([b["v"], b["kind"], b["congress"], b["contest"]] == [1, "board", rec["congress"]["id"], cid], cid + ": board header")
        check(all(x["congress"] == b["congress"] and x["contest"] == cid for x in b["ballots"]), cid + ": every ballot names this congress and contest")
        h = [hashlib.sha256(canon(x)).digest() for x in b["ballots"]]
        check(all(h[i] < h[i + 1] for i in range(len(h) - 1)), cid + ": ballots sorted by hash, unique")
        check(b["cast"] == len(h) <= b["issued"], cid + ": cast = %d ballots <= issued %d" % (len(h), b["issued"]))
        check([b["issued"], b["cast"]] == [ref["issued"], ref["cast"]] == [c["present_at_opening"], c["result"]["cast"]], cid + ": issued and cast as recorded")
        check(mth(h).hex() == b["merkle_root"] == ref["merkle_root"], cid + ": Merkle root recomputes and equals the record")
        roll = read("rolls/%s.csv" % cid)
        rows = list(csv.reader(io.StringIO(roll.decode("utf-8-sig"), newline="")))[1:]
        check(sha(roll) == ref["roll_sha256"] and len(rows) == ref["roll_count"], cid + ": roll sha256 and %d rows as recorded" % len(rows))
        check(b["cast"] <= len(rows) <= b["issued"], cid + ": cast <= roll <= issued")
    adir = os.path.join(D, "addenda")
    for name in sorted(os.listdir(adir)) if os.path.isdir(adir) else []:
        if name.endswith(".json"):
            check(json.loads(read("addenda/" + name))["record_sha256"] == sha(raw), name + ": refers to this record.json")

try:
    main()
except Exception as e:  # a missing file or field is a failure, not a crash
    check(False, "unreadable packet: %r" % e)
print("ALL CHECKS PASSED / 全部通过" if not failed else "%d CHECK(S) FAILED / 未通过" % len(failed))
sys.exit(1 if failed else 0)
