// The phone pages' glue around paper.js (window.CongressPaper): on the waiting page (/v) take
// a ballot paper for every open contest as soon as it opens (领票) and offer "去投票" once it is
// here; at the box (/box) fill the cast form with the paper; on the receipt page keep the
// receipt. Papers and receipts live in localStorage, never in cookies. See
// src/web/routes/phone.rs, ballot_box.rs, receipts.rs and docs/formats.md ("Ballot papers").
(function () {
  'use strict';
  var P = window.CongressPaper;
  if (!P) return;
  function $(s, r) { return (r || document).querySelector(s); }
  function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function say(card, text, bad) {
    var p = $('.status', card);
    p.textContent = text;
    p.className = 'status' + (bad ? ' error' : '');
  }
  function voted(contest) {
    return P.receipts().filter(function (r) { return r.contest === contest; })[0];
  }

  // Asks for the paper with the blinded token kept in storage beforehand, so that a lost
  // answer (a reload, a dropped connection) is asked for again with the same message.
  function take(card, cid, csrf, done) {
    var id = card.dataset.contest, n = card.dataset.n, e = Number(card.dataset.e);
    var mine = P.paper(cid, id);
    say(card, '正在领取选票…');
    if (!mine) {
      mine = P.request(n, e);
      P.keepPaper(cid, id, mine); // throws without storage: then nothing is sent
    }
    var body = 'csrf=' + encodeURIComponent(csrf) +
      '&blinded=' + encodeURIComponent(P.b64(P.unhex(mine.blinded)));
    // A participant's page (rule I7) takes papers at /v/p/{contest}/paper.
    fetch((card.parentNode.dataset.paper || '/v/') + id + '/paper', {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }
    }).then(function (r) { return r.json(); }).then(function (a) {
      if (!a.blind_sig) throw new Error(a.error || '领取失败');
      P.keepPaper(cid, id, P.complete(n, e, mine, P.unb64(a.blind_sig)));
      show(card, cid);
    }).catch(function (err) {
      say(card, '未能领取选票: ' + err.message + ' (本页会自动重试)', true);
    }).then(done, done);
  }

  function show(card, cid) {
    var id = card.dataset.contest, mine = P.paper(cid, id), go = $('a.vote', card);
    if (voted(id)) {
      say(card, '已投票 ✓ 回执已保存在本机');
      if (go) go.hidden = true;
    } else if (mine && mine.sig) {
      say(card, '选票已领取, 可以投票。');
      if (go) go.hidden = false;
      if (!$('details', card)) {
        var d = el('details'), t = el('textarea');
        d.appendChild(el('summary', '把这张选票转到本人的另一台设备'));
        d.appendChild(el('p', '在另一台设备上登录后, 把下面的文字粘贴到“导入选票”中。只有先投出的一张有效。', 'muted'));
        t.readOnly = true;
        t.value = ['P1', id, mine.token, mine.sig].join('.');
        d.appendChild(t);
        card.appendChild(d);
      }
    } else if (card.dataset.state === 'taken' && !mine) {
      say(card, '本项选票已发到您的另一台设备, 请在那台设备上投票 (或在那里把选票转到本机)。', true);
    }
  }

  function waiting(list) {
    var cid = list.dataset.congress, csrf = list.dataset.csrf, pending = 1;
    function settled() {
      if (--pending === 0) setTimeout(function () { location.reload(); }, 5000);
    }
    $$('.contest', list).forEach(function (card) {
      var st = card.dataset.state, mine = P.paper(cid, card.dataset.contest);
      var asked = mine && !mine.sig;
      if (!voted(card.dataset.contest) && card.dataset.n &&
          (st === 'take' && !mine || st === 'taken' && asked)) {
        pending++;
        take(card, cid, csrf, settled);
      } else {
        show(card, cid);
      }
    });
    settled();
    var open = $$('.contest', list).some(function (c) { return /take|taken/.test(c.dataset.state); });
    P.receipts().forEach(function (r) {
      var li = el('li'), a = el('a');
      a.href = '/r/' + r.contest + '/' + r.hash;
      a.appendChild(el('code', r.hash.slice(0, 16) + '…'));
      li.appendChild(a);
      $('#receipts').appendChild(li);
      $('#mine').hidden = false;
    });
    if (!open) return;
    var box = el('details'), ta = el('textarea'), btn = el('button', '导入选票');
    box.appendChild(el('summary', '导入从本人另一台设备转来的选票'));
    box.appendChild(ta);
    box.appendChild(btn);
    btn.type = 'button';
    btn.addEventListener('click', function () {
      var f = ta.value.trim().split('.');
      if (f.length !== 4 || f[0] !== 'P1' || !/^[0-9a-f]{128}$/.test(f[2])) {
        alert('选票文字不完整, 请重新复制');
        return;
      }
      P.keepPaper(cid, f[1], { token: f[2], sig: f[3] });
      location.reload();
    });
    list.parentNode.insertBefore(box, list.nextSibling);
  }

  // At the box: /box/<congress>/<contest>[/review|/edit|/cast]
  var parts = location.pathname.split('/'), list = $('#contests'), pre = $('#receipt');
  if (list) waiting(list);
  if (parts[1] === 'box') {
    var mine = P.paper(parts[2], parts[3]), form = $('form.cast');
    if (!(mine && mine.sig)) {
      $$('.nopaper').forEach(function (p) { p.hidden = false; });
      if (form) $$('button', form).forEach(function (b) { b.disabled = true; });
    } else if (form) {
      form.elements.token.value = mine.token;
      form.elements.token_sig.value = mine.sig;
    }
  }
  if (pre) P.addReceipt({ contest: pre.dataset.contest, hash: pre.dataset.hash, receipt: pre.textContent });

  // Copy buttons (the receipt page): data-copy names the element whose text is copied. Shown
  // only with script; the text itself stays selectable without it (WeChat cannot download).
  $$('button[data-copy]').forEach(function (b) {
    var src = document.getElementById(b.dataset.copy), label = b.textContent;
    if (!src) return;
    b.hidden = false;
    b.addEventListener('click', function () {
      var text = src.textContent.trim();
      var done = function () { b.textContent = '已复制'; setTimeout(function () { b.textContent = label; }, 2000); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { select(src); });
      } else {
        select(src);
        try { if (document.execCommand('copy')) done(); } catch (e) { /* selected for the user */ }
      }
    });
  });
  function select(node) {
    var r = document.createRange(), s = window.getSelection();
    r.selectNodeContents(node);
    s.removeAllRanges();
    s.addRange(r);
  }
})();
