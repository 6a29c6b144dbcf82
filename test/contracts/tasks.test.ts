import { describe, it, expect, expectTypeOf } from 'vitest';
import * as fc from 'fast-check';
import * as z from 'zod';
import { TASK_METHODS, TASK_PARAMS, TaskDoneParams, TaskKind, TaskLogParams, TaskNotificationError, TaskStartParams, TaskUpdateParams, isTaskMethod, parseTaskEvent, taskEventId } from '../../src/contracts/tasks.js';
import { isJobhostError } from '../../src/errors.js';
import type { TaskEvent, TaskEventOf, TaskMethod, TaskStartParamsInput } from '../../src/contracts/tasks.js';

/** The error parseTaskEvent throws, or a test failure when it returns. */
function errorOf(method: string, params: unknown): TaskNotificationError {
  try {
    parseTaskEvent(method, params);
  } catch (error) {
    expect(error).toBeInstanceOf(TaskNotificationError);
    return error as TaskNotificationError;
  }
  throw new Error(`parseTaskEvent(${method}) accepted ${JSON.stringify(params)}`);
}

/** The exact message for params written as JSON text. */
function messageOf(method: string, paramsText: string): string {
  return errorOf(method, JSON.parse(paramsText)).message;
}

/** Parse params written as JSON text, as a JSON-RPC reader would hand them over. */
function parse(method: string, paramsText: string): TaskEvent {
  return parseTaskEvent(method, JSON.parse(paramsText));
}

describe('seed tests (agent_engine extensions/tasks.rs)', () => {
  it('parses_task_start_with_kind', () => {
    const ev = parse('task.start', '{"id":"dl","label":"Downloading","kind":"download"}');
    expect(ev).toEqual({ type: 'start', id: 'dl', label: 'Downloading', kind: 'download' });
  });

  it('task_start_defaults_to_generic_kind', () => {
    const ev = parse('task.start', '{"id":"x","label":"y"}');
    expect(ev).toMatchObject({ type: 'start', kind: 'generic' });
  });

  it('parses_task_update_partial', () => {
    const ev = parse('task.update', '{"id":"dl","current":50,"total":100}');
    expect(ev).toStrictEqual({ type: 'update', id: 'dl', current: 50, total: 100 });
    expect('message' in ev).toBe(false);
  });

  it('parses_task_log', () => {
    expect(parse('task.log', '{"id":"r","line":"compiling..."}')).toEqual({ type: 'log', id: 'r', line: 'compiling...' });
  });

  it('parses_task_done_no_error', () => {
    const ev = parse('task.done', '{"id":"r"}');
    expect(ev).toStrictEqual({ type: 'done', id: 'r' });
    expect('error' in ev).toBe(false);
  });

  it('parses_task_done_with_error', () => {
    expect(parse('task.done', '{"id":"r","error":"boom"}')).toStrictEqual({ type: 'done', id: 'r', error: 'boom' });
  });

  it('rejects_missing_id', () => {
    expect(() => parse('task.start', '{"label":"x"}')).toThrow(TaskNotificationError);
  });

  it('rejects_unknown_kind', () => {
    expect(messageOf('task.start', '{"id":"x","label":"y","kind":"alien"}')).toContain('unknown kind');
  });

  it('is_task_method_works', () => {
    expect(isTaskMethod('task.start')).toBe(true);
    expect(isTaskMethod('task.update')).toBe(true);
    expect(isTaskMethod('task.log')).toBe(true);
    expect(isTaskMethod('task.done')).toBe(true);
    expect(isTaskMethod('task.unknown')).toBe(false);
    expect(isTaskMethod('provider.stream.event')).toBe(false);
  });
});

