/**
 * The contract every PrivacyBindingStore keeps (SQLite in the campaign store's
 * file; a database server's store runs the same suite): X is bound at most once,
 * removal gives back what was removed, expiry removes exactly what is due.
 */
import { PrivacyBinding } from '../../src/privacy/privacy-binding';
import { PrivacyBindingStore } from '../../src/privacy/privacy-store';

export interface PrivacyStoreUnderTest {
  store: PrivacyBindingStore;
  close(): Promise<void> | void;
}

const binding = (x: string, expiresAt: number, mode: PrivacyBinding['mode'] = 'two-way'): PrivacyBinding => ({
  x,
  a: '13800000001',
  b: '13900000002',
  mode,
  createdAt: 1000,
  expiresAt,
});

export function describePrivacyStoreContract(name: string, open: () => Promise<PrivacyStoreUnderTest>): void {
  describe(`PrivacyBindingStore contract: ${name}`, () => {
    let t: PrivacyStoreUnderTest;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.close();
    });

    test('an X is bound at most once; get and list give back what was stored', async () => {
      expect(await t.store.insert(binding('4008000002', 5000, 'reverse-only'))).toBe(true);
      expect(await t.store.insert(binding('4008000001', 9000))).toBe(true);
      expect(await t.store.insert({ ...binding('4008000001', 9999), a: '13700000000' })).toBe(false);
      expect(await t.store.get('4008000001')).toEqual(binding('4008000001', 9000));
      expect(await t.store.get('4008000009')).toBeUndefined();
      expect(await t.store.list()).toEqual([binding('4008000001', 9000), binding('4008000002', 5000, 'reverse-only')]);
    });

    test('remove gives back the removed binding once; X may be bound again', async () => {
      await t.store.insert(binding('4008000001', 9000));
      expect(await t.store.remove('4008000001')).toEqual(binding('4008000001', 9000));
      expect(await t.store.remove('4008000001')).toBeUndefined();
      expect(await t.store.insert(binding('4008000001', 12_000))).toBe(true);
    });

    test('removeExpired removes what is due at or before now, and nothing else', async () => {
      await t.store.insert(binding('4008000001', 5000));
      await t.store.insert(binding('4008000002', 6000));
      await t.store.insert(binding('4008000003', 7000));
      expect((await t.store.removeExpired(6000)).map((b) => b.x).sort()).toEqual(['4008000001', '4008000002']);
      expect((await t.store.list()).map((b) => b.x)).toEqual(['4008000003']);
      expect(await t.store.removeExpired(6500)).toEqual([]);
    });
  });
}
