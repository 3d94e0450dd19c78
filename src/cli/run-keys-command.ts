import { createHash, randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { answerUnlessParsed, parseCommandArgs } from './parse-command-args.ts';

const USAGE = `Usage:
  llm-sidecar keys hash             reads a key on stdin, prints its SHA-256 (hex) for a key entry's \`sha256\`
  llm-sidecar keys new --name NAME  prints a fresh random key and a key entry (YAML) holding only its SHA-256

NAME: 1-64 letters, digits, _ . @ -
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
  const parsed = parseCommandArgs(args, { name: { type: 'string' } }, 1);
  const answered = answerUnlessParsed(parsed, USAGE, io);
  if (answered !== undefined || parsed.kind !== 'parsed') return answered ?? 2;
  const action = parsed.positionals[0];
  const name = parsed.values.name;
  if (action === 'hash') return hashKeyFromStdin(io);
  if (action === 'new' && name !== undefined && NAME.test(name)) {
    const key = `sk-${randomBytes(24).toString('base64url')}`;
    io.stdout.write(`key: ${key}\n\n# for apiKeysFile (or apiKeys in the config):\n${stringify([{ name, sha256: sha256(key) }])}`);
    return 0;
  }
  io.stderr.write(`${problemWith(action)}\n\n${USAGE}`);
  return 2;
}

function problemWith(action: string | undefined): string {
  if (action === undefined) return 'Which action? hash or new.';
  if (action === 'new') return 'keys new needs --name NAME (letters, digits, _ . @ -)';
  return `Unknown keys action: ${action}`;
}

async function hashKeyFromStdin(io: KeysIo): Promise<number> {
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

function sha256(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