describe('parseTaskEvent: params and id', () => {
  it.each(['null', '[]', '[{"id":"x"}]', '"x"', '1', 'true'])('params %s is not an object', (params) => {
    expect(messageOf('task.start', params)).toBe('task.start params must be a JSON object');
    expect(messageOf('task.bogus', params)).toBe('task.bogus params must be a JSON object');
  });

  it('params undefined is not an object', () => {
    expect(errorOf('task.log', undefined).message).toBe('task.log params must be a JSON object');
  });

  it.each(['{}', '{"id":null}', '{"id":5}', '{"id":["x"]}', '{"id":{"x":1}}', '{"id":true}'])('%s has no id', (params) => {
    for (const method of TASK_METHODS) expect(messageOf(method, params)).toBe(`${method} missing 'id'`);
  });

  it('an empty id is refused', () => {
    for (const method of TASK_METHODS) expect(messageOf(method, '{"id":""}')).toBe(`${method} 'id' must be non-empty`);
  });

  it("a plugin that sends task_id instead of id is told so, not dropped", () => {
    const error = errorOf('task.start', { task_id: 'dl', label: 'Downloading', kind: 'download' });
    expect(error.message).toBe("task.start missing 'id'");
    expect(error.method).toBe('task.start');
  });

  it('checks the id before the method', () => {
    expect(messageOf('task.bogus', '{}')).toBe("task.bogus missing 'id'");
    expect(messageOf('task.bogus', '{"id":""}')).toBe("task.bogus 'id' must be non-empty");
    expect(messageOf('task.bogus', '{"id":"x"}')).toBe('not a task method: task.bogus');
    expect(messageOf('', '{"id":"x"}')).toBe('not a task method: ');
    expect(messageOf('Task.Start', '{"id":"x","label":"y"}')).toBe('not a task method: Task.Start');
  });

  it('reads own keys only, as a serde_json Map would', () => {
    const inherited = Object.create({ id: 'x', label: 'y' }) as object;
    expect(errorOf('task.start', inherited).message).toBe("task.start missing 'id'");
    expect(parse('task.start', '{"id":"x","label":"y","toString":1,"__proto__":{"kind":"rebuild"}}')).toMatchObject({ kind: 'generic' });
  });

  it('ignores unknown fields', () => {
    expect(parse('task.log', '{"id":"r","line":"l","extra":[1],"task_id":"q"}')).toStrictEqual({ type: 'log', id: 'r', line: 'l' });
  });

  it('taskEventId returns the id of every variant', () => {
    expect(taskEventId(parse('task.start', '{"id":"a","label":"l"}'))).toBe('a');
    expect(taskEventId(parse('task.update', '{"id":"b"}'))).toBe('b');
    expect(taskEventId(parse('task.log', '{"id":"c","line":""}'))).toBe('c');
    expect(taskEventId(parse('task.done', '{"id":"d"}'))).toBe('d');
  });
});

describe('parseTaskEvent: task.start', () => {
  it.each(['{"id":"x"}', '{"id":"x","label":null}', '{"id":"x","label":5}', '{"id":"x","label":["y"]}'])('%s has no label', (params) => {
    expect(messageOf('task.start', params)).toBe("task.start missing 'label'");
  });

  it('accepts an empty label', () => {
    expect(parse('task.start', '{"id":"x","label":""}')).toEqual({ type: 'start', id: 'x', label: '', kind: 'generic' });
  });

  it.each([
    ['"download"', 'download'],
    ['"rebuild"', 'rebuild'],
    ['"generic"', 'generic'],
    ['"other"', 'generic'],
    ['null', 'generic'],
    ['5', 'generic'],
    ['true', 'generic'],
    ['{"k":"download"}', 'generic'],
    ['["download"]', 'generic'],
  ])('kind %s reads as %s (a non-string kind is "no kind")', (kind, expected) => {
    expect(parse('task.start', `{"id":"x","label":"y","kind":${kind}}`)).toEqual({ type: 'start', id: 'x', label: 'y', kind: expected });
  });

  it.each(['alien', 'Download', 'GENERIC', '', ' download', "it's"])('kind %j is unknown', (kind) => {
    expect(errorOf('task.start', { id: 'x', label: 'y', kind }).message).toBe(`task.start unknown kind '${kind}'`);
  });

  it('checks the label before the kind', () => {
    expect(messageOf('task.start', '{"id":"x","kind":"alien"}')).toBe("task.start missing 'label'");
  });
});

