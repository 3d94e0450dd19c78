/**
 * Validates a client body against one of the request schemas and turns the first problem into a 400
 * naming the `param` the way OpenAI does (`messages[0].content`, `temperature`).
 */
import type { z } from 'zod';
import { invalidRequest } from '../errors/gateway-error.ts';

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

/** Parses `body` with `schema`, or throws `invalidRequest(message, param)` for the most specific issue. */
export function parseRequest<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  const located = pickMostSpecificIssue(result.error.issues, []);
  const issue = located.issue;
  if (issue.code === 'unrecognized_keys') {
    // The unknown key is the param, as OpenAI names it: `messages[0].colour`, not `messages[0]`.
    const unknown = issue.keys.map((key) => formatParam([...located.path, key]));
    throw invalidRequest(`Unrecognized request argument supplied: ${unknown.join(', ')}.`, unknown[0] ?? null, 'unknown_parameter');
  }
  const param = formatParam(located.path);
  throw invalidRequest(describeIssue(issue, param, located.alternatives), param || null);
}

/** `['messages', 0, 'content']` → `messages[0].content`. */
export function formatParam(path: readonly PathSegment[]): string {
  let param = '';
  for (const segment of path) {
    if (typeof segment === 'number') param += `[${segment}]`;
    else param += param === '' ? String(segment) : `.${String(segment)}`;
  }
  return param;
}

interface LocatedIssue {
  issue: Issue;
  path: PathSegment[];
  /** For a value that matched no branch of a union at all: the types the branches expected. */
  alternatives: string[];
}

/**
 * Zod reports a union failure as one issue holding every branch's issues. The branch that got furthest
 * into the value (longest path) is the one the client meant, so its issue is the useful one.
 */
function pickMostSpecificIssue(issues: readonly Issue[], prefix: PathSegment[]): LocatedIssue {
  const first = issues[0];
  if (first === undefined) throw new Error('zod reported a failure without issues');
  const path = [...prefix, ...first.path];
  if (first.code !== 'invalid_union' || first.errors.length === 0) return { issue: first, path, alternatives: [] };
  const branches = first.errors.filter((branch) => branch.length > 0);
  const deepest = Math.max(...branches.map((branch) => Math.max(...branch.map((issue) => issue.path.length))));
  if (deepest === 0 && branches.every((branch) => branch.every((issue) => issue.code === 'invalid_type'))) {
    const alternatives = [...new Set(branches.flat().map((issue) => (issue.code === 'invalid_type' ? describeType(issue.expected) : '')))];
    return { issue: first, path, alternatives };
  }
  const chosen = branches.find((branch) => branch.some((issue) => issue.path.length === deepest)) ?? branches[0] ?? [];
  return pickMostSpecificIssue(chosen, path);
}

function describeIssue(issue: Issue, param: string, alternatives: readonly string[]): string {
  const subject = param === '' ? 'the request body' : `'${param}'`;
  if ((issue.code === 'invalid_type' || alternatives.length > 0) && issue.input === undefined) {
    return `Missing required parameter: ${subject}.`;
  }
  if (alternatives.length > 0) return `Invalid type for ${subject}: expected ${alternatives.join(' or ')}.`;
  if (issue.code === 'invalid_type') return `Invalid type for ${subject}: expected ${describeType(issue.expected)}.`;
  if (issue.code === 'custom' || issue.message.startsWith('invalid ') || issue.message.startsWith('Invalid value')) {
    return issue.message;
  }
  return `Invalid value for ${subject}: ${lowercaseFirst(issue.message)}.`;
}

const lowercaseFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

const describeType = (expected: string): string => (expected === 'int' ? 'integer' : expected);
