import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** What a sub-command's arguments came to: a help request, a one-line problem, or the parsed values. */
export type ParsedCommandArgs<Options extends ParseArgsOptionsConfig> =
  | { kind: 'help' }
  | { kind: 'invalid'; problem: string }
  | { kind: 'parsed'; values: ParsedValues<Options>; positionals: string[] };

type ParsedValues<Options extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: Options; allowPositionals: true; strict: true }>>['values'];

/** Where a sub-command writes. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Parses a sub-command's arguments strictly; `--help`/`-h` is understood by every command. Node's
 * parser throws on an unknown option or a missing value: that becomes one line for the caller to
 * print above the usage, never a stack trace.
 */
export function parseCommandArgs<Options extends ParseArgsOptionsConfig>(args: string[], options: Options, maxPositionals = 0): ParsedCommandArgs<Options> {
  if (args.includes('--help') || args.includes('-h')) return { kind: 'help' };
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node adds advice about `--` for option-like positionals; the first sentence names the problem.
    return { kind: 'invalid', problem: (error as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, '') };
  }
  if (parsed.positionals.length > maxPositionals) return { kind: 'invalid', problem: `Unexpected argument '${parsed.positionals[maxPositionals]}'` };
  return { kind: 'parsed', values: parsed.values, positionals: parsed.positionals };
}

/**
 * Answers a help request (usage on stdout, exit 0) or bad arguments (the problem and the usage on
 * stderr, exit 2); undefined when the command should run.
 */
export function answerUnlessParsed<Options extends ParseArgsOptionsConfig>(parsed: ParsedCommandArgs<Options>, usage: string, io: CommandIo): number | undefined {
  if (parsed.kind === 'help') {
    io.stdout.write(usage);
    return 0;
  }
  if (parsed.kind === 'invalid') {
    io.stderr.write(`${parsed.problem}\n\n${usage}`);
    return 2;
  }
  return undefined;
}
