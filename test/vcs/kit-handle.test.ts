import { describe, expect, it } from 'vitest';
import { handleVcsRequest } from '../../src/vcs-adapter/handle-request.js';
import type { VcsAdapterOptions } from '../../src/vcs-adapter/types.js';

const adapter: VcsAdapterOptions = {
  adapterName: 'demo',
  version: '0.9.0',
  handlers: {
    revision_id: () => ({ revision_id: 'x1' }),
    commit: (params) => Promise.resolve({ commit_id: `c-${params.changed_files.length}`, message: params.message }),
    push: () => {
      throw new Error('remote rejected');
    },
    detect: () => Promise.reject(new Error('async failure')),
    save_state: () => {
      throw 'a thrown string'; // eslint-disable-line @typescript-eslint/only-throw-error
    },
    sync_upstream: () => ({ updated: 'yes' }) as never,
    verify_target: () => ({ ignored: true }) as never,
  },
};

const handle = async (request: unknown, options = adapter): Promise<string> => (await handleVcsRequest(typeof request === 'string' ? request : JSON.stringify(request), options)).line;

describe('handleVcsRequest: the kit without a process', () => {
  it('answers the handshake from the options; capabilities default to the handled methods', async () => {
    expect(await handle({ method: 'handshake', params: { ta_version: '0.13.5-alpha', protocol_version: 1 } })).toBe(
      '{"ok":true,"result":{"plugin_version":"0.9.0","protocol_version":1,"adapter_name":"demo","capabilities":["detect","save_state","commit","push","revision_id","verify_target","sync_upstream"]}}',
    );
    const listed = await handle({ method: 'handshake', params: { ta_version: '1', protocol_version: 1 } }, { ...adapter, capabilities: ['commit'] });
    expect(JSON.parse(listed)).toMatchObject({ result: { capabilities: ['commit'] } });
  });

  it('calls the handler with validated params and writes its result with defaults filled in', async () => {
    expect(await handle({ method: 'revision_id', params: null })).toBe('{"ok":true,"result":{"revision_id":"x1"}}');
    expect(await handle({ method: 'commit', params: { goal_id: 'g', goal_title: 't', message: 'm', changed_files: ['a', 'b'] } })).toBe(
      '{"ok":true,"result":{"commit_id":"c-2","message":"m","metadata":{}}}',
    );
    // serde's array form of the request envelope is a request too
    expect(await handle(['revision_id', {}])).toBe('{"ok":true,"result":{"revision_id":"x1"}}');
  });

  it('a method without a result answers result:null whatever the handler returned', async () => {
    expect(await handle({ method: 'verify_target', params: {} })).toBe('{"ok":true,"result":null}');
  });

  it('a throwing or rejecting handler becomes an error envelope with its message', async () => {
    expect(await handle({ method: 'push', params: { goal_id: 'g' } })).toBe('{"ok":false,"result":null,"error":"remote rejected"}');
    expect(await handle({ method: 'detect', params: { project_root: '/p' } })).toBe('{"ok":false,"result":null,"error":"async failure"}');
    expect(await handle({ method: 'save_state', params: {} })).toBe('{"ok":false,"result":null,"error":"a thrown string"}');
  });

  it('unknown and unimplemented methods are refused by name', async () => {
    expect(await handle({ method: 'stage_env', params: {} })).toBe('{"ok":false,"result":null,"error":"unknown method: stage_env"}');
    expect(await handle({ method: 'commit_diff', params: {} })).toBe('{"ok":false,"result":null,"error":"method not supported by this adapter: commit_diff"}');
    expect(await handle({ method: 'toString', params: {} })).toBe('{"ok":false,"result":null,"error":"unknown method: toString"}');
    expect(await handle({ method: 'merge_review', params: { review_id: '1' } })).toBe(
      '{"ok":false,"result":null,"error":"method not supported by this adapter: merge_review"}',
    );
  });

  it('malformed input, invalid params and an invalid handler result are error envelopes, never exceptions', async () => {
    const error = async (request: unknown): Promise<string> => (JSON.parse(await handle(request)) as { error: string }).error;
    expect(await error('not json')).toMatch(/^malformed request: not a JSON text/);
    expect(await error('')).toBe('malformed request: no request line on stdin');
    expect(await error({ method: 'detect' })).toMatch(/^malformed request: JSON does not match the contract: params/);
    expect(await error({ method: 'commit', params: { goal_id: 1 } })).toMatch(/^invalid params for commit: goal_id: [^;]*$/);
    expect(await error({ method: 'sync_upstream', params: {} })).toMatch(/^adapter bug: the sync_upstream handler returned an invalid result: updated: /);
  });

  it('every answer is exactly one line, even with newlines in messages', async () => {
    const multiline: VcsAdapterOptions = { ...adapter, handlers: { push: () => Promise.reject(new Error('line one\nline two')) } };
    const line = await handle({ method: 'push', params: { goal_id: 'g' } }, multiline);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ ok: false, result: null, error: 'line one\nline two' });
  });
});
