/**
 * A random UUID v4 (RFC 9562 §5.4) for clientMsgId. `crypto.randomUUID` exists only in secure contexts, and a bank's
 * WebView may load the page over plain HTTP on an intranet; `getRandomValues` works everywhere.
 */
export function newClientMsgId(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The interview socket's address on the host that served the page. */
export function interviewSocketUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/interview`;
}
