/**
 * One contact import in a process of its own, so its peak RSS is the import's:
 * argv: <list file> <sqlite file>. Prints one JSON line with the report and figures.
 */
import { importContactsIntoStore } from '../src/campaign/contact-import';
import { CampaignStore } from '../src/campaign/campaign-store';

async function main(): Promise<void> {
  const [file, db] = process.argv.slice(2);
  const store = new CampaignStore(db);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const report = await importContactsIntoStore(file, store, 'bench');
  const ms = performance.now() - t0;
  store.close();
  const { problems: _p, ...counts } = report;
  process.stdout.write(
    JSON.stringify({
      ...counts,
      ms,
      rssStartMb: rss0 / 2 ** 20,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
      heapTotalMb: process.memoryUsage().heapTotal / 2 ** 20,
      externalMb: process.memoryUsage().external / 2 ** 20,
    }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
