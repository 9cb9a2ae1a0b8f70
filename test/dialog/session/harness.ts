/** A dialog service on the memory twins and a fake clock, with a synthetic bank per case. */
import { DEFAULT_ANSWER_MODEL } from '../../../src/dialog/belief/answer-model.js';
import { createNlu } from '../../../src/dialog/nlu/understand.js';
import { createDialogService, type DialogServiceDeps } from '../../../src/dialog/session/service.js';
import { type DialogStore, createMemoryDialogStore } from '../../../src/dialog/session/store.js';
import { syntheticBank } from '../../../src/dialog/sim/fixtures.js';
import { fakeClock, type Ids } from '../../../src/platform/deps.js';
import { type Kv, createMemoryKv } from '../../../src/platform/kv/index.js';
import type { Sector } from '../../../src/questions/types.js';

export const nlu = createNlu();

export function counterIds(prefix = 'id'): Ids {
  let n = 0;
  return { uuid: () => `${prefix}-${++n}`, token: () => `${prefix}-token-${++n}` };
}

export function harness(
  opts: {
    store?: DialogStore;
    kv?: Kv;
    clock?: ReturnType<typeof fakeClock>;
    sector?: Sector;
    overrides?: Partial<DialogServiceDeps>;
  } = {},
) {
  const clock = opts.clock ?? fakeClock(new Date('2026-05-01T02:00:00Z'));
  const store = opts.store ?? createMemoryDialogStore();
  const kv = opts.kv ?? createMemoryKv({ clock });
  const sector = opts.sector ?? 'grocery';
  const service = createDialogService({
    store,
    kv,
    clock,
    ids: counterIds(),
    nlu,
    model: DEFAULT_ANSWER_MODEL,
    banks: { bankFor: async (caseId) => ({ ...syntheticBank(sector), caseId }) },
    config: { iterations: 150 },
    ...opts.overrides,
  });
  return { service, store, kv, clock };
}