describe('parseTaskEvent: task.update', () => {
  it.each([
    ['0', 0],
    ['50', 50],
    ['4294967296', 4294967296],
    ['9007199254740991', 9007199254740991],
  ])('current %s is kept', (current, expected) => {
    expect(parse('task.update', `{"id":"x","current":${current},"total":${current}}`)).toStrictEqual({
      type: 'update',
      id: 'x',
      current: expected,
      total: expected,
    });
  });

  it.each(['-1', '1.5', '-0', '-0.0', '"50"', 'null', 'true', '[50]', '{"n":50}'])(
    'current %s is quietly absent',
    (current) => {
      const ev = parse('task.update', `{"id":"x","current":${current},"total":${current}}`);
      expect(ev).toStrictEqual({ type: 'update', id: 'x' });
      expect('current' in ev || 'total' in ev).toBe(false);
    },
  );

  it('documented exception: integers above 2^53-1 are dropped (serde_json keeps them up to 2^64-1)', () => {
    expect(parse('task.update', '{"id":"x","current":9007199254740992,"total":18446744073709551615}')).toStrictEqual({ type: 'update', id: 'x' });
  });

  it('known JS limitation: 50.0 and 5e1 read as 50 (serde_json sees floats and drops them)', () => {
    expect(parse('task.update', '{"id":"x","current":50.0,"total":5e1}')).toStrictEqual({ type: 'update', id: 'x', current: 50, total: 50 });
  });

  it('keeps a string message, drops anything else', () => {
    expect(parse('task.update', '{"id":"x","message":""}')).toStrictEqual({ type: 'update', id: 'x', message: '' });
    expect(parse('task.update', '{"id":"x","message":"half way","total":10}')).toStrictEqual({ type: 'update', id: 'x', total: 10, message: 'half way' });
    for (const message of ['null', '5', '["m"]', '{}', 'false']) {
      expect(parse('task.update', `{"id":"x","message":${message}}`)).toStrictEqual({ type: 'update', id: 'x' });
    }
  });

  it('an update with only an id is valid', () => {
    expect(parse('task.update', '{"id":"x"}')).toStrictEqual({ type: 'update', id: 'x' });
  });
});

describe('parseTaskEvent: task.log', () => {
  it.each(['{"id":"r"}', '{"id":"r","line":null}', '{"id":"r","line":1}', '{"id":"r","line":["a"]}'])('%s has no line', (params) => {
    expect(messageOf('task.log', params)).toBe("task.log missing 'line'");
  });

  it('keeps the line verbatim, empty included', () => {
    expect(parse('task.log', '{"id":"r","line":""}')).toEqual({ type: 'log', id: 'r', line: '' });
    expect(parse('task.log', '{"id":"r","line":"  a\\tb\\r"}')).toEqual({ type: 'log', id: 'r', line: '  a\tb\r' });
  });
});

describe('parseTaskEvent: task.done', () => {
  it.each(['{"id":"r"}', '{"id":"r","error":null}', '{"id":"r","error":""}'])('%s is a success', (params) => {
    const ev = parse('task.done', params);
    expect(ev).toStrictEqual({ type: 'done', id: 'r' });
    expect('error' in ev).toBe(false);
  });

  it('keeps a non-empty error verbatim', () => {
    expect(parse('task.done', '{"id":"r","error":" "}')).toStrictEqual({ type: 'done', id: 'r', error: ' ' });
  });

  it.each([
    ['5', '5'],
    ['-1', '-1'],
    ['1.5', '1.5'],
    ['true', 'true'],
    ['false', 'false'],
    ['{}', '{}'],
    ['[]', '[]'],
    ['[1,null,"a"]', '[1,null,"a"]'],
    ['{"message":"boom","code":2}', '{"code":2,"message":"boom"}'],
    ['{"b":{"d":1,"c":[{"z":0,"y":"q\\"uote"}]},"a":null}', '{"a":null,"b":{"c":[{"y":"q\\"uote","z":0}],"d":1}}'],
    ['{"9":1,"10":2,"b":3,"B":4}', '{"10":2,"9":1,"B":4,"b":3}'],
    ['{"\\uffff":1,"\\ud83d\\ude00":2}', '{"\uffff":1,"😀":2}'],
    ['["line\\nbreak","\\u0001"]', '["line\\nbreak","\\u0001"]'],
  ])('error %s is refused, shown as serde_json displays it: %s', (error, shown) => {
    expect(messageOf('task.done', `{"id":"r","error":${error}}`)).toBe(`task.done 'error' must be string or null, got ${shown}`);
  });

  it('known JS limitation: a float such as 1.0 shows as 1 (Rust shows 1.0)', () => {
    expect(messageOf('task.done', '{"id":"r","error":1.0}')).toBe("task.done 'error' must be string or null, got 1");
  });
});

