/**
 * Server state of the recordings pages through the generated client and React Query. The recordings routes declare
 * no response schemas (src/review/routes.ts), so the shapes below are written from src/review/recordings.ts and
 * src/review/bundle.ts. Every GET of one recording, its timeline, a recompute and an export is logged by the server
 * as a viewing: the recording and its timeline are read afresh each time the page opens (never shown from the cache
 * alone, which would be a viewing the log misses), and not otherwise refetched (the console turns window-focus
 * refetches off).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from './auth.js';
import {
  type AnchorRecord,
  type ChainedEvent,
  type ConsentView,
  type Outcome,
  type RecordingFilter,
  type TimelineEntry,
  filterToQuery,
} from './recordingModel.js';

/** A row of GET /recordings. */
export interface RecordingRow {
  sessionId: string;
  caseId: string;
  branchPath: string;
  officerId: string | null;
  status: string;
  endReason: string | null;
  startedAt: string;
  endedAt: string;
  events: number;
  catalogueVersion: string;
  flagCodes: string[];
  outcome: Exclude<Outcome, 'none'> | null;
  held: boolean;
  purgedAt: string | null;
  /** The case as a list shows it (masked unless the role sees personal data); null when it cannot be read. */
  case: { id: string; applicant_name: string; business_name: string | null } | null;
}

export interface Hold {
  id: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
}

export interface Finding {
  id: string;
  seq: number | null;
  severity: 'info' | 'warn' | 'breach';
  category: string;
  note: string;
  createdBy: string;
  createdAt: string;
}

/** GET /recordings/:id: the recording document with its hashes, anchor, consents, holds and findings. */
export interface RecordingDetail {
  sessionId: string;
  caseId: string;
  lang: string;
  status: string;
  endReason: string | null;
  startedAt: string;
  endedAt: string;
  bank: { catalogueVersion: string; sha256: string | null };
  consents: ConsentView[];
  events: ChainedEvent[];
  anchor: AnchorRecord | null;
  purge: AnchorRecord | null;
  branchPath: string;
  officerId: string | null;
  flagCodes: string[];
  outcome: string | null;
  purgedAt: string | null;
  purgeableFrom: string;
  holds: Hold[];
  findings: Finding[];
}

export interface Timeline {
  sessionId: string;
  startedAt: string;
  endedAt: string;
  purged: boolean;
  entries: TimelineEntry[];
  flags: { id: string; code: string; severity: 'warn' | 'fail'; factIds: string[]; why: string }[];
  reliability: { mean: number | null; asked: number; passed: number; failed: number };
}

export interface ViewEntry {
  seq: number;
  at: string;
  userId: string;
  what: string | null;
  role: string | null;
}

export interface RecomputeReport {
  sessionId: string;
  identical: boolean;
  events: number;
  differences: { seq: number; field: string; recorded: unknown; replayed: unknown }[];
  settings: Record<string, unknown> | null;
  modelChanged?: { recorded: string; running: string };
}

/** POST /recordings/verify-bundle (src/review/bundle.ts BundleCheck). */
export interface BundleCheck {
  ok: boolean;
  signature: 'valid' | 'invalid' | 'untrusted_key';
  chain:
    | { ok: true; state: 'intact' | 'purged_by_policy'; lastSeq: number; lastHash: string }
    | { ok: false; firstBadSeq: number; problem: string };
  anchor: 'valid' | 'record_hash_mismatch' | 'does_not_match_chain';
  purge: 'none' | 'valid' | 'record_hash_mismatch' | 'digest_mismatch';
  problems: string[];
}

export interface SigningKey {
  alg: string;
  key_id: string;
  public_key: string;
}

/** The applicant of a case as the server shows it to this user (masked without `case:pii`). */
export interface CaseApplicant {
  name: string;
  business_name: string | null;
}

const KEY = 'recordings';
const one = (id: string) => [KEY, 'one', id] as const;

export function useRecordingSearch(filter: RecordingFilter) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [KEY, 'search', filter],
    queryFn: () =>
      api.call<RecordingRow[]>(
        api.typed.GET('/api/v1/recordings', { params: { query: filterToQuery(filter) } }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useRecording(sessionId: string) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [...one(sessionId), 'doc'],
    queryFn: () =>
      api.call<RecordingDetail>(
        api.typed.GET('/api/v1/recordings/{sessionId}', { params: { path: { sessionId } } }),
      ),
    refetchOnMount: 'always',
  });
}

export function useTimeline(sessionId: string) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [...one(sessionId), 'timeline'],
    queryFn: () =>
      api.call<Timeline>(
        api.typed.GET('/api/v1/recordings/{sessionId}/timeline', { params: { path: { sessionId } } }),
      ),
    refetchOnMount: 'always',
  });
}

/** The view log; `enabled` waits for the viewings of this page to be logged first. */
export function useViewLog(sessionId: string, enabled: boolean) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [...one(sessionId), 'views'],
    queryFn: () =>
      api.call<ViewEntry[]>(
        api.typed.GET('/api/v1/recordings/{sessionId}/views', { params: { path: { sessionId } } }),
      ),
    enabled,
  });
}

