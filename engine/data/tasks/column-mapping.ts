/**
 * Column mapping: which column of the user's file fills which field of a task. A source column may be a dotted
 * path into nested JSON (`answers.text`). Fields the mapping does not name are looked up under their own name.
 */
export type ColumnMapping = Readonly<Record<string, string>>;

function lookup(record: Record<string, unknown>, path: string): unknown {
  if (path in record) return record[path];
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The task's fields, filled from the record through the mapping. */
export function applyMapping(
  record: Record<string, unknown>,
  fields: readonly string[],
  mapping: ColumnMapping = {},
): Record<string, unknown> {
  const mapped: Record<string, unknown> = {};
  for (const field of fields) {
    const value = lookup(record, mapping[field] ?? field);
    if (value !== undefined) mapped[field] = value;
  }
  return mapped;
}

/** The name of the source column a task field is read from, for error messages. */
export function sourceColumn(field: string, mapping: ColumnMapping = {}): string {
  return mapping[field] ?? field;
}

/** Mapping names that are not fields of the task: almost always a typo, so say so before reading. */
export function checkMapping(fields: readonly string[], mapping: ColumnMapping = {}): void {
  const unknown = Object.keys(mapping).filter((key) => !fields.includes(key));
  if (unknown.length > 0)
    throw new Error(`column mapping names unknown task fields ${unknown.join(', ')} (fields: ${fields.join(', ')})`);
}
