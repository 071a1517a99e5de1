#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's own test files, so the fuzzers start from
# real organisers' files, real forms and a real packet. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")"
root=..
seed() { # seed TARGET NAME PREFIX_BYTES FILE
  mkdir -p "corpus/$1"
  { printf "$3"; cat "$4"; } > "corpus/$1/$2"
}
for f in "$root"/tests/fixtures/*.csv "$root"/templates/sample/*.csv; do
  n=$(basename "$f")
  seed import_csv "raw-$n" '\x00' "$f"
  seed import_csv "gbk-$n" '\x01' "$f"
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
i=0
for f in "$root"/tests/fixtures/*.xlsx; do
  n=$(basename "$f")
  seed import_xlsx "raw-$n" '\x00' "$f"
  # The sheet XML alone, to be put back into the seed workbook by the target.
  if command -v unzip >/dev/null; then
    unzip -p "$f" xl/worksheets/sheet1.xml > "$tmp/sheet.xml"
    seed import_xlsx "sheet-$n" "\\x01\\x0$i\\x00" "$tmp/sheet.xml"
  fi
  i=$((i + 1))
done
mkdir -p corpus/ballot_form corpus/packet_verify
printf 'm.k1=for&m.k2=against&m.k3=abstain&w1=%%E8%%B5%%B5%%E6%%95%%8F' > corpus/ballot_form/election
printf 'vote=for&csrf=x&ballot_id=y' > corpus/ballot_form/motion
printf 'm.k1=for&m.k2=for&m.k3=for&w1=a&w2=b&w3=c' > corpus/ballot_form/overvoted
for file in 0 1 2 3 7 10 13; do
  for op in 0 1 2 3 4 5; do
    printf "\\x$(printf %02x $file)\\x0$op\\x10\\x00abc" > "corpus/packet_verify/f$file-op$op"
  done
done
printf '\x00\xf0{"v":1}' > corpus/packet_verify/receipt
