import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HAND_WRITTEN_MARKER, keepHandWrittenPart } from '../../bench/format-benchmarks-report.ts';

test('a rewritten report keeps what follows the marker in the file it replaces', () => {
  const previous = `# Benchmarks\n\nold figures\n\n${HAND_WRITTEN_MARKER}\n\n## Profiles\n\nkept\n`;
  assert.equal(keepHandWrittenPart('# Benchmarks\n\nnew figures\n', previous), `# Benchmarks\n\nnew figures\n\n${HAND_WRITTEN_MARKER}\n\n## Profiles\n\nkept\n`);
});

test('without a previous file or a marker the report is written as it is', () => {
  assert.equal(keepHandWrittenPart('# new\n', undefined), '# new\n');
  assert.equal(keepHandWrittenPart('# new\n', '# old, all generated\n'), '# new\n');
});
