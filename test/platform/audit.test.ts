import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditRecord,
  GENESIS_HASH,
  canonicalJson,
  hashRecord,
  verifyRun,
} from '../../src/platform/audit/chain.js';
import { loadConfig } from '../../src/platform/config.js';
import { createContext } from '../../src/platform/context.js';
import { seedDemoBank } from '../../src/platform/identity/seed.js';
import { TEST_KEY, type TestContext, buildTestContext } from '../helper.js';

function chain(n: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      seq,
      at: new Date(1_700_000_000_000 + seq),
      actor: 'u',
      action: 'a',
      entity: 'e',
      entityId: String(seq),
      payload: { n: seq },
    };
    const hash = hashRecord(prev, base);
    out.push({ ...base, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit chain (pure)', () => {
  it('sorts keys at every level in canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });

  it('gives the same canonical JSON for any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });

  it('writes exactly what the first definition wrote, so stored hashes still verify', () => {
    // The definition every stored chain was hashed with (entries, filter, sort, map, join).
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
    };
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.constant(null),
        fc.constant(undefined),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ unit: 'grapheme' }),
        fc.date({ noInvalidDate: true }),
      ),
      node: fc.oneof(
        { depthSize: 'small' },
        tie('leaf'),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('node'), { maxKeys: 5 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 500 },
    );
  });

  it('verifies an intact chain and names the first edited, removed or re-ordered record', () => {
    const good = chain(6);
    expect(verifyRun({ lastSeq: 0, lastHash: GENESIS_HASH }, good)).toMatchObject({ ok: true, lastSeq: 6 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.constantFrom('edit', 'delete', 'swap'), (i, how) => {
        const rows = chain(6);
        // Record at array position p has seq p + 1.
        let expectedBadSeq: number | null;
        if (how === 'edit') {
          rows[i] = { ...rows[i]!, payload: { n: 999 } };
          expectedBadSeq = i + 1;
        } else if (how === 'delete') {
          rows.splice(i, 1);
          // A removed last record is caught by the head check of the service, not by the run.
          expectedBadSeq = i === 5 ? null : i + 2;
        } else {
          const lo = Math.min(i, 4);
          [rows[lo], rows[lo + 1]] = [rows[lo + 1]!, rows[lo]!];
          expectedBadSeq = lo + 2;
        }
        const res = verifyRun({ lastSeq: 0, lastHash: GENESIS_HASH }, rows);
        if (expectedBadSeq === null) expect(res.ok).toBe(true);
        else expect(res).toMatchObject({ ok: false, problem: { seq: expectedBadSeq } });
      }),
    );
  });
});

