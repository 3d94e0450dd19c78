import http from 'node:http';
import { appendFileSync } from 'node:fs';
import { loadOpenApiDocument } from '../../src/http/routes/docs.ts';
import { recordResponses, SpecChecker } from './spec-checker.ts';
const checker = new SpecChecker(loadOpenApiDocument());
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (this: http.Server, ...args: unknown[]) {
  const observed = recordResponses(this);
  const server = this;
  let count = 0;
  setInterval(() => {
    for (; count < observed.length; count++) {
      const response = observed[count]!;
      const problems = response.requestId !== undefined ? checker.problemsOf(response) : [];
      if (problems.length > 0) appendFileSync('/tmp/specwatch/problems.txt', `${process.argv[1]}: ${problems.join(' | ')}\n`);
    }
  }, 50).unref();
  void server;
  return (listen as (...a: unknown[]) => http.Server).apply(this, args);
} as typeof listen;