describe('TaskNotificationError', () => {
  it('carries a stable code, the method and the exact message', () => {
    const error = errorOf('task.log', { id: 'r' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TaskNotificationError');
    expect(error.code).toBe('ERR_TASK_NOTIFICATION');
    expect(error.method).toBe('task.log');
    expect(error.message).toBe("task.log missing 'line'");
    expect(String(error)).toBe("TaskNotificationError: task.log missing 'line'");
  });

  it('is recognised across copies by its brand', () => {
    expect(isJobhostError(errorOf('task.start', {}), 'ERR_TASK_NOTIFICATION')).toBe(true);
    const foreign = Object.defineProperties(new Error('x'), { [Symbol.for('jobhost.error')]: { value: true }, [Symbol.for('jobhost.error.kinds')]: { value: ['TaskNotificationError', 'JobhostError'] } });
    expect(foreign instanceof TaskNotificationError).toBe(true);
    expect(new Error("task.start missing 'id'") instanceof TaskNotificationError).toBe(false);
    expect(isJobhostError({ code: 'ERR_TASK_NOTIFICATION' })).toBe(false);
    expect((null as unknown) instanceof TaskNotificationError).toBe(false);
    expect(('ERR_TASK_NOTIFICATION' as unknown) instanceof TaskNotificationError).toBe(false);
  });

  it('keeps its brand out of enumerable keys', () => {
    expect(Object.keys(new TaskNotificationError('task.log', 'm')).sort()).toEqual(['code', 'details', 'method', 'name']);
  });
});

describe('intended params schemas', () => {
  it('TASK_PARAMS covers every method', () => {
    expect(Object.keys(TASK_PARAMS)).toEqual([...TASK_METHODS]);
    expect(TASK_PARAMS['task.start']).toBe(TaskStartParams);
  });

  it('write what a well-behaved plugin sends', () => {
    expect(JSON.stringify(TaskStartParams.parse({ label: 'L', id: 'x', extra: 1 }))).toBe('{"id":"x","label":"L","kind":"generic"}');
    expect(JSON.stringify(TaskUpdateParams.parse({ id: 'x' }))).toBe('{"id":"x"}');
    expect('current' in TaskUpdateParams.parse({ id: 'x', current: undefined })).toBe(false);
    expect(JSON.stringify(TaskUpdateParams.parse({ message: 'm', total: 9, current: 1, id: 'x' }))).toBe('{"id":"x","current":1,"total":9,"message":"m"}');
    expect(JSON.stringify(TaskLogParams.parse({ id: 'x', line: '' }))).toBe('{"id":"x","line":""}');
    expect(JSON.stringify(TaskDoneParams.parse({ id: 'x', error: null }))).toBe('{"id":"x","error":null}');
    expect('error' in TaskDoneParams.parse({ id: 'x' })).toBe(false);
  });

  it('are stricter than the parser', () => {
    expect(TaskStartParams.safeParse({ id: '', label: 'l' }).success).toBe(false);
    expect(TaskStartParams.safeParse({ id: 'x', label: 'l', kind: 'other' }).success).toBe(false);
    expect(TaskStartParams.safeParse({ task_id: 'x', label: 'l' }).success).toBe(false);
    expect(TaskUpdateParams.safeParse({ id: 'x', current: 1.5 }).success).toBe(false);
    expect(TaskUpdateParams.safeParse({ id: 'x', current: -1 }).success).toBe(false);
    expect(TaskLogParams.safeParse({ id: 'x', line: '\ud800' }).success).toBe(false);
    expect(TaskDoneParams.safeParse({ id: 'x', error: 5 }).success).toBe(false);
  });

  it.each(Object.entries(TASK_PARAMS))('%s exports as an input-side JSON Schema', (_method, schema) => {
    const exported = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    expect(exported.type).toBe('object');
    expect(exported.required ?? []).toContain('id');
  });
});

const RUNS = { seed: 42, numRuns: 300 };
const text = fc.string({ unit: 'binary', maxLength: 8 });
const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 });
const count = fc.nat({ max: Number.MAX_SAFE_INTEGER });

/** Params a well-behaved plugin may send, per method. */
const wellBehaved: { [M in TaskMethod]: fc.Arbitrary<Record<string, unknown>> } = {
  'task.start': fc.record({ id, label: text, kind: fc.constantFrom(...TaskKind.options) }, { requiredKeys: ['id', 'label'] }),
  'task.update': fc.record({ id, current: count, total: count, message: text }, { requiredKeys: ['id'] }),
  'task.log': fc.record({ id, line: text }),
  'task.done': fc.record({ id, error: fc.option(text) }, { requiredKeys: ['id'] }),
};

/** What the parser should make of well-behaved params: the schema's reading, with `error: null | ""` dropped. */
function expectedEvent(method: TaskMethod, params: Record<string, unknown>): TaskEvent {
  const type = method.slice('task.'.length);
  const parsed: Record<string, unknown> = { type, ...TASK_PARAMS[method].parse(params) };
  if (parsed.error === null || parsed.error === '') delete parsed.error;
  return parsed as TaskEvent;
}

