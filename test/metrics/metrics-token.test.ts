import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import type { ConfigInput } from '../../src/config/config-schema.ts';
import { buildConfig } from '../../src/config/load-config.ts';

/** A gateway with the given settings (Ollama is never called), and what `/metrics` answers to each Authorization header. */
async function metricsStatuses(settings: Omit<ConfigInput, 'upstreams'>, authorizations: Array<string | undefined>): Promise<number[]> {
  const gateway = createApp({ config: buildConfig({ ...settings, upstreams: [{ name: 'local', url: 'http://127.0.0.1:9' }] }), logger: pino({ level: 'silent' }) });
  const server = createServer(gateway.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  try {
    const statuses: number[] = [];
    for (const authorization of authorizations) {
      const response = await fetch(url, { headers: authorization === undefined ? {} : { authorization } });
      const body = await response.text();
      if (response.status === 200) assert.match(body, /^# HELP llm_sidecar_/m);
      else assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'invalid_api_key');
      statuses.push(response.status);
    }
    return statuses;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gateway.close();
  }
}

describe('METRICS_TOKEN protects /metrics', () => {
  test('without a token or keys, /metrics is open', async () => {
    assert.deepEqual(await metricsStatuses({}, [undefined]), [200]);
  });

  test('with a token, only `Authorization: Bearer <token>` gets the metrics', async () => {
    assert.deepEqual(
      await metricsStatuses({ metricsToken: 'scrape-secret' }, [undefined, 'Bearer wrong', 'Bearer scrape-secre', 'scrape-secret', 'Bearer scrape-secret', 'bearer scrape-secret']),
      [401, 401, 401, 401, 200, 200],
    );
  });

  test('with API keys and no token, /metrics needs an API key', async () => {
    assert.deepEqual(await metricsStatuses({ apiKeys: ['sk-one'] }, [undefined, 'Bearer sk-one']), [401, 200]);
  });

  test('with API keys and a token, the scraper needs only the token', async () => {
    assert.deepEqual(await metricsStatuses({ apiKeys: ['sk-one'], metricsToken: 'scrape-secret' }, ['Bearer scrape-secret', 'Bearer sk-one']), [200, 401]);
  });
});
