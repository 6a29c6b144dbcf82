import { describe, expect, it } from 'vitest';
import { CATALOG_ERROR_CODES } from '../../src/contracts/catalog-rpc.js';
import { CATALOG_MESSAGE_RULES } from '../../src/catalog/protocol.js';
import { invalidDetail } from '../../src/catalog/server/unreadable.js';
import { classifyMessage, PLUGIN_MESSAGE_RULES, problemReason, readMessage, type MessageRules } from '../../src/jsonrpc/rules.js';
import { JSONRPC_ERROR_CODES } from '../../src/jsonrpc/index.js';

describe('classifyMessage: the rules both peers share', () => {
  it.each<[string, MessageRules, unknown, string]>([
    ['a null request id, by default (the spec allows it)', {}, { jsonrpc: '2.0', id: null, method: 'm' }, 'request'],
    ['a null request id, for plugins', PLUGIN_MESSAGE_RULES, { jsonrpc: '2.0', id: null, method: 'm' }, 'invalid'],
    ['null params, by default (not a structured value)', {}, { jsonrpc: '2.0', method: 'm', params: null }, 'invalid'],
    ['null params, for plugins', PLUGIN_MESSAGE_RULES, { jsonrpc: '2.0', method: 'm', params: null }, 'notification'],
    ['scalar params, whatever the rules', PLUGIN_MESSAGE_RULES, { jsonrpc: '2.0', id: 1, method: 'm', params: 3 }, 'invalid'],
    ['scalar params, for the catalog', CATALOG_MESSAGE_RULES, { jsonrpc: '2.0', id: 1, method: 'm', params: 'p' }, 'invalid'],
  ])('reads %s', (_name, rules, value, kind) => {
    expect(classifyMessage(value, rules).kind).toBe(kind);
  });

  it('answers with the id when it is usable, null otherwise', () => {
    expect(classifyMessage({ jsonrpc: '1.0', id: 'a', method: 'm' })).toMatchObject({ kind: 'invalid', id: 'a', answerable: true });
    expect(classifyMessage({ jsonrpc: '2.0', id: {}, method: 'm' })).toMatchObject({ kind: 'invalid', id: null, problem: { rule: 'request-id' } });
    expect(classifyMessage([{ jsonrpc: '2.0', id: 1, method: 'm' }])).toEqual({ kind: 'invalid', problem: { rule: 'batch' }, id: null, answerable: true });
  });

  it('never marks what looks like a response as answerable, however malformed', () => {
    for (const value of [{ result: 1, id: 9 }, { jsonrpc: '2.0', result: 1 }, { jsonrpc: '2.0', id: 1, result: 1, error: {} }, { jsonrpc: '2.0', id: 1, error: 'no' }]) {
      expect(classifyMessage(value)).toMatchObject({ kind: 'invalid', answerable: false });
    }
  });

  it('refuses lone surrogates only when the rules say so', () => {
    const text = '{"jsonrpc":"2.0","id":3,"method":"m","params":["\\ud800"]}';
    expect(readMessage(text, PLUGIN_MESSAGE_RULES)).toMatchObject({ kind: 'invalid', id: 3, problem: { rule: 'lone-surrogate' } });
    // the catalog refuses them too, as serde_json does for kanade
    expect(readMessage(text, CATALOG_MESSAGE_RULES)).toMatchObject({ kind: 'invalid', problem: { rule: 'lone-surrogate' } });
    expect(readMessage(text, { ...PLUGIN_MESSAGE_RULES, refuseLoneSurrogates: false }).kind).toBe('request');
    expect(readMessage('{"jsonrpc":', CATALOG_MESSAGE_RULES)).toMatchObject({ kind: 'unparseable', reason: expect.stringMatching(/^not JSON: /) as unknown });
  });

  it('words a problem for plugins and for catalog clients', () => {
    const method = classifyMessage({ jsonrpc: '2.0', id: 1, method: 7 });
    if (method.kind !== 'invalid') throw new Error('expected invalid');
    expect(problemReason(method.problem)).toBe('"method" must be a string, got number');
    expect(invalidDetail(method.problem)).toBe('expected "method" to be a string, got a number');
    const none = classifyMessage({ jsonrpc: '2.0', id: 1 });
    if (none.kind !== 'invalid') throw new Error('expected invalid');
    expect(problemReason(none.problem)).toBe('a response must have exactly one of "result" and "error", got neither');
    expect(invalidDetail(none.problem)).toBe('expected "method" to be a string, got nothing');
  });
});

describe('JSONRPC_ERROR_CODES', () => {
  it('takes the standard codes from the catalog contract and adds LSP\'s RequestCancelled', () => {
    expect(JSONRPC_ERROR_CODES).toEqual({ ParseError: -32700, InvalidRequest: -32600, MethodNotFound: -32601, InvalidParams: -32602, InternalError: -32603, RateLimit: -32003, RequestCancelled: -32800 });
    for (const [name, code] of Object.entries(JSONRPC_ERROR_CODES)) {
      if (name !== 'RequestCancelled') expect(CATALOG_ERROR_CODES[name as keyof typeof CATALOG_ERROR_CODES]).toBe(code);
    }
  });
});
