/**
 * The export of one interview for a regulator: a JSON bundle holding the transcript with its hash chain, the audit
 * record that anchors the chain, the consents, the question bank's version and an HTML rendering, signed with
 * Ed25519 (RFC 8032) under a key derived from the master key. The public key travels in the bundle, so anyone can
 * check it with `verifyBundle` alone (or `weidai audit verify --bundle FILE`); the bank publishes the key id so a
 * bundle signed with some other key is recognised as foreign.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { type AuditRecord, canonicalJson, hashRecord } from '../platform/audit/chain.js';
import { EVENT_GENESIS, chainEvent } from '../dialog/session/store.js';
import type { TranscriptEvent } from '../dialog/session/types.js';
import { isPurgedEvent } from './analysis.js';

export const BUNDLE_FORMAT = 'weidai.recording-bundle/v1';
const INFO_SIGNING = 'weidai/recording-export-ed25519/v1';
/** DER header of a PKCS #8 Ed25519 private key (RFC 8410 §7) before the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  privateKey: KeyObject;
  /** The raw 32-byte public key, base64url. */
  publicKey: string;
  /** First 16 hex digits of SHA-256 of the raw public key. */
  keyId: string;
}

/** The export signing key: an Ed25519 seed derived from the master key by HKDF-SHA256 (RFC 5869). */
export function deriveSigningKey(masterKey: Uint8Array): SigningKey {
  const seed = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), INFO_SIGNING, 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicKey = String(jwk.x);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

const keyIdOf = (publicKey: string) =>
  createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);

export interface ChainedEvent {
  /** A transcript event as stored (dates as ISO strings), or a purged stub `{seq, kind, at, purged: true}`. */
  event: Record<string, unknown> & { seq: number };
  prevHash: string;
  hash: string;
}

export interface AuditRecordJson extends Omit<AuditRecord, 'at'> {
  at: string;
}

export interface RecordingDoc {
  sessionId: string;
  caseId: string;
  lang: string;
  status: string;
  endReason: string | null;
  startedAt: string;
  endedAt: string;
  bank: { catalogueVersion: string; sha256: string | null };
  consents: Record<string, unknown>[];
  events: ChainedEvent[];
  /** The audit record `recording.anchor` naming the chain's last seq and hash. */
  anchor: AuditRecordJson;
  /** The audit record `recording.purge`, when the transcript's content was removed by the retention policy. */
  purge: AuditRecordJson | null;
}

export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  exportedAt: string;
  exportedBy: string;
  recording: RecordingDoc;
  html: string;
  signature: { alg: 'Ed25519'; keyId: string; publicKey: string; value: string };
}

const signedBytes = (b: Omit<Bundle, 'signature'> & { signature: Omit<Bundle['signature'], 'value'> }) =>
  Buffer.from(canonicalJson(b), 'utf8');

export function signBundle(
  content: { exportedAt: string; exportedBy: string; recording: RecordingDoc },
  key: SigningKey,
): Bundle {
  const unsigned = {
    format: BUNDLE_FORMAT as typeof BUNDLE_FORMAT,
    ...content,
    html: renderRecordingHtml(content.recording),
    signature: { alg: 'Ed25519' as const, keyId: key.keyId, publicKey: key.publicKey },
  };
  const value = sign(null, signedBytes(unsigned), key.privateKey).toString('base64url');
  return { ...unsigned, signature: { ...unsigned.signature, value } };
}

/** SHA-256 over the chain's hashes, one per line: what a purge keeps as the fingerprint of the removed content. */
export const hashesDigest = (hashes: readonly string[]) =>
  createHash('sha256').update(hashes.join('\n')).digest('hex');

export type ChainCheck =
  | { ok: true; state: 'intact' | 'purged_by_policy'; lastSeq: number; lastHash: string }
  | { ok: false; firstBadSeq: number; problem: 'gap' | 'prev_hash_mismatch' | 'hash_mismatch' };

