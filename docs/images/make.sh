#!/usr/bin/env bash
# The README's pictures, made again from the Daegu scenario's PDFs: one page of a Korean firm's
# agenda (cut to its content) and the desk grid. Needs pdftoppm (Debian's poppler-utils); the
# schedule is solved deterministically, so the pictures change only when the software does.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
schedule solve scenarios/daegu-plaza.yaml --out "$work/daegu" --deterministic --time-limit 20 --quiet >/dev/null
# F059, Gumi Smart Home (구미스마트홈): a full day with an interpreter at every meeting.
pdftoppm -png -r 100 -f 1 -l 1 -W 827 -H 491 -singlefile "$work/daegu/agendas/firm-F059.pdf" docs/images/firm-agenda
pdftoppm -png -r 110 -f 1 -l 1 -singlefile "$work/daegu/print/desk-grid.pdf" docs/images/desk-grid
echo "docs/images/firm-agenda.png, docs/images/desk-grid.png"
