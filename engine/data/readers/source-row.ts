/** What every reader yields: one record of a file, with where it came from, or a problem found while reading. */

/** Where a row is: its file and its line (text formats, 1-based), row index (Parquet, 0-based) or JSON path. */
export interface RowLocation {
  file: string;
  line?: number;
  row?: number;
  /** Where a record sits inside one JSON document (SQuAD files): `data[0].paragraphs[3].qas[1]`. */
  path?: string;
}

export interface SourceRow {
  location: RowLocation;
  /** 0-based position among the file's records (header excluded); stable whatever the file format. */
  index: number;
  record: Record<string, unknown>;
}

/** A problem with one row, named precisely enough for a person to find and fix it. */
export interface RowIssue {
  location: RowLocation;
  field?: string;
  message: string;
}

/** A reader yields rows, and issues for rows it could not read (a row with an issue is not yielded). */
export type ReadItem = { kind: 'row'; row: SourceRow } | { kind: 'issue'; issue: RowIssue };

export function describeLocation(location: RowLocation): string {
  if (location.line !== undefined) return `${location.file}:${location.line}`;
  if (location.row !== undefined) return `${location.file} row ${location.row}`;
  if (location.path !== undefined) return `${location.file} at ${location.path}`;
  return location.file;
}

export function describeIssue(issue: RowIssue): string {
  const field = issue.field === undefined ? '' : ` field "${issue.field}"`;
  return `${describeLocation(issue.location)}${field}: ${issue.message}`;
}