const taskKeys = ['id', 'task_id', 'label', 'kind', 'current', 'total', 'message', 'line', 'error'];
const anyMethod = fc.oneof(fc.constantFrom<string>(...TASK_METHODS, 'task.bogus'), fc.string());
const anyParams = fc.oneof(
  fc.jsonValue(),
  fc.record(Object.fromEntries(taskKeys.map((k) => [k, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', 'x', 'download', 'other'))])), {
    requiredKeys: [],
  }),
);

describe('properties', () => {
  it.each(TASK_METHODS)('%s: well-behaved params parse as the intended schema reads them', (method) => {
    fc.assert(
      fc.property(wellBehaved[method], (params) => {
        const wire = JSON.parse(JSON.stringify(params)) as unknown;
        expect(parseTaskEvent(method, wire)).toStrictEqual(expectedEvent(method, params));
      }),
      RUNS,
    );
  });

  it.each(TASK_METHODS)('%s: intended params round-trip through JSON text unchanged', (method) => {
    const schema: z.ZodType = TASK_PARAMS[method];
    fc.assert(
      fc.property(wellBehaved[method], (params) => {
        const parsed: unknown = schema.parse(params);
        const written = JSON.stringify(parsed);
        expect(schema.parse(JSON.parse(JSON.stringify(params)))).toStrictEqual(parsed);
        expect(JSON.stringify(schema.parse(JSON.parse(written)))).toBe(written);
      }),
      RUNS,
    );
  });

  it('arbitrary JSON: parseTaskEvent returns a sound event or throws TaskNotificationError', () => {
    fc.assert(
      fc.property(anyMethod, anyParams, (method, params) => {
        let event: TaskEvent;
        try {
          event = parseTaskEvent(method, params);
        } catch (error) {
          expect(error instanceof TaskNotificationError).toBe(true);
          expect((error as TaskNotificationError).method).toBe(method);
          return;
        }
        expect(isTaskMethod(method)).toBe(true);
        expect(`task.${event.type}`).toBe(method);
        expect(typeof event.id === 'string' && event.id !== '').toBe(true);
        expect(Object.values(event)).not.toContain(undefined);
        if (event.type === 'update') {
          for (const n of [event.current, event.total]) if (n !== undefined) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
        }
        if (event.type === 'done' && 'error' in event) expect(event.error).not.toBe('');
      }),
      RUNS,
    );
  });

  it('arbitrary JSON never makes an intended schema throw', () => {
    fc.assert(
      fc.property(anyParams, (params) => {
        for (const schema of Object.values(TASK_PARAMS)) expect(() => schema.safeParse(params)).not.toThrow();
      }),
      RUNS,
    );
  });
});

describe('types', () => {
  it('are what a user would write by hand', () => {
    expectTypeOf<TaskKind>().toEqualTypeOf<'download' | 'rebuild' | 'generic'>();
    expectTypeOf<TaskMethod>().toEqualTypeOf<'task.start' | 'task.update' | 'task.log' | 'task.done'>();
    expectTypeOf<TaskEventOf<'start'>>().toEqualTypeOf<{ type: 'start'; id: string; label: string; kind: TaskKind }>();
    expectTypeOf<TaskEventOf<'update'>>().toEqualTypeOf<{ type: 'update'; id: string; current?: number; total?: number; message?: string }>();
    expectTypeOf<TaskEventOf<'log'>>().toEqualTypeOf<{ type: 'log'; id: string; line: string }>();
    expectTypeOf<TaskEventOf<'done'>>().toEqualTypeOf<{ type: 'done'; id: string; error?: string }>();
    expectTypeOf<TaskStartParams>().toEqualTypeOf<{ id: string; label: string; kind: TaskKind }>();
    expectTypeOf<TaskStartParamsInput>().toEqualTypeOf<{ id: string; label: string; kind?: TaskKind | undefined }>();
    expectTypeOf<TaskLogParams>().toEqualTypeOf<{ id: string; line: string }>();
    expectTypeOf<TaskNotificationError['code']>().toEqualTypeOf<'ERR_TASK_NOTIFICATION'>();
    expectTypeOf(parseTaskEvent).returns.toEqualTypeOf<TaskEvent>();
  });

  it('narrow on type', () => {
    const event = parse('task.update', '{"id":"x","current":1}');
    if (event.type === 'update') {
      expectTypeOf(event.current).toEqualTypeOf<number | undefined>();
      expectTypeOf(event).not.toHaveProperty('line');
    }
    if (event.type === 'done') expectTypeOf(event.error).toEqualTypeOf<string | undefined>();
    if (event.type === 'start') expectTypeOf(event.kind).toEqualTypeOf<TaskKind>();
    const method: string = 'task.log';
    if (isTaskMethod(method)) expectTypeOf(method).toEqualTypeOf<TaskMethod>();
    expect(event).toStrictEqual({ type: 'update', id: 'x', current: 1 });
  });
});