export function useCaseApplicant(caseId: string | undefined) {
  const { api } = useAuth();
  return useQuery({
    queryKey: [KEY, 'case', caseId],
    queryFn: async () => {
      const c = await api.call(api.typed.GET('/api/v1/cases/{id}', { params: { path: { id: caseId! } } }));
      return { name: c.applicant.name, business_name: c.applicant.business_name } satisfies CaseApplicant;
    },
    enabled: Boolean(caseId),
    staleTime: 5 * 60_000,
  });
}

export function useSigningKey() {
  const { api } = useAuth();
  return useQuery({
    queryKey: [KEY, 'signing-key'],
    queryFn: () => api.call<SigningKey>(api.typed.GET('/api/v1/recordings/signing-key')),
    staleTime: Infinity,
  });
}

/** After a change, the recording (holds, findings) and the view log are read again, and the list. */
function useRefresh(sessionId: string) {
  const qc = useQueryClient();
  return async () => {
    await qc.invalidateQueries({ queryKey: [...one(sessionId), 'doc'] });
    await qc.invalidateQueries({ queryKey: [...one(sessionId), 'views'] });
    await qc.invalidateQueries({ queryKey: [KEY, 'search'] });
  };
}

export function usePlaceHold(sessionId: string) {
  const { api } = useAuth();
  const refresh = useRefresh(sessionId);
  return useMutation({
    mutationFn: (reason: string) =>
      api.call<{ id: string; placedAt: string }>(
        api.typed.POST('/api/v1/recordings/{sessionId}/hold', {
          params: { path: { sessionId } },
          body: { reason },
        }),
      ),
    onSuccess: refresh,
  });
}

export function useReleaseHold(sessionId: string) {
  const { api } = useAuth();
  const refresh = useRefresh(sessionId);
  return useMutation({
    mutationFn: (reason: string) =>
      api.call<{ id: string; releasedAt: string }>(
        api.typed.POST('/api/v1/recordings/{sessionId}/hold/release', {
          params: { path: { sessionId } },
          body: { reason },
        }),
      ),
    onSuccess: refresh,
  });
}

export type FindingInput = {
  seq?: number;
  severity: Finding['severity'];
  category: string;
  note: string;
};

export function useMarkFinding(sessionId: string) {
  const { api } = useAuth();
  const refresh = useRefresh(sessionId);
  return useMutation({
    mutationFn: (body: FindingInput) =>
      api.call<Finding>(
        api.typed.POST('/api/v1/recordings/{sessionId}/findings', { params: { path: { sessionId } }, body }),
      ),
    onSuccess: refresh,
  });
}

export function usePurge(sessionId: string) {
  const { api } = useAuth();
  const refresh = useRefresh(sessionId);
  return useMutation({
    mutationFn: () =>
      api.call<{ sessionId: string; lines: number; auditSeq: number }>(
        api.typed.POST('/api/v1/recordings/{sessionId}/purge', { params: { path: { sessionId } } }),
      ),
    onSuccess: refresh,
  });
}

export function useRecompute(sessionId: string) {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.call<RecomputeReport>(
        api.typed.GET('/api/v1/recordings/{sessionId}/recompute', { params: { path: { sessionId } } }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...one(sessionId), 'views'] }),
  });
}

/** The signed bundle as received (its text, to save byte for byte) and parsed (to verify). */
export interface ExportedBundle {
  text: string;
  bundle: Record<string, unknown> & { exportedAt?: string };
}

/**
 * Downloads the export bundle as a stream, reporting bytes received and the announced length (null without a
 * Content-Length), so the page can show its progress while the server makes it and sends it.
 */
export function useExport(sessionId: string, onProgress: (received: number, total: number | null) => void) {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<ExportedBundle> => {
      const p = api.typed.GET('/api/v1/recordings/{sessionId}/export', {
        params: { path: { sessionId } },
        parseAs: 'stream',
      });
      const stream = await api.call<ReadableStream<Uint8Array> | null>(p);
      const { response } = await p;
      const length = Number(response.headers.get('content-length'));
      const total = Number.isFinite(length) && length > 0 ? length : null;
      const chunks: Uint8Array[] = [];
      let received = 0;
      onProgress(0, total);
      if (stream) {
        const reader = stream.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          received += value.byteLength;
          onProgress(received, total);
        }
      }
      const text = new TextDecoder().decode(await new Blob(chunks as BlobPart[]).arrayBuffer());
      return { text, bundle: JSON.parse(text) as ExportedBundle['bundle'] };
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: [...one(sessionId), 'views'] }),
  });
}

export function useVerifyBundle() {
  const { api } = useAuth();
  return useMutation({
    mutationFn: (bundle: Record<string, unknown>) =>
      api.call<BundleCheck>(api.typed.POST('/api/v1/recordings/verify-bundle', { body: bundle })),
  });
}
