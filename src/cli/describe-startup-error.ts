import { ConfigError } from '../config/load-config.ts';

/** The fields Node puts on system errors (listen, open) and OpenSSL errors (TLS files). */
interface StartupFailure {
  code?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  path?: unknown;
  hostname?: unknown;
  message?: unknown;
}

type Describe = (failure: StartupFailure) => string | undefined;

const text = (value: unknown): string => String(value);

/**
 * Start-up failures a user can cause and fix, by Node's error code, each as the one line that says
 * what to do. Anything not listed is a bug and keeps its stack trace.
 */
const KNOWN_FAILURES: Record<string, Describe> = {
  EADDRINUSE: ({ syscall, address, port }) => (syscall === 'listen' ? `port ${text(port)} is in use on ${text(address)}; set PORT or listen.port` : undefined),
  EACCES: ({ syscall, address, port, path }) =>
    syscall === 'listen'
      ? `no permission to listen on ${text(address)}:${text(port)} (ports below 1024 need privileges); set PORT or listen.port`
      : path === undefined ? undefined : `cannot read ${text(path)}: permission denied`,
  EADDRNOTAVAIL: ({ syscall, address }) => (syscall === 'listen' ? `${text(address)} is not an address of this machine; set HOST or listen.host` : undefined),
  ENOTFOUND: ({ syscall, hostname }) => (syscall === 'getaddrinfo' ? `cannot resolve the listen host ${text(hostname)}; set HOST or listen.host` : undefined),
  ENOENT: ({ path }) => (path === undefined ? undefined : `cannot read ${text(path)}: no such file`),
  EISDIR: ({ path }) => `a folder was given where a file is expected${path === undefined ? '' : `: ${text(path)}`}`,
};

/** OpenSSL refused a certificate or key file (not PEM, wrong key for the certificate, encrypted key...). */
const describeTlsFailure: Describe = ({ code, message }) => (typeof code === 'string' && code.startsWith('ERR_OSSL') ? `the TLS certificate or key is not usable: ${text(message)}` : undefined);

/**
 * The one line to print for a start-up failure the user can fix, or undefined for anything else.
 * Config errors already carry their message (every bad field, or Redis unreachable).
 */
export function describeStartupError(error: unknown): string | undefined {
  if (error instanceof ConfigError) return error.message;
  if (error === null || typeof error !== 'object') return undefined;
  const failure = error as StartupFailure;
  const describe = typeof failure.code === 'string' && Object.hasOwn(KNOWN_FAILURES, failure.code) ? KNOWN_FAILURES[failure.code] : describeTlsFailure;
  return describe?.(failure);
}
