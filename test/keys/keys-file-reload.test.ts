import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../src/sim/simulator.ts';
import { spawnGateway, type GatewayProcess } from '../traffic/spawn-gateway.ts';

describe('apiKeysFile is re-read on SIGHUP (real gateway process)', () => {
  let folder: string;
  let sim: Simulator;
  let gateway: GatewayProcess;
  const keysFile = (): string => join(folder, 'keys.yaml');

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'llm-sidecar-keys-'));
    writeFileSync(keysFile(), '- { name: first, key: sk-first }\n');
    sim = await startSimulator();
    gateway = await spawnGateway({
      ollamaUrl: sim.url,
      config: { logLevel: 'info', resources: { enabled: false }, apiKeysFile: keysFile() },
      env: { LLM_SIDECAR_DATA_DIR: folder },
    });
  });
  after(async () => {
    await gateway.kill();
    await sim.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const statusWith = async (key: string): Promise<number> => (await fetch(`${gateway.url}/v1/models`, { headers: { 'x-api-key': key } })).status;

  async function hangUp(expected: string): Promise<void> {
    const logged = gateway.whenLogged(expected);
    gateway.child.kill('SIGHUP');
    await logged;
  }

  test('a new file replaces the keys; a broken one is refused and the current keys stay', async () => {
    assert.equal(await statusWith('sk-first'), 200);
    assert.deepEqual((await gateway.whenLogged('API keys required'))['keys'], ['first']);
    writeFileSync(keysFile(), '- { name: second, key: sk-second }\n');
    await hangUp('configuration reloaded');
    assert.equal(await statusWith('sk-first'), 401);
    assert.equal(await statusWith('sk-second'), 200);

    writeFileSync(keysFile(), '- { name: second, key: sk-a }\n- { name: second, key: sk-b }\n');
    await hangUp('configuration reload refused; keeping the current one');
    const refusal = gateway.logs.find((line) => line['msg'] === 'configuration reload refused; keeping the current one')!;
    assert.match(String(refusal['error']), /apiKeysFile\[1\]\.name: "second" is also the name of apiKeysFile\[0\]/);
    assert.equal(await statusWith('sk-second'), 200);
    assert.equal(await statusWith('sk-b'), 401);
  });
});
