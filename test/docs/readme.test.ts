/**
 * Keeps the front door honest: README.md stays short, every relative link in it and in docs/ reaches a file
 * (and a heading, when it names one), and every page of docs/ can be reached from README.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const documents = ['README.md', ...readdirSync('docs').map((name) => join('docs', name))].filter((path) =>
  path.endsWith('.md'),
);

/** The text outside fenced blocks: a `#` comment in a shell example is not a heading. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** The text outside any code: a link-like string in a code span is not a link. */
function prose(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

function relativeLinks(path: string): string[] {
  const targets = [...prose(readFileSync(path, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  return targets.filter((target) => !/^[a-z]+:/i.test(target));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(path: string): Set<string> {
  const headings = [...withoutFences(readFileSync(path, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)].map(
    (match) => match[1] ?? '',
  );
  return new Set(headings.map(anchorOf));
}

/** Every link that does not lead where it says, as "source → target (why)". */
function brokenLinks(path: string): string[] {
  return relativeLinks(path).flatMap((target) => {
    const [file = '', anchor] = target.split('#');
    const resolved = file === '' ? path : normalize(join(dirname(path), file));
    if (!existsSync(resolved)) return [`${path} → ${target} (no such file)`];
    if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor))
      return [`${path} → ${target} (no such heading)`];
    return [];
  });
}

describe('README.md and docs/', () => {
  it('finds the pages it checks', () => {
    expect(documents).toContain('README.md');
    expect(documents.length, 'docs/ should hold the reference pages').toBeGreaterThan(1);
  });

  it('keeps README.md a front door, under 180 lines', () => {
    const lines = readFileSync('README.md', 'utf8').split('\n').length;
    expect(lines, 'README.md grew into a manual: move the detail into docs/').toBeLessThan(180);
  });

  it.each(documents)('%s links only to files and headings that exist', (path) => {
    expect(brokenLinks(path)).toEqual([]);
  });

  it('reaches every page of docs/ from README.md', () => {
    const linked = new Set(relativeLinks('README.md').map((target) => normalize(target.split('#')[0] ?? '')));
    const unreached = documents.filter((path) => path !== 'README.md' && !linked.has(path));
    expect(unreached, 'pages that README.md does not link to').toEqual([]);
  });
});
