import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';

const USAGE = `llm-sidecar keys hash | keys new --name NAME

  keys hash             reads a key on stdin, prints its SHA-256 (hex) for a key entry's \`sha256\`
  keys new --name NAME  prints a fresh random key and a key entry (YAML) holding only its SHA-256
Exit code: 0, or 2 for bad arguments.
`;

export interface KeysIo {
  stdin: AsyncIterable<Buffer | string>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const NAME = /^[\w.@-]{1,64}$/;

/** `llm-sidecar keys …`: makes keys and their digests, so a keys file need hold no secret. */
export async function runKeysCommand(args: string[], io: KeysIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [action, ...extra] = parsed.positionals;
  if (parsed.values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (action === 'hash' && extra.length === 0) {
    let text = '';
    for await (const chunk of io.stdin) text += chunk.toString();
    // a key typed or piped in ends with a newline that is not part of it
    const key = text.replace(/\r?\n$/, '');
    if (key === '') {
      io.stderr.write('keys hash: no key on stdin\n');
      return 2;
    }
    io.stdout.write(`${sha256(key)}\n`);
    return 0;
  }
  const name = parsed.values.name;
  if (action === 'new' && extra.length === 0 && name !== undefined && NAME.test(name)) {
    const key = `sk-${randomBytes(24).toString('base64url')}`;
    io.stdout.write(`key: ${key}\n\n# for apiKeysFile (or apiKeys in the config):\n${stringify([{ name, sha256: sha256(key) }])}`);
    return 0;
  }
  io.stderr.write(action === 'new' ? `keys new needs --name NAME (letters, digits, _ . @ -)\n\n${USAGE}` : USAGE);
  return 2;
}

function sha256(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
