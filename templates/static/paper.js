/* Congress ballot papers (选票凭证) on the phone: RFC 9474 RSABSSA-SHA384-PSS-Randomized,
 * the phone's half (src/crypto/blind is the server's). No library and no crypto.subtle (absent
 * on plain http:// LAN pages): SHA-384, MGF1, EMSA-PSS and BigInt RSA are here; randomness is
 * crypto.getRandomValues. Tested on the RFC's Appendix A vectors in headless Chromium.
 *
 * window.CongressPaper (bytes are Uint8Array; n is the contest key's modulus as hex, e a number):
 *   request(nHex, e)              -> {token, blinded, inv}   new paper, blinded (hex strings);
 *                                    keep it (keepPaper) BEFORE sending `blinded` to the server
 *   complete(nHex, e, pending, blindSig)
 *                                 -> {token, sig} (hex token, base64 sig), throws if invalid
 *   newToken()                    -> 64 random bytes: prefix(32) || msg(32)
 *   blind(nHex, e, token[, salt, inv]) -> {blinded, inv}   (salt+inv only for test vectors)
 *   finalize(nHex, e, token, blindSig, inv[, sLen=48]) -> sig; throws Error if it does not verify
 *   verify(nHex, e, msg, sig[, sLen=48]) -> true/false      RSASSA-PSS-VERIFY, SHA-384
 *   encode(msg, emBits, salt)     -> EMSA-PSS-ENCODE;  sha384(bytes);  mgf1(seed, len)
 *   hex(bytes), unhex(str), b64(bytes), unb64(str), random(len)
 *   paper(congress, contest) / keepPaper(congress, contest, obj) / dropPaper(congress, contest)
 *                                 localStorage "congress:paper:<congress>:<contest>" (JSON);
 *                                 keepPaper throws when storage is unavailable: then send nothing
 *   receipts() / addReceipt(r)    localStorage "congress:receipts": a list, no duplicates
 */
