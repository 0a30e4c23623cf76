// Parity of the search client's text pipeline with the index's: search.js must turn what a
// reader types into exactly the terms src/search/analysis.rs indexed, or words go unfound.
//
// The Rust side is `cargo run --example search_pipeline`, which prints the terms of each
// text it is given. The texts: every term in the vocabulary of the built fixture site and
// of the repository's own site (read from the index shards), every distinct word of the
// source documents in importers/review/sources/, and a list of tricky words. Run with
// `node --test tests/search-parity/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';

const repo = new URL('../..', import.meta.url).pathname;

/** search.js's `analyse`: the script exports its pipeline when it finds `module`. */
function client() {
  const module = { exports: {} };
  vm.runInNewContext(readFileSync(join(repo, 'themes/review/static/search.js'), 'utf8'), {
    module,
    TextEncoder,
    TextDecoder,
  });
  // Arrays made in the script's own context: copied so that deepEqual compares contents.
  return {
    analyse: (text) => [...module.exports.analyse(text)],
    positioned: (text) => [...module.exports.positioned(text)].map((pair) => [...pair]),
  };
}

function cargo(args, input) {
  return execFileSync('cargo', ['run', '--quiet', ...args], {
    cwd: repo,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** Builds the site at `root` into `output` with the chorus binary. */
function build(root, output) {
  cargo(['--bin', 'chorus', '--', 'build', '--quiet', '--root', root, '--output', output]);
}

/** Every term of the index under `public`, from its manifest and shards. */
function vocabulary(public_) {
  const dir = join(public_, 'search', 'en');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return manifest.shards.flatMap(([, file]) => Object.keys(JSON.parse(readFileSync(join(dir, file), 'utf8'))));
}

/** The Rust pipeline's `[position, term]` pairs for each text. */
function rust(texts) {
  return JSON.parse(cargo(['--example', 'search_pipeline'], JSON.stringify(texts)));
}

const TRICKY = [
  // possessives and apostrophes, straight and curly
  "children's", 'children’s', 'Children’S', 'carers’', "carers'", "SGO's", 'SGO’s', "James'", 'don’t', "don't",
  '‘quoted’', "'s", '’s', '’', "it's", "o'clock", 'ʼokina',
  // hyphens, dashes, slashes, brackets and other separators
  'carer(s)/guardian', '[sic]', '{braces}', 'and/or', 'parent/carer’s', '“quoted”', '‘single’', 'e.g.', 'i.e. SGO',
  'a–b—c‒d―e', 'Removed at birth', 'x•y', 'a+b=c', 'a@b.org', '#tag', '§12', 'half-a-dozen', 'co‑operate',
  'kinship-care', 'Kinship-Care', 'Solve for A - B', 'e-mail', '--', 'x-ray', 'well‑being', '2021–22', 'a—b',
  // numbers
  '2021', '15', '1st', '£30,000', '50%', '3.5', '0800', 'Q1', '12th-century',
  // accented and other scripts
  'café', 'naïve', 'résumé', 'spatiëring', 'Zoë', 'Ångström', 'façade', 'São', 'ΣΑΣ', 'İstanbul', 'STRASSE',
  'straße', 'ﬁnance', 'aतed', 'aतing', 'ёed', '子供', '👍kinship', 'kinship👍',
  // white space Rust splits on and characters it does not
  'kinship\u00a0care', 'kinship\tcare\nsupport', 'kin\u200bship', '\ufeffkinship', 'kinship\u2003care', 'kinship\u0085care',
  // the words of the issue, and stemmer corners
  'caseloads', 'kinship', 'running', 'generalization', 'SGOs', 'postcode lottery', 'Kinship', 'KINSHIP',
  'eing', 'ies', 'sses', 'yyy', 'byy', 'leeshyy', 'agreed', 'feed', 'hopefulness', 'relational', 'conditional',
  'vietnamization', 'controll', 'sky', 'happy', 'ion', 'ation', 'ousli', 'alli', 'logi', 'ize', 'y',
  // stop words and nothing at all
  'the', 'The', 'AND', 'a', 'I', '', ' ', '!!!', '_', '__init__',
];

/** Every distinct whitespace-separated word of the source documents, punctuation and all,
 * and every line, for positions across many words. */
function sourceWords() {
  const dir = join(repo, 'importers', 'review', 'sources');
  if (!existsSync(dir)) return [];
  const words = new Set();
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), 'utf8');
    for (const word of text.split(/\s+/)) if (word) words.add(word);
    for (const line of text.split('\n')) if (line.trim()) words.add(line);
  }
  return [...words];
}

test('search.js makes the same terms at the same positions as the index of every indexed term, source word and tricky word', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'chorus-parity-'));
  try {
    const fixture = join(tmp, 'fixture');
    cpSync(join(repo, 'tests/fixtures/basic'), fixture, { recursive: true });
    cpSync(join(repo, 'themes'), join(fixture, 'themes'), { recursive: true });
    build(fixture, join(tmp, 'fixture-public'));
    const terms = vocabulary(join(tmp, 'fixture-public'));
    assert.ok(terms.includes('kinship'), 'the fixture site indexes "kinship"');
    if (existsSync(join(repo, 'content'))) {
      build(repo, join(tmp, 'review-public'));
      terms.push(...vocabulary(join(tmp, 'review-public')));
    }
    const texts = [...new Set([...terms, ...sourceWords(), ...TRICKY])];
    const expected = rust(texts);
    assert.equal(expected.length, texts.length);
    const { positioned } = client();
    const differences = texts
      .map((text, i) => ({ text, rust: expected[i], js: positioned(text) }))
      .filter((d) => JSON.stringify(d.rust) !== JSON.stringify(d.js));
    assert.deepEqual(differences.slice(0, 20), [], `${differences.length} of ${texts.length} texts differ`);
    assert.ok(texts.length > 1000, `only ${texts.length} texts compared`);
    console.log(`# ${texts.length} texts compared, ${terms.length} of them indexed terms`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the tricky words analyse as documented', () => {
  const { analyse } = client();
  assert.deepEqual(analyse('Children’s kinship-care caseloads'), ['children', 'kinship', 'care', 'caseload']);
  assert.deepEqual(analyse('SGOs running generalization'), ['sgo', 'run', 'gener']);
  assert.deepEqual(analyse('the and of'), []);
  assert.deepEqual(analyse('carer(s)/guardian 2021–22'), ['carer', 's', 'guardian', '2021', '22']);
});
