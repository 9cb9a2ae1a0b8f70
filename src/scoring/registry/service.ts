/**
 * The registry of expert-model versions and of scorecard versions. A model version is registered from its
 * folder (card checked against the declared feature schema, ONNX loaded), starts as challenger, is promoted to
 * champion (the old champion retires) and can be rolled back to the champion before it. Every change is
 * written with its audit event in one transaction. Loaded models are kept per service instance.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, desc, eq } from 'drizzle-orm';
import type { AuditService } from '../../platform/audit/service.js';
import type { Db, Tx } from '../../platform/db/index.js';
import type { Clock } from '../../platform/deps.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/identity/permissions.js';
import { authorize } from '../../platform/identity/permissions.js';
import type { DeclaredFeature } from '../features.js';
import { CARD_ORIGIN_SOURCES, FEATURE_SCHEMA, checkCardFeatures, checkFeatureRow } from '../features.js';
import type { FeatureRow, ModelCard, ModelVersion } from '../model/index.js';
import { loadModelVersion } from '../model/index.js';
import { modelLoadFailed } from '../model/errors.js';
import type { Scorecard } from '../scorecard/index.js';
import { DEFAULT_SCORECARD, assertScorecardTestsPass, parseScorecard } from '../scorecard/index.js';
import type { ModelGradeBands } from './explain.js';
import { DEFAULT_MODEL_GRADE_BANDS } from './explain.js';
import type { CaseScore } from './score.js';
import { scoreCase } from './score.js';
import { modelVersions, scorecardVersions } from './tables.js';

/** The shipped model folders (models/expert/). */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../../models/expert/', import.meta.url));
/** The demo version registered as champion by seedDemoModels. */
export const DEMO_MODEL_DIR = 'demo-v2';

export type ModelRole = 'challenger' | 'champion' | 'retired';

export interface ModelsServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** Folder holding one sub-folder per version. */
  modelsDir?: string;
  featureSchema?: readonly DeclaredFeature[];
  gradeBands?: ModelGradeBands;
}

type ModelRow = typeof modelVersions.$inferSelect;

export interface ModelVersionDto {
  version: string;
  dir: string;
  role: ModelRole;
  previousChampion: string | null;
  registeredBy: string;
  registeredAt: string;
  roleChangedAt: string;
  target: string;
  inputs: { name: string; kind: 'numeric' | 'categorical'; origin: string; source: string | null }[];
  metrics: { folds: number; auc: number; ks: number; brier: number };
  trainingData: { file: string; sha256: string; rows: number };
}

function toDto(r: ModelRow): ModelVersionDto {
  const card = r.card as ModelCard;
  const cv = card.metrics.cross_validation;
  return {
    version: r.version,
    dir: r.dir,
    role: r.role,
    previousChampion: r.previousChampion,
    registeredBy: r.registeredBy,
    registeredAt: r.registeredAt.toISOString(),
    roleChangedAt: r.roleChangedAt.toISOString(),
    target: card.task.target,
    inputs: card.inputs.map((i) => ({
      name: i.name,
      kind: i.kind,
      origin: i.origin,
      source: CARD_ORIGIN_SOURCES[i.origin] ?? null,
    })),
    metrics: { folds: cv.folds, auc: cv.auc, ks: cv.ks, brier: cv.brier },
    trainingData: {
      file: card.training_data.file,
      sha256: card.training_data.sha256,
      rows: card.training_data.rows,
    },
  };
}

export interface ScorecardVersionDto {
  scorecardId: string;
  version: number;
  active: boolean;
  createdBy: string;
  createdAt: string | null;
  data: Scorecard;
}

const SCORECARD_ID = DEFAULT_SCORECARD.scorecardId;
const SYSTEM = 'system';

