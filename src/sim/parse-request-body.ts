import type { z } from 'zod';

const goTypeByZodType: Record<string, string> = {
  string: 'string',
  number: 'float64',
  boolean: 'bool',
  array: '[]interface {}',
  object: 'map[string]interface {}',
};

/**
 * Parses a decoded JSON body with one of the Ollama wire schemas. A body of the wrong shape gets the
 * text Go's decoder gives (`json: cannot unmarshal number into Go struct field ChatRequest.model of type
 * string`), which is what Ollama answers with a 400.
 */
export function parseRequestBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  structName: string,
): { ok: true; value: z.infer<Schema> } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: `json: cannot unmarshal ${describeJsonType(body)} into Go value of type api.${structName}` };
  }
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const received = path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), body);
  const expected = issue !== undefined && 'expected' in issue && typeof issue.expected === 'string' ? issue.expected : 'string';
  const field = path.filter((key) => !/^\d+$/.test(key)).join('.');
  return {
    ok: false,
    error: `json: cannot unmarshal ${describeJsonType(received)} into Go struct field ${structName}.${field} of type ${goTypeByZodType[expected] ?? expected}`,
  };
}

function describeJsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
