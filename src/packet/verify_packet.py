#!/usr/bin/env python3
# Independent check of a filing packet (verification format v2; v1 packets too), Python 3
# standard library only: hashes, order, Merkle roots, counts, and every ballot's RSA-PSS
# signature. 独立核验归档包(验证格式 v2,兼容 v1),只用 Python 3 标准库。
# Usage: python3 verify_packet.py [DIR]
import base64, csv, hashlib, io, json, os, sys

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

def tlv(d, i):  # one DER element at i: (start, end) of its contents
    n, i = d[i + 1], i + 2
    if n > 127:
        n, i = int.from_bytes(d[i:i + n - 128], "big"), i + n - 128
    return i, i + n

def rsa_key(pem):  # SubjectPublicKeyInfo PEM -> (DER, n, e)
    d = base64.b64decode("".join(l for l in pem.splitlines() if not l.startswith("-----")))
    i = tlv(d, tlv(d, 0)[0])[1]  # skip the AlgorithmIdentifier
    i = tlv(d, tlv(d, i)[0] + 1)[0]  # BIT STRING (unused-bits byte), RSAPublicKey
    a, b = tlv(d, i)
    c, e = tlv(d, b)
    return d, int.from_bytes(d[a:b], "big"), int.from_bytes(d[c:e], "big")