describe('audit chain (database)', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await buildTestContext();
    await seedDemoBank(t.ctx);
  });
  afterAll(async () => t?.close());

  it('writes one event per change of the demo seed and verifies', async () => {
    const res = await t.ctx.audit.verify(t.ctx.db);
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.count).toBe(14); // 7 branches + 7 users
  });

  it('refuses UPDATE and DELETE on audit events through a trigger', async () => {
    const failure = (q: Promise<unknown>) =>
      q.then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ''}`,
      );
    expect(await failure(t.ctx.db.execute(sql`UPDATE audit_events SET actor = 'x' WHERE seq = 1`))).toMatch(
      /append-only/,
    );
    expect(await failure(t.ctx.db.execute(sql`DELETE FROM audit_events WHERE seq = 1`))).toMatch(
      /append-only/,
    );
    expect(await failure(t.ctx.db.execute(sql`TRUNCATE audit_events`))).toMatch(/append-only/);
  });

  it('keeps the sequence gap-free under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.ctx.db.transaction((tx) =>
          t.ctx.audit.append(tx, {
            actor: 'system',
            action: 'test.concurrent',
            entity: 'test',
            entityId: String(i),
          }),
        ),
      ),
    );
    const res = await t.ctx.audit.verify(t.ctx.db);
    expect(res).toMatchObject({ ok: true, count: 34 });
  });

  it('loses the event together with the change when the transaction fails', async () => {
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await t.ctx.audit.append(tx, {
          actor: 'system',
          action: 'test.rollback',
          entity: 'test',
          entityId: 'r',
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await t.ctx.audit.verify(t.ctx.db)).toMatchObject({ ok: true, count: 34 });
  });

  it('appends a batch under one lock as the same chain single appends make, beside concurrent single appends', async () => {
    const ev = (i: number) => ({
      actor: 'system',
      action: 'test.batch',
      entity: 'test',
      entityId: String(i),
    });
    const [batch] = await Promise.all([
      t.ctx.db.transaction((tx) => t.ctx.audit.appendMany(tx, [ev(1), ev(2), ev(3)])),
      ...Array.from({ length: 5 }, (_, i) =>
        t.ctx.db.transaction((tx) => t.ctx.audit.append(tx, ev(10 + i))),
      ),
    ]);
    expect(batch.map((r) => r.entityId)).toEqual(['1', '2', '3']);
    expect(batch[1]!.seq - batch[0]!.seq).toBe(1);
    expect(batch[2]!.prevHash).toBe(batch[1]!.hash);
    expect(await t.ctx.db.transaction((tx) => t.ctx.audit.appendMany(tx, []))).toEqual([]);
    expect(await t.ctx.audit.verify(t.ctx.db)).toMatchObject({ ok: true, count: 42 });
  });

  it('verifies a chain that grows while it is checked without a false head mismatch', async () => {
    // A live service appends while compliance verifies: the rows and the head are read in one snapshot.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++)
        await t.ctx.db.transaction((tx) =>
          t.ctx.audit.append(tx, {
            actor: 'system',
            action: 'test.live',
            entity: 'test',
            entityId: String(i),
          }),
        );
    })();
    try {
      for (let i = 0; i < 25; i++) expect(await t.ctx.audit.verify(t.ctx.db, 7)).toMatchObject({ ok: true });
    } finally {
      writing = false;
      await writer;
    }
  });
});

describe('weidai audit verify (CLI)', () => {
  const varDir = mkdtempSync(join(tmpdir(), 'weidai-audit-cli-'));
  afterAll(() => rmSync(varDir, { recursive: true, force: true }));

  const runVerify = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['bin/weidai.js', 'audit', 'verify'], {
      env: {
        ...process.env,
        ...env,
        WEIDAI_VAR_DIR: varDir,
        WEIDAI_SECRET_KEY: TEST_KEY,
        DOTENV_CONFIG_QUIET: 'true',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('exits 0 on an intact chain and non-zero naming the first tampered sequence number', async () => {
    // Uses the embedded database in a folder, or a throw-away PostgreSQL database, as the CLI would.
    const t = process.env.WEIDAI_DATABASE_URL ? await buildTestContext() : undefined;
    const env: Record<string, string> = t ? { WEIDAI_DATABASE_URL: t.config.databaseUrl! } : {};
    const ctx =
      t?.ctx ?? (await createContext(loadConfig({ WEIDAI_VAR_DIR: varDir, WEIDAI_SECRET_KEY: TEST_KEY })));
    await seedDemoBank(ctx);
    if (!t) await ctx.close();

    const ok = runVerify(env);
    expect(ok.status, ok.stderr).toBe(0);
    // First line: the audit chain; the next: the interview recordings.
    const [chainLine, recordingsLine] = ok.stdout.trim().split('\n');
    expect(JSON.parse(chainLine!)).toMatchObject({ ok: true, events: 14 });
    expect(JSON.parse(recordingsLine!)).toMatchObject({ recordings: { ok: true, interviews: 0 } });

    // Tamper as the database owner would: switch the trigger off, edit one payload, switch it back on.
    const c2 =
      t?.ctx ?? (await createContext(loadConfig({ WEIDAI_VAR_DIR: varDir, WEIDAI_SECRET_KEY: TEST_KEY })));
    await c2.db.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
    await c2.db.execute(
      sql`UPDATE audit_events SET payload = '{"username":"mallory","role":"admin"}' WHERE seq = 9`,
    );
    await c2.db.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);
    if (!t) await c2.close();

    const bad = runVerify(env);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('sequence 9');
    await t?.close();
  }, 180_000);
});
