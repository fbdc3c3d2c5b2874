/**
 * Finds broken quoting in one raw CSV/TSV record. csv-parse, with quotes relaxed so that a stray quote inside an
 * unquoted field stays text, also accepts a quoted field whose closing quote is followed by more text, and then
 * swallows the lines up to the next quote into one field: the rows in between vanish silently. This check
 * refuses that: a field that opens with a quote must close it right before a delimiter or the record's end.
 */
const quote = '"';

function closingQuote(raw: string, from: number): number {
  let at = from;
  for (;;) {
    const next = raw.indexOf(quote, at);
    if (next === -1 || raw[next + 1] !== quote) return next;
    at = next + 2;
  }
}

/** The 1-based column of the first field whose quoting is broken, or undefined when every field is well formed. */
export function brokenQuotingColumn(raw: string, delimiter: string): number | undefined {
  let at = 0;
  for (let column = 1; ; column += 1) {
    if (raw[at] === quote) {
      const close = closingQuote(raw, at + 1);
      if (close === -1) return column;
      const after = raw[close + 1];
      if (after !== undefined && after !== delimiter && after !== '\r' && after !== '\n') return column;
      at = close + 1;
    } else {
      const next = raw.indexOf(delimiter, at);
      at = next === -1 ? raw.length : next;
    }
    if (raw[at] !== delimiter) return undefined;
    at += delimiter.length;
  }
}