def mgf1(seed, n):  # MGF1 with SHA-384
    return b"".join(hashlib.sha384(seed + c.to_bytes(4, "big")).digest() for c in range(n // 48 + 1))[:n]

def pss_ok(n, e, msg, sig):  # RSASSA-PSS-VERIFY, SHA-384, MGF1-SHA-384, salt 48 (RFC 8017 8.1.2)
    bits = n.bit_length() - 1
    L = (bits + 7) // 8
    if len(sig) != (n.bit_length() + 7) // 8 or int.from_bytes(sig, "big") >= n or L < 98:
        return False
    em = pow(int.from_bytes(sig, "big"), e, n)
    if em.bit_length() > bits:
        return False
    em = em.to_bytes(L, "big")
    h, db = em[L - 49:L - 1], bytes(x ^ y for x, y in zip(em[:L - 49], mgf1(em[L - 49:L - 1], L - 49)))
    db = bytes([db[0] & (0xFF >> (8 * L - bits))]) + db[1:]
    ok = em[-1] == 0xBC and db[:L - 98] == bytes(L - 98) and db[L - 98] == 1
    return ok and hashlib.sha384(bytes(8) + hashlib.sha384(msg).digest() + db[L - 97:]).digest() == h

def signed(cid, b):  # v2: the contest key, every ballot's signature, each token once
    der, n, e = rsa_key(b["contest_key"])
    check(sha(der) == b["contest_key_fingerprint"] and read("keys/%s.pub.pem" % cid) == b["contest_key"].encode(),
          cid + ": contest key fingerprint " + sha(der) + ", keys/%s.pub.pem the same" % cid)
    def ok(x):  # an unsigned (v1) ballot, or one whose signature does not verify, is bad
        try:
            return x["v"] == 2 and pss_ok(n, e, bytes.fromhex(x["token"]), base64.b64decode(x["token_sig"]))
        except (KeyError, ValueError):
            return False
    bad = [i for i, x in enumerate(b["ballots"]) if not ok(x)]
    check(not bad, cid + ": every ballot signed by the contest key" + (" (bad: %s)" % bad[:5] if bad else ""))
    tokens = [x.get("token") for x in b["ballots"]]
    check(len(set(tokens)) == len(tokens) and b["paper"] <= b["cast"], cid + ": tokens unique; paper %d <= cast" % b["paper"])
    return sha(der)

def review(c, b):  # 述职评议 (rules H2-H4): grades, shares, ranks, follow-up recounted from the ballots
    d, res, f = c["review"], c["result"], c["threshold"]["fraction"]
    P, N, G = len(d["persons"]), len(d["dimensions"]), len(d["grades"])
    ok = lambda g: isinstance(g, list) and len(g) == P and all(isinstance(r, list) and len(r) == N and all(type(v) is int and 0 <= v < G for v in r) for r in g)
    grids = [x["choices"]["review"] for x in b["ballots"] if list(x["choices"]) == ["review"] and ok(x["choices"]["review"])]
    cnt = [[[sum(g[p][k] == v for g in grids) for v in range(G)] for k in range(N)] for p in range(P)]
    given, void = len(grids) * N, res["void"]
    need = max(1, given * f["num"] // f["den"] + 1 if f["strict"] else -(-given * f["num"] // f["den"]))
    fav, worst = [sum(sum(r[:d["favourable"]]) for r in x) for x in cnt], [sum(r[-1] for r in x) for x in cnt]
    mine = [[cnt[p], given, fav[p], (fav[p] * 20000 + given) // (2 * given) if given else 0, worst[p],
             0 if void else 1 + sum(o > fav[p] for o in fav), not void and given > 0 and worst[p] >= need] for p in range(P)]
    theirs = [[x[k] for k in ("counts", "given", "favourable", "share_bp", "worst", "rank", "follow_up")] for x in res["detail"]["review"]["persons"]]
    check(mine == theirs and [len(grids), len(b["ballots"]) - len(grids), need] == [res["valid"], res["invalid"], res["threshold"]["min_for"]],
          c["id"] + ": review recounted: %d valid papers, grades, shares, ranks, follow-up as recorded" % len(grids))

def board(rec, c, fid, ref, present, res):  # one board (a contest's, or its participants' under fid) and its roll
    cid = c["id"]
    data = read("boards/%s.board.json" % fid)
    b = json.loads(data)
    check(sha(data) == ref["sha256"] and canon(b) == data, fid + ": board sha256 as recorded, canonical")
    check([b["v"] in (1, 2), b["kind"], b["congress"], b["contest"]] == [True, "board", rec["congress"]["id"], cid], fid + ": board header")
    check(all(x["congress"] == b["congress"] and x["contest"] == cid for x in b["ballots"]), fid + ": every ballot names this congress and contest")
    key = signed(fid, b) if b["v"] == 2 else None
    h = [hashlib.sha256(canon(x)).digest() for x in b["ballots"]]
    check(all(h[i] < h[i + 1] for i in range(len(h) - 1)), fid + ": ballots sorted by hash, unique")
    check(b["cast"] == len(h) <= b["issued"], fid + ": cast = %d ballots <= issued %d" % (len(h), b["issued"]))
    check([b["issued"], b["cast"]] == [ref["issued"], ref["cast"]] == [present, res["cast"]], fid + ": issued and cast as recorded")
    check(mth(h).hex() == b["merkle_root"] == ref["merkle_root"], fid + ": Merkle root recomputes and equals the record")
    if c["kind"] == "review":
        review(dict(c, id=fid, result=res), b)
    roll = read("rolls/%s.csv" % fid)
    rows = list(csv.reader(io.StringIO(roll.decode("utf-8-sig"), newline="")))[1:]
    check(sha(roll) == ref["roll_sha256"] and len(rows) == ref["roll_count"], fid + ": roll sha256 and %d rows as recorded" % len(rows))
    check(b["cast"] <= len(rows) <= b["issued"], fid + ": cast <= roll <= issued")
    return key

def main():
    raw = read("record.json")
    rec = json.loads(raw)
    check(canon(rec) == raw, "record.json is canonical JSON")
    check(sha(read("roster-summary.json")) == rec["roster_summary_sha256"], "roster-summary.json sha256")
    for c in rec["contests"]:
        key = board(rec, c, c["id"], c["board"], c["present_at_opening"], c["result"])
        p = c.get("participants")
        if p is not None:  # rule I7: the participants' tally, apart, under <contest>-participants
            pid, pc = c["id"] + "-participants", dict(c, result=p["result"])
            check([p["label"], p["board"]["file"], p["board"]["roll_file"]] == ["列席评议人员 (分开计票, 不计入结果)", "boards/%s.board.json" % pid, "rolls/%s.csv" % pid], pid + ": participants' label and files as named")
            pkey = board(rec, pc, pid, p["board"], p["present_at_opening"], p["result"])
            check(key is not None and pkey is not None and key != pkey, pid + ": participants' key differs from the delegates' key")
    adir = os.path.join(D, "addenda")
    for name in sorted(os.listdir(adir)) if os.path.isdir(adir) else []:
        if name.endswith(".json"):
            check(json.loads(read("addenda/" + name))["record_sha256"] == sha(raw), name + ": refers to this record.json")
    approval(rec)

def approval(rec):  # approval/ (C5-C7, G4): the list noticed, approved and elected is one
    steps = [(n, read("approval/" + n)) for n in sorted(os.listdir(os.path.join(D, "approval"))) if n.endswith(".json")] if os.path.isdir(os.path.join(D, "approval")) else []; shas, last = {sha(b) for _, b in steps}, {}
    for name, data in steps:
        s = json.loads(data); last[(s.get("contest"), s["kind"])] = s
        check(canon(s) == data and s["congress"] == rec["congress"]["id"] and name.endswith("." + s["kind"] + ".json") and (s["kind"] != "reply" or s["data"]["application_sha256"] in shas), name + ": canonical, this congress; a reply answers an application in the packet")
    for cid in sorted({c for c, k in last if c and k == "notice"}):
        n, rc = last[(cid, "notice")], [c["candidates"] for c in rec["contests"] if c["id"] == cid]; h = sha(canon(n["data"]["candidates"])); ids = [c["id"] for c in n["data"]["candidates"]]
        check(h == n["candidates_sha256"] == last.get((cid, "party_approval"), {}).get("candidates_sha256") == last.get((cid, "federation_request"), {}).get("candidates_sha256") and (not rc or [c["id"] for c in rc[0]] == ids), cid + ": the noticed list's hash recomputes; approval and request refer to the noticed list; the record's candidates are the noticed list")

try:
    main()
except Exception as e:  # a missing file or field is a failure, not a crash
    check(False, "unreadable packet: %r" % e)
print("ALL CHECKS PASSED / 全部通过" if not failed else "%d CHECK(S) FAILED / 未通过" % len(failed))
sys.exit(1 if failed else 0)