(function () {
  'use strict';
  var M64 = (1n << 64n) - 1n;

  function root(x, k) { // floor(x^(1/k)) by Newton's method
    var r = 1n << BigInt(Math.ceil(x.toString(2).length / k) + 1), y;
    for (;;) {
      y = ((BigInt(k) - 1n) * r + x / r ** BigInt(k - 1)) / BigInt(k);
      if (y >= r) return r;
      r = y;
    }
  }
  // SHA-512 constants (FIPS 180-4 4.2.3, 5.3.4): fractional bits of cube roots of the first 80
  // primes, SHA-384's initial value from square roots of the 9th to 16th: computed, not typed.
  var P = [], K = [], IV = [];
  for (var c = 2; P.length < 80; c++) if (P.every(function (p) { return c % p; })) P.push(c);
  P.forEach(function (p, i) {
    K.push(root(BigInt(p) << 192n, 3) & M64);
    if (i >= 8 && i < 16) IV.push(root(BigInt(p) << 128n, 2) & M64);
  });

  function rotr(x, n) { return ((x >> n) | (x << (64n - n))) & M64; }

  function sha384(msg) {
    var len = msg.length, padded = new Uint8Array(((len + 17 + 127) >> 7) << 7);
    padded.set(msg);
    padded[len] = 0x80;
    var bits = BigInt(len) * 8n;
    for (var i = 0; i < 8; i++) padded[padded.length - 1 - i] = Number((bits >> BigInt(8 * i)) & 255n);
    var h = IV.slice(), w = [];
    for (var off = 0; off < padded.length; off += 128) {
      for (var t = 0; t < 80; t++) {
        if (t < 16) {
          var x = 0n;
          for (var j = 0; j < 8; j++) x = (x << 8n) | BigInt(padded[off + 8 * t + j]);
          w[t] = x;
        } else {
          var a = w[t - 15], b = w[t - 2];
          w[t] = (w[t - 16] + w[t - 7] + (rotr(a, 1n) ^ rotr(a, 8n) ^ (a >> 7n)) +
                  (rotr(b, 19n) ^ rotr(b, 61n) ^ (b >> 6n))) & M64;
        }
      }
      var v = h.slice();
      for (t = 0; t < 80; t++) {
        var e = v[4], A = v[0];
        var t1 = (v[7] + (rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n)) +
                  ((e & v[5]) ^ (~e & M64 & v[6])) + K[t] + w[t]) & M64;
        var t2 = ((rotr(A, 28n) ^ rotr(A, 34n) ^ rotr(A, 39n)) +
                  ((A & v[1]) ^ (A & v[2]) ^ (v[1] & v[2]))) & M64;
        v = [(t1 + t2) & M64, A, v[1], v[2], (v[3] + t1) & M64, v[4], v[5], v[6]];
      }
      for (i = 0; i < 8; i++) h[i] = (h[i] + v[i]) & M64;
    }
    var out = new Uint8Array(48);
    for (i = 0; i < 48; i++) out[i] = Number((h[i >> 3] >> BigInt(56 - 8 * (i & 7))) & 255n);
    return out;
  }

  function concat() {
    var parts = Array.prototype.slice.call(arguments), n = 0, o = 0;
    parts.forEach(function (p) { n += p.length; });
    var out = new Uint8Array(n);
    parts.forEach(function (p) { out.set(p, o); o += p.length; });
    return out;
  }

  function mgf1(seed, len) { // RFC 8017 B.2.1 with SHA-384
    var out = new Uint8Array(0);
    for (var i = 0; out.length < len; i++) {
      out = concat(out, sha384(concat(seed, new Uint8Array([i >>> 24, (i >> 16) & 255, (i >> 8) & 255, i & 255]))));
    }
    return out.slice(0, len);
  }

  function encode(msg, emBits, salt) { // RFC 8017 9.1.1 EMSA-PSS-ENCODE, SHA-384
    var emLen = Math.ceil(emBits / 8), dbLen = emLen - 49;
    if (dbLen < salt.length + 1) throw new Error('模数太短');
    var H = sha384(concat(new Uint8Array(8), sha384(msg), salt));
    var db = new Uint8Array(dbLen), mask = mgf1(H, dbLen);
    db[dbLen - salt.length - 1] = 1;
    db.set(salt, dbLen - salt.length);
    for (var i = 0; i < dbLen; i++) db[i] ^= mask[i];
    db[0] &= 0xff >> (8 * emLen - emBits);
    return concat(db, H, new Uint8Array([0xbc]));
  }

  function hex(b) { return Array.prototype.map.call(b, function (x) { return (x < 16 ? '0' : '') + x.toString(16); }).join(''); }
  function unhex(s) {
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new Error('不是十六进制');
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
    return out;
  }
  function b64(b) { return btoa(String.fromCharCode.apply(null, b)); }
  function unb64(s) { return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); }); }
  function random(len) {
    var b = new Uint8Array(len);
    crypto.getRandomValues(b);
    return b;
  }
  function num(b) { return b.length ? BigInt('0x' + hex(b)) : 0n; }
  function bytes(x, len) {
    var s = x.toString(16);
    if (s.length > 2 * len) throw new Error('数值超出长度');
    return unhex(s.padStart(2 * len, '0'));
  }
  function modpow(b, e, m) {
    var r = 1n;
    for (b %= m; e > 0n; e >>= 1n, b = b * b % m) if (e & 1n) r = r * b % m;
    return r;
  }
  function modinv(a, m) { // extended Euclid; throws when gcd(a, m) != 1
    var r0 = m, r1 = a % m, t0 = 0n, t1 = 1n, q;
    while (r1) {
      q = r0 / r1;
      var r2 = r0 - q * r1, t2 = t0 - q * t1;
      r0 = r1; r1 = r2; t0 = t1; t1 = t2;
    }
    if (r0 !== 1n) throw new Error('不可逆');
    return t0 < 0n ? t0 + m : t0;
  }
  function key(nHex, e) {
    var n = BigInt('0x' + nHex), bits = n.toString(2).length;
    return { n: n, e: BigInt(e), bits: bits, k: (bits + 7) >> 3 };
  }

  function newToken() { return concat(random(32), random(32)); }

  function blind(nHex, e, token, salt, inv) { // RFC 9474 4.2
    var pk = key(nHex, e), r;
    var m = num(encode(token, pk.bits - 1, salt || random(48)));
    modinv(m, pk.n); // m must be coprime with n
    if (inv) {
      inv = num(inv);
      r = modinv(inv, pk.n);
    } else {
      var top = (1n << BigInt(pk.bits)) - 1n; // uniform in [1, n) by rejection
      do r = num(random(pk.k)) & top; while (!r || r >= pk.n);
      inv = modinv(r, pk.n);
    }
    return { blinded: bytes(modpow(r, pk.e, pk.n) * m % pk.n, pk.k), inv: bytes(inv, pk.k) };
  }

  function verify(nHex, e, msg, sig, sLen) { // RFC 8017 8.1.2 / 9.1.2, SHA-384, MGF1-SHA-384
    var pk = key(nHex, e), s = num(sig), emBits = pk.bits - 1, emLen = Math.ceil(emBits / 8);
    sLen = sLen === undefined ? 48 : sLen;
    if (sig.length !== pk.k || s >= pk.n || emLen < 50 + sLen) return false;
    var em = bytes(modpow(s, pk.e, pk.n), pk.k), dbLen = emLen - 49;
    if (pk.k > emLen && em[0]) return false;
    em = em.slice(pk.k - emLen);
    var zeroBits = 8 * emLen - emBits, H = em.slice(dbLen, dbLen + 48);
    if (em[emLen - 1] !== 0xbc || em[0] >> (8 - zeroBits)) return false;
    var db = em.slice(0, dbLen), mask = mgf1(H, dbLen);
    for (var i = 0; i < dbLen; i++) db[i] ^= mask[i];
    db[0] &= 0xff >> zeroBits;
    for (i = 0; i < dbLen - sLen - 1; i++) if (db[i]) return false;
    if (db[dbLen - sLen - 1] !== 1) return false;
    var H2 = sha384(concat(new Uint8Array(8), sha384(msg), db.slice(dbLen - sLen)));
    return hex(H2) === hex(H);
  }

  function finalize(nHex, e, token, blindSig, inv, sLen) { // RFC 9474 4.4
    var pk = key(nHex, e);
    if (blindSig.length !== pk.k) throw new Error('盲签名长度错误');
    var sig = bytes(num(blindSig) * num(inv) % pk.n, pk.k);
    if (!verify(nHex, e, token, sig, sLen)) throw new Error('盲签名无效');
    return sig;
  }

  function request(nHex, e) {
    var token = newToken(), b = blind(nHex, e, token);
    return { token: hex(token), blinded: hex(b.blinded), inv: hex(b.inv) };
  }
  function complete(nHex, e, pending, blindSig) {
    var token = unhex(pending.token);
    return { token: pending.token, sig: b64(finalize(nHex, e, token, blindSig, unhex(pending.inv))) };
  }

  function load(k, fallback) {
    try { return JSON.parse(localStorage.getItem(k)) || fallback; } catch (err) { return fallback; }
  }
  function save(k, v) { localStorage.setItem(k, JSON.stringify(v)); }
  function paperKey(congress, contest) { return 'congress:paper:' + congress + ':' + contest; }

  window.CongressPaper = {
    request: request, complete: complete, newToken: newToken, blind: blind, finalize: finalize,
    verify: verify, encode: encode, sha384: sha384, mgf1: mgf1, hex: hex, unhex: unhex,
    b64: b64, unb64: unb64, random: random,
    paper: function (congress, contest) { return load(paperKey(congress, contest), null); },
    keepPaper: function (congress, contest, obj) { save(paperKey(congress, contest), obj); },
    dropPaper: function (congress, contest) { localStorage.removeItem(paperKey(congress, contest)); },
    receipts: function () { return load('congress:receipts', []); },
    addReceipt: function (r) {
      var list = load('congress:receipts', []), s = JSON.stringify(r);
      if (!list.some(function (x) { return JSON.stringify(x) === s; })) list.push(r);
      save('congress:receipts', list);
      return list;
    }
  };
})();
