import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignStore } from '../campaign/campaign-store';
import { describePrivacyStoreContract } from '../../test-support/privacy/privacy-store-contract';
import { SqlitePrivacyStore } from './privacy-store';

describePrivacyStoreContract('SQLite (the campaign store file)', async () => {
  const store = new CampaignStore(join(mkdtempSync(join(tmpdir(), 'tp-privacy-store-')), 'gw.db'));
  return { store: new SqlitePrivacyStore(store.database), close: () => store.close() };
});
