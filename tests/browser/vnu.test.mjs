// The Nu Html Checker (npm vnu-jar, on the system's Java 17) over every HTML file of every
// built site: zero errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { htmlPages, sites } from './lib/sites.mjs';

const VNU = createRequire(import.meta.url)('vnu-jar');

/** The checker's messages for `files`; it prints its JSON report on standard error. */
function check(files) {
  return new Promise((resolve, reject) => {
    const args = ['-jar', VNU, '--errors-only', '--skip-non-html', '--format', 'json', ...files];
    const child = spawn('java', args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let report = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      report += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(report).messages);
      } catch {
        reject(new Error(`vnu exited with ${code} and no JSON report:\n${report}`));
      }
    });
  });
}

/** One JVM per core: the checker is single-threaded and the files are independent. */
const BATCHES = 2;

test('Nu Html Checker: no errors in any generated HTML file', { timeout: 600_000 }, async () => {
  const pages = sites.flatMap((site) => htmlPages(site));
  assert.ok(pages.length > 0, 'no HTML files to check');
  const batches = Array.from({ length: BATCHES }, (_, i) => pages.filter((_, j) => j % BATCHES === i).map((p) => p.file));
  const messages = (await Promise.all(batches.filter((b) => b.length > 0).map(check))).flat();
  const byFile = new Map(pages.map((p) => [p.file, p]));
  const errors = messages.filter((m) => m.type !== 'info');
  const lines = errors.map((m) => {
    const file = m.url ? fileURLToPath(m.url) : '(no file)';
    const page = byFile.get(file);
    const where = page ? `${page.site}:${page.path}` : file;
    const extract = m.extract ? `\n    ${m.extract.replace(/\s+/g, ' ').trim()}` : '';
    return `- ${where}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.type}${m.subType ? ` (${m.subType})` : ''}: ${m.message}${extract}`;
  });
  assert.equal(errors.length, 0, `${errors.length} error(s) in ${pages.length} HTML files:\n${lines.join('\n')}`);
});