/**
 * Verifies one interview's chain. A purged line cannot be rehashed (its content is gone), so only its link is
 * checked; the recording then verifies as 'purged_by_policy' if the caller also checks the purge record's digest.
 */
export function checkChain(events: readonly ChainedEvent[]): ChainCheck {
  let prev = EVENT_GENESIS;
  let seq = 0;
  let purged = false;
  for (const e of events) {
    const s = e.event.seq;
    if (s !== seq + 1) return { ok: false, firstBadSeq: s, problem: 'gap' };
    if (e.prevHash !== prev) return { ok: false, firstBadSeq: s, problem: 'prev_hash_mismatch' };
    if (isPurgedEvent(e.event)) purged = true;
    else if (chainEvent(prev, e.event as unknown as TranscriptEvent).hash !== e.hash)
      return { ok: false, firstBadSeq: s, problem: 'hash_mismatch' };
    prev = e.hash;
    seq = s;
  }
  return { ok: true, state: purged ? 'purged_by_policy' : 'intact', lastSeq: seq, lastHash: prev };
}

const recordOf = (a: AuditRecordJson): AuditRecord => ({ ...a, at: new Date(a.at) });

export interface BundleCheck {
  ok: boolean;
  signature: 'valid' | 'invalid' | 'untrusted_key';
  chain: ChainCheck;
  anchor: 'valid' | 'record_hash_mismatch' | 'does_not_match_chain';
  purge: 'none' | 'valid' | 'record_hash_mismatch' | 'digest_mismatch';
  problems: string[];
}

/**
 * Checks a bundle on its own: the Ed25519 signature over everything but the signature value, every transcript
 * hash, the anchor record's own hash and that it names the chain's last seq and hash, and for a purged recording
 * the purge record and its digest of the hashes. `trustedKeyId`, when given, must be the bundle's key.
 */
