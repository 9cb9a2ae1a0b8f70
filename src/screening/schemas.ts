/**
 * Zod shapes: the settings a bank writes to plug in providers, and the wire shapes of the screening routes.
 */
import { z } from 'zod';
import { FACT_KEYS } from './catalogue.js';
import { CATEGORIES } from './types.js';

const FactKey = z.string().refine((k) => FACT_KEYS.includes(k), { message: 'not a screening fact key' });
const Category = z.enum(CATEGORIES);
const SubjectField = z.enum(['idNumber', 'name', 'mobile', 'uscc']);
const JsonPath = z
  .string()
  .regex(/^[A-Za-z0-9_$\u4e00-\u9fff]+(?:\.[A-Za-z0-9_$\u4e00-\u9fff]+|\[\d+\])*$/, 'a.b[0].c');
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const FactMappingSchema = z.strictObject({
  path: JsonPath,
  type: z.enum([
    'integer',
    'number',
    'string',
    'boolean',
    'date',
    'yuan',
    'fen',
    'count',
    'yuan_series',
    'fen_series',
  ]),
  /** Partner codes → our values (e.g. `{"存续": "active"}`); a code not listed is a mapping failure. */
  map: z.record(z.string(), Scalar).optional(),
  trueValues: z.array(Scalar).optional(),
  falseValues: z.array(Scalar).optional(),
  /** For series: the path inside each element. */
  itemPath: JsonPath.optional(),
});
export type FactMapping = z.infer<typeof FactMappingSchema>;

export const HttpProviderSettingsSchema = z.strictObject({
  kind: z.literal('http'),
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,63}$/),
  category: Category,
  url: z.url({ protocol: /^https?$/ }),
  /** The credential header, e.g. `{ "header": "Authorization", "value": "Bearer …" }`. */
  auth: z.strictObject({ header: z.string().min(1).max(64), value: z.string().min(1).max(4096) }).optional(),
  timeoutMs: z.number().int().min(50).max(60_000).default(3000),
  costFen: z.number().int().min(0).max(1_000_000),
  request: z.strictObject({
    /** Body field → subject field. */
    fields: z.record(z.string().min(1), SubjectField),
    static: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** If set, the consent id is sent in this field (some vendors require proof of authorisation). */
    consentField: z.string().min(1).optional(),
  }),
  response: z.strictObject({
    statusPath: JsonPath.optional(),
    okValues: z.array(Scalar).default([]),
    noRecordValues: z.array(Scalar).optional(),
    /** Where the partner echoes who the answer is about; each configured echo must match the subject. */
    subject: z
      .strictObject({
        idNumber: JsonPath.optional(),
        name: JsonPath.optional(),
        mobile: JsonPath.optional(),
        uscc: JsonPath.optional(),
      })
      .optional(),
    facts: z.record(FactKey, FactMappingSchema),
  }),
});
export type HttpProviderSettings = z.infer<typeof HttpProviderSettingsSchema>;
export type HttpProviderSettingsInput = z.input<typeof HttpProviderSettingsSchema>;

export const SandboxProviderSettingsSchema = z.strictObject({
  kind: z.literal('sandbox'),
  category: Category,
  latencyMs: z.number().int().min(0).max(10_000).optional(),
  costFen: z.number().int().min(0).optional(),
});

/** `<varDir>/screening.json`: which provider answers each category, and the policy knobs. */
export const ScreeningSettingsFileSchema = z.strictObject({
  providers: z
    .array(z.discriminatedUnion('kind', [HttpProviderSettingsSchema, SandboxProviderSettingsSchema]))
    .default([]),
  mandatory: z.array(Category).optional(),
  sandbox: z
    .strictObject({
      seedKey: z.string().min(1).optional(),
      riskyShare: z.number().min(0).max(1).optional(),
      latencyMs: z.number().int().min(0).optional(),
    })
    .optional(),
  consentMaxAgeDays: z.number().int().min(1).max(3650).optional(),
});
export type ScreeningSettingsFile = z.infer<typeof ScreeningSettingsFileSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Wire shapes

export const CaseIdParams = z.object({ id: z.string().min(1).max(64) });

export const RunBody = z
  .strictObject({
    /** Only these categories (default: every configured one). */
    categories: z.array(Category).min(1).optional(),
  })
  .optional();

const FactValueDto = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]).nullable();

export const FactEntryDto = z.object({
  value: FactValueDto,
  source: Category,
  provider: z.string().nullable(),
  fetched_at: z.string().nullable(),
  status: z.enum(['ok', 'missing', 'failed']),
  reason: z.string().nullable(),
});

export const FindingDto = z.object({
  code: z.string(),
  severity: z.enum(['info', 'warn', 'fail']),
  text: z.object({ 'zh-CN': z.string(), 'en-US': z.string() }),
  facts: z.array(z.string()),
});

export const SourceDto = z.object({
  provider: z.string().nullable(),
  category: Category,
  status: z.enum(['ok', 'no_record', 'failed', 'no_consent', 'not_configured']),
  mandatory: z.boolean(),
  consent_id: z.string().nullable(),
  cache_hit: z.boolean(),
  latency_ms: z.number().int(),
  cost_fen: z.number().int(),
  error_code: z.string().nullable(),
});

export const ScreeningDto = z.object({
  run_id: z.string(),
  case_id: z.string(),
  status: z.enum(['complete', 'pending_retry', 'failed']),
  attempt: z.number().int(),
  as_of: z.string(),
  facts: z.record(z.string(), FactEntryDto),
  findings: z.array(FindingDto),
  sources: z.array(SourceDto),
});
export type ScreeningDtoT = z.infer<typeof ScreeningDto>;

export const CostQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
});

const CostLine = z.object({
  provider: z.string(),
  category: Category,
  calls: z.number().int(),
  cache_hits: z.number().int(),
  cache_misses: z.number().int(),
  cost_fen: z.number().int(),
  cost_yuan: z.string(),
});

export const CostReportDto = z.object({
  month: z.string(),
  timezone: z.literal('Asia/Shanghai'),
  branches: z.array(
    z.object({
      branch_id: z.string(),
      calls: z.number().int(),
      cache_hits: z.number().int(),
      cost_fen: z.number().int(),
      cost_yuan: z.string(),
      lines: z.array(CostLine),
    }),
  ),
  total_cost_fen: z.number().int(),
  total_cost_yuan: z.string(),
});
export type CostReportDtoT = z.infer<typeof CostReportDto>;
