import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderSchemaFiles, schemasDirectory } from '../../scripts/export-schemas.ts';

const fix = 'run `node scripts/export-schemas.ts` and commit schemas/';

test('schemas/*.json are what the code exports', () => {
  const rendered = renderSchemaFiles();
  const committed = readdirSync(schemasDirectory).filter((file) => file.endsWith('.json'));
  assert.deepEqual(committed.sort(), [...rendered.keys()].sort(), `schemas/ holds other files than the code exports: ${fix}`);
  for (const [file, text] of rendered) {
    assert.equal(readFileSync(join(schemasDirectory, file), 'utf8'), text, `schemas/${file} has drifted from the code: ${fix}`);
  }
});
