import type { StatusStreamEvent } from '../../openai/sidecar-status-stream-event.ts';
import { readStatusStream, type StreamState } from '../../status/read-status-stream.ts';
import { parseTopArgs, TOP_USAGE, type TopOptions } from './parse-top-args.ts';
import { renderTopScreen } from './render-top-screen.ts';

export interface TopIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

// Terminal control: the alternate screen keeps the user's scrollback intact, and leaving it restores it.
const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l';
const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';
// Redraw in place (home, each line cleared to its end, the rest cleared): no flicker, unlike a full clear.
const HOME = '\x1b[H';
const CLEAR_LINE_END = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';
const CTRL_C = '\x03';

/** `llm-sidecar top`: a live view of `/v1/status/stream`, or with `--once` one snapshot printed as tables. */
export async function runTopCommand(args: string[], io: TopIo): Promise<number> {
  const options = parseTopArgs(args, io.env);
  if (options === 'help') {
    io.stdout.write(TOP_USAGE);
    return 0;
  }
  if ('error' in options) {
    io.stderr.write(`${options.error}\n\n${TOP_USAGE}`);
    return 2;
  }
  return options.once ? printOnce(options, io) : showLive(options, io);
}

function openStream(options: TopOptions, onEvent: (event: StatusStreamEvent) => void, onState: (state: StreamState, detail?: string) => void) {
  return readStatusStream({ url: `${options.url}/v1/status/stream`, key: () => options.key ?? null, onEvent, onState });
}

function refusalMessage(options: TopOptions, detail: string | undefined): string {
  return `The gateway at ${options.url} refused the status stream${detail ? `: ${detail}` : ''}${options.key === undefined ? ' (pass --key or set LLM_SIDECAR_API_KEY)' : ''}\n`;
}

function printOnce(options: TopOptions, io: TopIo): Promise<number> {
  return new Promise((resolve) => {
    const stream = openStream(
      options,
      (event) => {
        stream.stop();
        io.stdout.write(`${renderTopScreen(event, { url: options.url, width: Infinity }).join('\n')}\n`);
        resolve(0);
      },
      (state, detail) => {
        if (state !== 'needs-key' && state !== 'reconnecting') return;
        stream.stop();
        io.stderr.write(state === 'needs-key' ? refusalMessage(options, detail) : `Cannot read the status of ${options.url}: ${detail ?? 'no answer'}\n`);
        resolve(1);
      },
    );
  });
}

function showLive(options: TopOptions, io: TopIo): Promise<number> {
  return new Promise((resolve) => {
    let latest: StatusStreamEvent | undefined;
    let state: { name: StreamState; detail?: string | undefined } = { name: 'connecting' };
    const draw = (): void => {
      const width = io.stdout.columns ?? 100;
      const footer = `q quit · ${state.name === 'live' ? 'live' : `${state.name}${state.detail ? `: ${state.detail}` : ''}`}`;
      const lines = latest === undefined ? [`llm-sidecar top  ${options.url}`, '', footer] : renderTopScreen(latest, { url: options.url, width, footer });
      const visible = lines.slice(0, io.stdout.rows ?? lines.length);
      io.stdout.write(HOME + visible.map((line) => line + CLEAR_LINE_END).join('\r\n') + CLEAR_BELOW);
    };
    const stream = openStream(
      options,
      (event) => {
        latest = event;
        draw();
      },
      (name, detail) => {
        if (name === 'needs-key') return finish(1, refusalMessage(options, detail));
        const changed = name !== state.name || detail !== state.detail;
        state = { name, detail };
        if (changed) draw();
      },
    );
    const onKey = (data: Buffer): void => {
      const key = data.toString('utf8');
      if (key === 'q' || key === 'Q' || key === CTRL_C) finish(0);
    };
    const onSignal = (): void => finish(0);
    const finish = (code: number, message?: string): void => {
      stream.stop();
      io.stdin.off('data', onKey);
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      io.stdout.off('resize', draw);
      if (io.stdin.isTTY) io.stdin.setRawMode(false);
      io.stdin.pause();
      io.stdout.write(LEAVE_SCREEN);
      if (message !== undefined) io.stderr.write(message);
      resolve(code);
    };
    io.stdout.write(ENTER_SCREEN);
    // Raw mode: q arrives without Enter, and Ctrl-C arrives as a byte rather than a signal.
    if (io.stdin.isTTY) io.stdin.setRawMode(true);
    io.stdin.on('data', onKey);
    io.stdin.resume();
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    io.stdout.on('resize', draw);
    draw();
  });
}
