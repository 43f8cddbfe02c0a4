import { systemClock } from '../core/clock';
import { PgCampaignStore } from '../campaign/pg-campaign-store';
import { PostgresServer } from '../../test-support/postgres/postgres-server';
import { describePrivacyStoreContract } from '../../test-support/privacy/privacy-store-contract';
import { PgPrivacyStore } from './pg-privacy-store';

let pg: PostgresServer;
let seq = 0;
beforeAll(async () => {
  pg = await PostgresServer.start({ unsafeFast: true });
}, 30_000);
afterAll(async () => {
  await pg?.close();
});

describePrivacyStoreContract('PostgreSQL (the centre store, a real server)', async () => {
  const store = await PgCampaignStore.open(pg.createDatabase(`privacy${++seq}`), { gateway: 'gw1', clock: systemClock });
  return { store: new PgPrivacyStore(store), close: () => store.close() };
});
