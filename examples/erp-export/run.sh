#!/usr/bin/env bash
# Read the Hebrew ERP export in data/ with the orderpulse CLI and print the ingest report and KPIs.
# The files are windows-1255, `;`-separated, with Hebrew column names, dd/mm/yyyy dates and
# decimal commas (see README.md). Inside this repository: npm run build && bash examples/erp-export/run.sh
# Elsewhere: ORDERPULSE=orderpulse bash run.sh (the installed bin).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${ORDERPULSE:-}" ]; then
  read -r -a cli <<<"$ORDERPULSE"
else
  cli=(node "$here/../../dist/cli/main.js")
fi

# How the export is read: the contract's column = the export's column (one --map each; a table
# prefix for the files other than orders.csv), then the export's formats.
read_flags=(
  --data "$here/data"
  --map "order_id=מספר חשבונית"
  --map "line_id=שורה"
  --map "order_date=תאריך"
  --map "customer_id=קוד לקוח"
  --map "product_id=קוד פריט"
  --map "quantity=כמות"
  --map "unit_price=מחיר נטו"
  --map "unit_cost=עלות"
  --map "rep_id=סוכן"
  --map "customers.customer_id=קוד לקוח"
  --map "customers.name=שם לקוח"
  --map "customers.segment=ענף"
  --map "customers.region=אזור"
  --map "customers.rep_id=סוכן"
  --map "products.product_id=קוד פריט"
  --map "products.name=שם פריט"
  --map "products.family=משפחה"
  --map "products.list_price=מחיר מחירון"
  --map "products.unit_cost=עלות"
  --encoding windows-1255
  --delimiter ";"
  --date-format "dd/MM/yyyy"
  --decimal-comma
  --currency ILS
  --time-zone Asia/Jerusalem
)
as_of=2026-10-31

echo "== ingest"
"${cli[@]}" ingest "${read_flags[@]}"

echo
echo "== kpis by segment, last 3 months"
"${cli[@]}" kpis "${read_flags[@]}" --as-of "$as_of" --period month --periods 3 --by segment --kpi revenue --kpi margin

echo
echo "== customer 20004 (stopped ordering in July), messages in Hebrew"
"${cli[@]}" customer "${read_flags[@]}" --as-of "$as_of" --id 20004 --lang he --weekend sat
