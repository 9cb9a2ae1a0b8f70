/** The binding store contract, run on every implementation. */
import { expect, it } from 'vitest';
import type { BindingStore, ChannelBinding } from '../../../src/channels/bindings/types.js';

export function bindingStoreContract(make: () => BindingStore) {
  const at = new Date('2026-05-01T02:00:00.000Z');
  const b = (over: Partial<ChannelBinding> = {}): ChannelBinding => ({
    channel: 'wechat',
    account: 'county',
    userKey: `u-${Math.random().toString(36).slice(2)}`,
    sessionId: 's-1',
    lang: 'zh-CN',
    createdAt: at,
    updatedAt: at,
    ...over,
  });

  it('returns a stored binding and null for an unknown user', async () => {
    const store = make();
    const one = b();
    await store.put(one);
    expect(await store.get('wechat', 'county', one.userKey)).toEqual(one);
    expect(await store.get('wechat', 'county', 'nobody')).toBeNull();
    expect(await store.get('botframework', 'county', one.userKey)).toBeNull();
  });

  it('moves a user to another session on a second put, keeping the creation time', async () => {
    const store = make();
    const one = b();
    await store.put(one);
    const later = new Date(at.getTime() + 60_000);
    await store.put({ ...one, sessionId: 's-2', lang: 'en-US', createdAt: later, updatedAt: later });
    expect(await store.get('wechat', 'county', one.userKey)).toEqual({
      ...one,
      sessionId: 's-2',
      lang: 'en-US',
      updatedAt: later,
    });
  });

  it('deletes a binding once', async () => {
    const store = make();
    const one = b({ channel: 'botframework', account: 'webchat' });
    await store.put(one);
    expect(await store.delete('botframework', 'webchat', one.userKey)).toBe(true);
    expect(await store.delete('botframework', 'webchat', one.userKey)).toBe(false);
    expect(await store.get('botframework', 'webchat', one.userKey)).toBeNull();
  });
}