export function verifyBundle(input: unknown, opts: { trustedKeyId?: string } = {}): BundleCheck {
  const b = input as Bundle;
  const problems: string[] = [];
  if (!b || b.format !== BUNDLE_FORMAT || !b.recording || !b.signature) {
    return {
      ok: false,
      signature: 'invalid',
      chain: { ok: false, firstBadSeq: 0, problem: 'gap' },
      anchor: 'does_not_match_chain',
      purge: 'none',
      problems: ['not a weidai recording bundle'],
    };
  }
  let signature: BundleCheck['signature'] = 'invalid';
  try {
    const { value, ...sig } = b.signature;
    const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: sig.publicKey }, format: 'jwk' });
    const good =
      keyIdOf(sig.publicKey) === sig.keyId &&
      verify(null, signedBytes({ ...b, signature: sig }), pub, Buffer.from(value, 'base64url'));
    signature = !good
      ? 'invalid'
      : opts.trustedKeyId && opts.trustedKeyId !== sig.keyId
        ? 'untrusted_key'
        : 'valid';
  } catch {
    signature = 'invalid';
  }
  if (signature !== 'valid') problems.push(`signature ${signature}`);

  const r = b.recording;
  const chain = checkChain(r.events ?? []);
  if (!chain.ok) problems.push(`transcript chain broken at seq ${chain.firstBadSeq} (${chain.problem})`);

  let anchor: BundleCheck['anchor'] = 'valid';
  const a = r.anchor;
  if (!a || hashRecord(a.prevHash, recordOf(a)) !== a.hash) anchor = 'record_hash_mismatch';
  else {
    const p = a.payload as { sessionId?: string; lastSeq?: number; lastHash?: string };
    if (
      !chain.ok ||
      a.action !== 'recording.anchor' ||
      p.sessionId !== r.sessionId ||
      p.lastSeq !== chain.lastSeq ||
      p.lastHash !== chain.lastHash
    )
      anchor = 'does_not_match_chain';
  }
  if (anchor !== 'valid') problems.push(`anchor ${anchor}`);

  let purge: BundleCheck['purge'] = 'none';
  if (r.purge) {
    const p = r.purge;
    if (hashRecord(p.prevHash, recordOf(p)) !== p.hash) purge = 'record_hash_mismatch';
    else {
      const payload = p.payload as { sessionId?: string; hashesDigest?: string };
      const digest = hashesDigest((r.events ?? []).map((e) => e.hash));
      purge =
        p.action === 'recording.purge' && payload.sessionId === r.sessionId && payload.hashesDigest === digest
          ? 'valid'
          : 'digest_mismatch';
    }
    if (purge !== 'valid') problems.push(`purge record ${purge}`);
  } else if (chain.ok && chain.state === 'purged_by_policy') {
    problems.push('purged lines without a purge record');
  }
  return { ok: problems.length === 0, signature, chain, anchor, purge, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// HTML rendering

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const WHO: Record<string, string> = { bot: '系统 Bot', applicant: '申请人 Applicant', end: '结束 End' };

/** A self-contained page (no scripts, no outside resources) a person can read and print. */
export function renderRecordingHtml(r: RecordingDoc): string {
  const rows = r.events
    .map((e) => {
      const ev = e.event as { seq: number; kind?: string; at?: string; text?: string; channel?: string };
      const text = isPurgedEvent(ev) ? '（已按保留期限删除 / purged by retention policy）' : ev.text;
      return `<tr><td>${ev.seq}</td><td>${esc(ev.at)}</td><td>${esc(WHO[ev.kind ?? ''] ?? ev.kind)}${
        ev.channel ? ` · ${esc(ev.channel)}` : ''
      }</td><td>${esc(text)}</td><td><code>${esc(e.hash.slice(0, 16))}…</code></td></tr>`;
    })
    .join('\n');
  const consents = r.consents
    .map(
      (c) =>
        `<tr><td>${esc(c.kind)}${c.source ? ` · ${esc(c.source)}` : ''}</td><td>${c.granted ? '同意 granted' : '拒绝 refused'}</td><td>${esc(c.text_id)} v${esc(c.text_version)}</td><td>${esc(c.channel)}</td><td>${esc(c.at)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>远程面谈录音记录 Interview recording ${esc(r.sessionId)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px;vertical-align:top;text-align:left}code{font-size:90%}</style>
</head><body>
<h1>远程面谈录音记录 · Interview recording</h1>
<p>面谈 Interview <code>${esc(r.sessionId)}</code> · 案件 Case <code>${esc(r.caseId)}</code> · ${esc(r.lang)}<br>
开始 Started ${esc(r.startedAt)} · 结束 Ended ${esc(r.endedAt)} · 状态 Status ${esc(r.status)} (${esc(r.endReason)})<br>
题库版本 Question catalogue ${esc(r.bank.catalogueVersion)}</p>
<h2>授权 Consents</h2>
<table><tr><th>类别 Kind</th><th>决定 Decision</th><th>文本 Text</th><th>渠道 Channel</th><th>时间 At</th></tr>
${consents}
</table>
<h2>记录 Transcript</h2>
<table><tr><th>#</th><th>时间 At</th><th>来自 From</th><th>内容 Text</th><th>哈希 Hash</th></tr>
${rows}
</table>
<h2>锚定 Anchor</h2>
<p>审计链序号 Audit sequence ${esc(r.anchor.seq)} · ${esc(r.anchor.at)} · <code>${esc(r.anchor.hash)}</code></p>
${r.purge ? `<p>保留期满删除 Purged by retention policy: audit sequence ${esc(r.purge.seq)} · ${esc(r.purge.at)}</p>` : ''}
<p>本文件随附的 JSON 含完整哈希链与 Ed25519 签名，可独立验证。The JSON bundle carries the full hash chain and an Ed25519 signature and verifies on its own.</p>
</body></html>
`;
}