export function createModelsService(deps: ModelsServiceDeps) {
  const modelsDir = deps.modelsDir ?? DEFAULT_MODELS_DIR;
  const schema = deps.featureSchema ?? FEATURE_SCHEMA;
  const bands = deps.gradeBands ?? DEFAULT_MODEL_GRADE_BANDS;
  // Loaded versions of this instance, by version; a promise so that concurrent first uses load once.
  const loaded = new Map<string, Promise<ModelVersion>>();

  function folder(dir: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(dir)) {
      throw badRequest(
        'MODEL_DIR_INVALID',
        'A model folder is one name of letters, digits, dot, dash, underscore',
        {
          dir,
        },
      );
    }
    return join(modelsDir, dir);
  }

  /** Loads and checks a folder: card vs schema (with sources), trees, ONNX. The caller closes it. */
  async function loadChecked(dir: string): Promise<ModelVersion> {
    const m = await loadModelVersion(folder(dir), { featureSchema: schema });
    try {
      checkCardFeatures(m.card, schema);
    } catch (e) {
      await m.close();
      throw e;
    }
    return m;
  }

  async function modelRow(db: Db | Tx, version: string): Promise<ModelRow> {
    const [row] = await db.select().from(modelVersions).where(eq(modelVersions.version, version));
    if (!row) throw notFound('model_version', version);
    return row;
  }

  /** The champion; `lock` holds its row until the transaction ends, so role changes are serialised. */
  async function championRow(db: Db | Tx, lock = false): Promise<ModelRow | undefined> {
    const q = db.select().from(modelVersions).where(eq(modelVersions.role, 'champion'));
    const [row] = await (lock ? q.for('update') : q);
    return row;
  }

  async function retire(tx: Tx, version: string, now: Date): Promise<void> {
    await tx
      .update(modelVersions)
      .set({ role: 'retired', roleChangedAt: now })
      .where(eq(modelVersions.version, version));
  }

  async function useModel(row: ModelRow): Promise<ModelVersion> {
    let p = loaded.get(row.version);
    if (!p) {
      p = (async () => {
        const m = await loadChecked(row.dir);
        if (m.card.onnx.sha256 !== row.onnxSha256 || m.card.model_version !== row.version) {
          await m.close();
          throw modelLoadFailed(`The files of model ${row.version} changed after it was registered`, {
            version: row.version,
          });
        }
        return m;
      })();
      loaded.set(row.version, p);
      p.catch(() => loaded.delete(row.version));
    }
    return p;
  }

  async function register(
    actorId: string,
    dir: string,
    role: ModelRole = 'challenger',
  ): Promise<ModelVersionDto> {
    const m = await loadChecked(dir);
    const card = m.card;
    await m.close();
    const now = deps.clock.now();
    const row = await deps.db.transaction(async (tx) => {
      const [existing] = await tx
        .select()
        .from(modelVersions)
        .where(eq(modelVersions.version, card.model_version));
      if (existing) {
        throw conflict('MODEL_VERSION_EXISTS', `Model version ${card.model_version} is already registered`, {
          version: card.model_version,
        });
      }
      // loadModelVersion has checked that the ONNX file has the hash its card records.
      const onnxSha256 = card.onnx.sha256;
      const [inserted] = await tx
        .insert(modelVersions)
        .values({
          version: card.model_version,
          dir,
          role,
          card,
          onnxSha256,
          previousChampion: null,
          registeredBy: actorId,
          registeredAt: now,
          roleChangedAt: now,
        })
        .returning();
      await deps.audit.append(tx, {
        actor: actorId,
        action: 'model.register',
        entity: 'model_version',
        entityId: card.model_version,
        payload: { dir, role, onnxSha256, trainingDataSha256: card.training_data.sha256 },
      });
      return inserted!;
    });
    return toDto(row);
  }

  async function promoteAs(actorId: string, version: string): Promise<ModelVersionDto> {
    const target = await modelRow(deps.db, version);
    if (target.role === 'champion') {
      throw conflict('MODEL_ALREADY_CHAMPION', `Model ${version} is already the champion`, { version });
    }
    // The feature schema may have changed since registration: a model that no longer fits cannot be promoted.
    await (await loadChecked(target.dir)).close();
    const now = deps.clock.now();
    const row = await deps.db.transaction(async (tx) => {
      const current = await championRow(tx, true);
      if (current) await retire(tx, current.version, now);
      const [updated] = await tx
        .update(modelVersions)
        .set({ role: 'champion', previousChampion: current?.version ?? null, roleChangedAt: now })
        .where(and(eq(modelVersions.version, version), eq(modelVersions.role, target.role)))
        .returning();
      if (!updated)
        throw conflict('MODEL_ROLE_CHANGED', `Model ${version} changed role meanwhile`, { version });
      await deps.audit.append(tx, {
        actor: actorId,
        action: 'model.promote',
        entity: 'model_version',
        entityId: version,
        payload: { from: target.role, previousChampion: current?.version ?? null },
      });
      return updated;
    });
    return toDto(row);
  }

  return {
    modelsDir,

    async listModels(actor: Actor): Promise<ModelVersionDto[]> {
      authorize(actor, 'model:read');
      const rows = await deps.db.select().from(modelVersions).orderBy(desc(modelVersions.registeredAt));
      return rows.map(toDto);
    },

    async getModel(actor: Actor, version: string): Promise<ModelVersionDto & { card: ModelCard }> {
      authorize(actor, 'model:read');
      const row = await modelRow(deps.db, version);
      return { ...toDto(row), card: row.card as ModelCard };
    },

    /** Registers the version in `dir` (a folder name under the models folder) as challenger. */
    async registerModel(actor: Actor, input: { dir: string }): Promise<ModelVersionDto> {
      authorize(actor, 'model:write');
      return register(actor.userId, input.dir);
    },

    async promoteModel(actor: Actor, version: string): Promise<ModelVersionDto> {
      authorize(actor, 'model:write');
      return promoteAs(actor.userId, version);
    },

    /** Makes the champion before the current one champion again; the current one retires. */
    async rollbackModel(actor: Actor): Promise<ModelVersionDto> {
      authorize(actor, 'model:write');
      const now = deps.clock.now();
      const row = await deps.db.transaction(async (tx) => {
        const current = await championRow(tx, true);
        if (!current) throw conflict('MODEL_NO_CHAMPION', 'There is no champion model to roll back');
        if (!current.previousChampion) {
          throw conflict('MODEL_NO_PREVIOUS_CHAMPION', `Model ${current.version} has no previous champion`, {
            version: current.version,
          });
        }
        await retire(tx, current.version, now);
        const [restored] = await tx
          .update(modelVersions)
          .set({ role: 'champion', roleChangedAt: now })
          .where(eq(modelVersions.version, current.previousChampion))
          .returning();
        if (!restored) throw notFound('model_version', current.previousChampion);
        await deps.audit.append(tx, {
          actor: actor.userId,
          action: 'model.rollback',
          entity: 'model_version',
          entityId: restored.version,
          payload: { from: current.version, to: restored.version },
        });
        return restored;
      });
      return toDto(row);
    },

    /** Scores one feature row with the champion (or the named version) and the active scorecard. */
    async score(
      actor: Actor,
      input: { features: FeatureRow; version?: string | undefined },
    ): Promise<CaseScore & { role: ModelRole }> {
      authorize(actor, 'model:read');
      checkFeatureRow(input.features, schema);
      const row = input.version ? await modelRow(deps.db, input.version) : await championRow(deps.db);
      if (!row) throw conflict('MODEL_NO_CHAMPION', 'No model version is champion yet');
      const model = await useModel(row);
      const scorecard = await activeScorecard();
      return { ...(await scoreCase(model, scorecard, input.features, { bands })), role: row.role };
    },

    async getActiveScorecard(actor: Actor): Promise<ScorecardVersionDto> {
      authorize(actor, 'model:read');
      const [row] = await deps.db
        .select()
        .from(scorecardVersions)
        .where(and(eq(scorecardVersions.scorecardId, SCORECARD_ID), eq(scorecardVersions.active, true)));
      if (!row)
        return {
          scorecardId: SCORECARD_ID,
          version: DEFAULT_SCORECARD.version,
          active: true,
          createdBy: SYSTEM,
          createdAt: null,
          data: DEFAULT_SCORECARD,
        };
      return scorecardDto(row);
    },

    async listScorecards(actor: Actor): Promise<Omit<ScorecardVersionDto, 'data'>[]> {
      authorize(actor, 'model:read');
      const rows = await deps.db
        .select()
        .from(scorecardVersions)
        .where(eq(scorecardVersions.scorecardId, SCORECARD_ID))
        .orderBy(desc(scorecardVersions.version));
      return rows.map((r) => {
        const { data: _data, ...rest } = scorecardDto(r);
        return rest;
      });
    },

    /**
     * Saves a new scorecard version and makes it active. It must be valid, pass its own test cases
     * (SCORECARD_TEST_FAILED naming the case) and carry the next version number (SCORECARD_VERSION_CONFLICT).
     */
    async saveScorecard(actor: Actor, data: unknown): Promise<ScorecardVersionDto> {
      authorize(actor, 'model:write');
      const card = parseScorecard(data, schema);
      if (card.scorecardId !== SCORECARD_ID) {
        throw badRequest('SCORECARD_UNKNOWN', `Only the ${SCORECARD_ID} scorecard is kept`, {
          scorecardId: card.scorecardId,
        });
      }
      assertScorecardTestsPass(card);
      const row = await deps.db.transaction(async (tx) => {
        await ensureDefaultScorecard(tx);
        const [latest] = await tx
          .select({ version: scorecardVersions.version })
          .from(scorecardVersions)
          .where(eq(scorecardVersions.scorecardId, SCORECARD_ID))
          .orderBy(desc(scorecardVersions.version))
          .limit(1)
          .for('update');
        const next = (latest?.version ?? 0) + 1;
        if (card.version !== next) {
          throw conflict('SCORECARD_VERSION_CONFLICT', `The next scorecard version is ${next}`, {
            expected: next,
            got: card.version,
          });
        }
        const inserted = await activate(tx, card, actor.userId);
        await deps.audit.append(tx, {
          actor: actor.userId,
          action: 'scorecard.save',
          entity: 'scorecard_version',
          entityId: `${SCORECARD_ID}@${card.version}`,
          payload: { version: card.version, factors: card.factors.length, testCases: card.testCases.length },
        });
        return inserted;
      });
      return scorecardDto(row);
    },

    /** Makes an earlier scorecard version active again (its test cases are re-run first). */
    async activateScorecard(actor: Actor, version: number): Promise<ScorecardVersionDto> {
      authorize(actor, 'model:write');
      const row = await deps.db.transaction(async (tx) => {
        await ensureDefaultScorecard(tx);
        const [target] = await tx
          .select()
          .from(scorecardVersions)
          .where(
            and(eq(scorecardVersions.scorecardId, SCORECARD_ID), eq(scorecardVersions.version, version)),
          );
        if (!target) throw notFound('scorecard_version', String(version));
        assertScorecardTestsPass(parseScorecard(target.data, schema));
        await tx
          .update(scorecardVersions)
          .set({ active: false })
          .where(and(eq(scorecardVersions.scorecardId, SCORECARD_ID), eq(scorecardVersions.active, true)));
        const [updated] = await tx
          .update(scorecardVersions)
          .set({ active: true })
          .where(and(eq(scorecardVersions.scorecardId, SCORECARD_ID), eq(scorecardVersions.version, version)))
          .returning();
        await deps.audit.append(tx, {
          actor: actor.userId,
          action: 'scorecard.activate',
          entity: 'scorecard_version',
          entityId: `${SCORECARD_ID}@${version}`,
          payload: { version },
        });
        return updated!;
      });
      return scorecardDto(row);
    },

    /** The demo: the shipped scorecard as version 1 and demo-v2 as champion. Idempotent. */
    async seedDemo(): Promise<{ champion: string; created: boolean }> {
      await deps.db.transaction((tx) => ensureDefaultScorecard(tx));
      const champion = await championRow(deps.db);
      if (champion) return { champion: champion.version, created: false };
      const m = await loadChecked(DEMO_MODEL_DIR);
      const version = m.card.model_version;
      await m.close();
      const [existing] = await deps.db.select().from(modelVersions).where(eq(modelVersions.version, version));
      if (!existing) await register(SYSTEM, DEMO_MODEL_DIR);
      await promoteAs(SYSTEM, version);
      return { champion: version, created: true };
    },

    async close(): Promise<void> {
      const all = [...loaded.values()];
      loaded.clear();
      await Promise.all(all.map(async (p) => (await p.catch(() => null))?.close()));
    },
  };

  function scorecardDto(r: typeof scorecardVersions.$inferSelect): ScorecardVersionDto {
    return {
      scorecardId: r.scorecardId,
      version: r.version,
      active: r.active,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      data: r.data as Scorecard,
    };
  }

  async function activeScorecard(): Promise<Scorecard> {
    const [row] = await deps.db
      .select({ data: scorecardVersions.data })
      .from(scorecardVersions)
      .where(and(eq(scorecardVersions.scorecardId, SCORECARD_ID), eq(scorecardVersions.active, true)));
    return row ? (row.data as Scorecard) : DEFAULT_SCORECARD;
  }

  async function activate(tx: Tx, card: Scorecard, actorId: string) {
    await tx
      .update(scorecardVersions)
      .set({ active: false })
      .where(and(eq(scorecardVersions.scorecardId, SCORECARD_ID), eq(scorecardVersions.active, true)));
    const [inserted] = await tx
      .insert(scorecardVersions)
      .values({
        scorecardId: card.scorecardId,
        version: card.version,
        data: card,
        active: true,
        createdBy: actorId,
        createdAt: deps.clock.now(),
      })
      .returning();
    return inserted!;
  }

  /** The shipped scorecard is version 1 of the history, so that a roll-back can return to it. */
  async function ensureDefaultScorecard(tx: Tx): Promise<void> {
    const [any] = await tx
      .select({ version: scorecardVersions.version })
      .from(scorecardVersions)
      .where(eq(scorecardVersions.scorecardId, SCORECARD_ID))
      .limit(1);
    if (any) return;
    await activate(tx, DEFAULT_SCORECARD, SYSTEM);
    await deps.audit.append(tx, {
      actor: SYSTEM,
      action: 'scorecard.save',
      entity: 'scorecard_version',
      entityId: `${SCORECARD_ID}@${DEFAULT_SCORECARD.version}`,
      payload: { version: DEFAULT_SCORECARD.version, shipped: true },
    });
  }
}

export type ModelsService = ReturnType<typeof createModelsService>;

/** Registers the demo model as champion and the shipped scorecard; for the demo seed. */
export async function seedDemoModels(ctx: { models: ModelsService }) {
  return ctx.models.seedDemo();
}
