import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { responseSerializerCompiler } from '../../src/platform/http/serializer.js';

const schema = z.object({ id: z.string(), status: z.enum(['open', 'done']) });
const route = { schema, method: 'GET', url: '/api/v1/things/:id', httpStatus: '200' };

function compile(strict: boolean) {
  const logged: { obj: Record<string, unknown>; msg: string }[] = [];
  const log = {
    error: (obj: object, msg: string) => logged.push({ obj: obj as Record<string, unknown>, msg }),
  };
  return { serialize: responseSerializerCompiler({ strict, log })(route), logged };
}

describe('replies against their response schemas', () => {
  it('sends a matching reply in the schema’s shape, unknown keys stripped, strict or not', () => {
    for (const strict of [true, false]) {
      const { serialize, logged } = compile(strict);
      expect(JSON.parse(serialize({ id: 'a', status: 'open', secret: 'x' }))).toEqual({
        id: 'a',
        status: 'open',
      });
      expect(logged).toEqual([]);
    }
  });

  it('fails on a reply that does not match when strict (tests), so a schema drift is seen', () => {
    const { serialize } = compile(true);
    let thrown: unknown;
    try {
      serialize({ id: 'a', status: 'archived' });
    } catch (e) {
      thrown = e;
    }
    expect(isResponseSerializationError(thrown)).toBe(true);
  });

  it('sends an older document as built when not strict (service), and logs where it differs without its values', () => {
    const { serialize, logged } = compile(false);
    const old = { id: '张三的案件', status: 'archived', note: '13800001234' };
    expect(JSON.parse(serialize(old))).toEqual(old);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.msg).toMatch(/did not match its response schema/);
    expect(logged[0]!.obj).toMatchObject({ method: 'GET', url: '/api/v1/things/:id', status: '200' });
    expect(logged[0]!.obj.issues).toEqual([{ path: 'status', code: 'invalid_value' }]);
    const text = JSON.stringify(logged);
    for (const value of ['张三', 'archived', '13800001234']) expect(text).not.toContain(value);
  });
});
