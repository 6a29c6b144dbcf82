import { describe, expect, it } from 'vitest';
import { containing, matching } from '../helpers/matchers.js';
import { checkMessage, isNotification, isRequest, isResponse, type JsonRpcMessage } from '../../src/jsonrpc/index.js';
import { parseFrameText } from '../../src/jsonrpc/parser.js';

describe('checkMessage: the JSON-RPC 2.0 shapes', () => {
  it.each<[string, unknown, 'request' | 'notification' | 'response']>([
    ['a request by name', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { a: 1 } }, 'request'],
    ['a request by position with a string id', { jsonrpc: '2.0', id: 'x', method: 'm', params: [1, 2] }, 'request'],
    ['a notification without params', { jsonrpc: '2.0', method: 'exit' }, 'notification'],
    ['a notification with null params (lenient)', { jsonrpc: '2.0', method: 'n', params: null }, 'notification'],
    ['a result of null', { jsonrpc: '2.0', id: 1, result: null }, 'response'],
    ['an error with data', { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'nope', data: [1] } }, 'response'],
    ['an error answering an unreadable request', { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }, 'response'],
    ['unknown members', { jsonrpc: '2.0', method: 'n', extra: true }, 'notification'],
  ])('accepts %s', (_name, value, kind) => {
    const checked = checkMessage(value);
    expect(checked.ok).toBe(true);
    const message = (checked as { message: JsonRpcMessage }).message;
    expect({ request: isRequest(message), notification: isNotification(message), response: isResponse(message) }[kind]).toBe(true);
    expect(message).toBe(value);
  });

  it.each<[unknown, string, unknown]>([
    [[1], 'a JSON-RPC message must be a JSON object, got an array', null],
    ['x', 'a JSON-RPC message must be a JSON object, got string', null],
    [{ id: 1, method: 'm' }, '"jsonrpc" must be "2.0", got nothing', 1],
    [{ jsonrpc: '1.0', method: 'm' }, '"jsonrpc" must be "2.0", got "1.0"', null],
    [{ jsonrpc: '2.0', method: 3 }, '"method" must be a string, got number', null],
    [{ jsonrpc: '2.0', method: 'm', params: 'p' }, '"params" must be an object or an array, got string', null],
    [{ jsonrpc: '2.0', method: 'm', id: null }, 'a request "id" must be a string or a number, got null', null],
    [{ jsonrpc: '2.0', method: 'm', id: {} }, 'a request "id" must be a string or a number, got object', null],
    [{ jsonrpc: '2.0', id: 4 }, 'a response must have exactly one of "result" and "error", got neither', 4],
    [{ jsonrpc: '2.0', id: 4, result: 1, error: { code: 1, message: 'm' } }, 'a response must have exactly one of "result" and "error", got both', 4],
    [{ jsonrpc: '2.0', id: 4, error: { code: 1.5, message: 'm' } }, '"error" must be an object with an integer "code" and a string "message"', 4],
    [{ jsonrpc: '2.0', result: 1 }, 'a response "id" must be a string, a number or null, got nothing (and there is no "method")', null],
  ])('refuses %j: %s', (value, reason, id) => {
    expect(checkMessage(value)).toEqual({ ok: false, reason, id });
  });
});

describe('parseFrameText', () => {
  it('reports text that is not JSON, with a sample', () => {
    expect(parseFrameText('{not json')).toMatchObject({ kind: 'invalid', reason: matching(/^not JSON: /), sample: '{not json', id: null });
  });

  it('refuses lone surrogates as serde_json does, but accepts escaped pairs and a literal backslash-u', () => {
    expect(parseFrameText('{"jsonrpc":"2.0","id":7,"result":"\\ud800"}')).toMatchObject({ kind: 'invalid', id: 7, reason: containing('lone surrogate') });
    expect(parseFrameText('{"jsonrpc":"2.0","method":"m","params":{"\\udc00":1}}')).toMatchObject({ kind: 'invalid' });
    expect(parseFrameText('{"jsonrpc":"2.0","method":"m","params":["\\ud83d\\ude00"]}')).toMatchObject({ kind: 'message', message: { params: ['😀'] } });
    expect(parseFrameText('{"jsonrpc":"2.0","method":"m","params":["\\\\ud800"]}')).toMatchObject({ kind: 'message', message: { params: ['\\ud800'] } });
  });

  it('copes with absurd nesting', () => {
    const text = `{"jsonrpc":"2.0","method":"m","params":[${'['.repeat(100_000)}"\\ud800"${']'.repeat(100_000)}]}`;
    expect(parseFrameText(text)).toMatchObject({ kind: 'invalid' });
  });
});
