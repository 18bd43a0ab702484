import { TABLE_NAMES, type TableName } from "../ingest-report.ts";

/**
 * @internal The table a name under another spelling means: case, `_`, `-` and spaces aside, and one
 * plural `s` either way (`deal_events` and `Deal-Events` mean `dealEvents`, `customer` means
 * `customers`, `contents` means `content`); undefined when none. readDataset's `files` keys and the
 * CLI's note on a folder's misnamed files ask it.
 */
export function tableMeant(name: string): TableName | undefined {
  const plain = name.toLowerCase().replace(/[_\s-]/g, "");
  return TABLE_NAMES.find((t) => t.toLowerCase() === plain || `${t.toLowerCase()}s` === plain || t.toLowerCase() === `${plain}s`);
}
