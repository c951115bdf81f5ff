import { documentUsage, folderUsage, generatePolicy, identitySelection, selectDocumentEvents } from '../../server/src/model/iam/policy';
import { iamCatalogue } from '../../server/src/model/iam/policy/iamCatalogue';
import { parseCloudTrail } from '../../server/src/model';
import { emptyFileResult, FileIndexResult, FolderIndex, groupFolderEvents, LogTextIndexer } from '../../server/src/model/folderIndex';
import { BenchContext, BenchSection, ms, ratio, timeCandidates } from './benchFrame';
import { generateLog, MIB } from './generateLogs';

/**
 * Least privilege from the log on a folder index of 700,000 events: the policy of the identity
 * with the most events, and of the whole index, against the tree's own grouping by identity of
 * the same index (what the Events view computes before the user can pick a group). The index is
 * one generated 16 MiB log, indexed once and added under as many file names as it takes, so the
 * figures measure the policy and not the disk (a group small enough to read back gets the
 * text from memory). Also: the policy of a whole open 16 MiB log,
 * whose records are read for resources.
 */

const TARGET_EVENTS = 700_000;
const ONE_IDENTITY_TARGET_MS = 1000;
const WHOLE_INDEX_TARGET_MS = 5000;

function indexedResult(text: string, name: string): FileIndexResult {
  const indexer = new LogTextIndexer();
  indexer.write(text);
  indexer.end();
  const built = indexer.builder.finish();
  return { ...emptyFileResult(name, text.length), textBytes: text.length, characters: text.length, shape: 'records', ...built };
}

/** A copy whose arrays the index may take over (it rewrites string ids in place). */
function copyOf(result: FileIndexResult, name: string): FileIndexResult {
  const e = result.entries;
  return {
    ...result,
    path: name,
    entries: {
      count: e.count,
      start: e.start.slice(),
      length: e.length.slice(),
      positions: e.positions.slice(),
      strings: e.strings.slice(),
      time: e.time.slice(),
      eventId: e.eventId.slice(),
      flags: e.flags.slice(),
      accessKeyId: e.accessKeyId.slice(),
      timeOrder: e.timeOrder.slice(),
    },
  };
}

export const policySection: BenchSection = {
  id: 'policy',
  title: 'IAM policy from the events of a folder index of 700,000 events, and of an open log',
  async run(context: BenchContext): Promise<void> {
    const report = context.report;
    const log = generateLog(16 * MIB, 'one-line', 20261206);
    const once = indexedResult(log.text, '/bench/logs/000.json');
    const index = new FolderIndex('/bench/logs');
    for (let copy = 0; index.eventCount < TARGET_EVENTS; copy++) {
      index.add(copyOf(once, `/bench/logs/${String(copy).padStart(3, '0')}.json`));
    }
    const byIdentity = groupFolderEvents(index, { groupBy: ['identity'] }).groups;
    const busiest = byIdentity[0];
    report.note(
      `${index.eventCount.toLocaleString('en-US')} events in ${index.fileCount} files, ${byIdentity.length} identity groups; the busiest, ${busiest.label}, has ${busiest.count.toLocaleString('en-US')} events.`,
    );

    const document = parseCloudTrail(log.text);
    // Every file of the index is a copy of the one log: its text is at hand, as if read from disk.
    const readCopy = (): string => log.text;
    const busiestPolicy = { statements: 0, resourcesRead: false };
    const timings = await timeCandidates(
      [
        { name: 'tree grouped by identity (baseline)', run: () => groupFolderEvents(index, { groupBy: ['identity'] }) },
        {
          name: 'policy of the busiest identity',
          run: () => {
            const usage = folderUsage(index, identitySelection(busiest.key), readCopy);
            if (!usage) throw new Error('the busiest identity has no group');
            busiestPolicy.resourcesRead = usage.resourcesRead;
            busiestPolicy.statements = generatePolicy(usage, iamCatalogue).policy.Statement.length;
          },
        },
        {
          name: 'policy of the whole index',
          run: () => {
            const usage = folderUsage(index, { groupBy: [] }, readCopy);
            if (!usage) throw new Error('the index has no events');
            generatePolicy(usage, iamCatalogue);
          },
        },
        {
          name: `policy of an open ${log.records.toLocaleString('en-US')}-event log (resources read)`,
          run: () => generatePolicy(documentUsage(selectDocumentEvents([document], { groupBy: [] }) ?? []), iamCatalogue),
        },
      ],
      { runs: 3, warmup: 1 },
    );
    const baseline = timings.get('tree grouped by identity (baseline)')?.median ?? Number.NaN;
    report.table(
      ['computation', 'median', 'CPU', 'against the tree'],
      [...timings].map(([name, timing]) => [name, ms(timing.median), ms(timing.cpu), ratio(timing.median / baseline)]),
    );
    report.note(
      `The busiest identity's policy has ${busiestPolicy.statements} statements; its records were ${busiestPolicy.resourcesRead ? 'read back for resources' : 'too many to read back (beyond the read limits), so resources are "*"'}.`,
    );
    const one = timings.get('policy of the busiest identity')?.median ?? Number.POSITIVE_INFINITY;
    const whole = timings.get('policy of the whole index')?.median ?? Number.POSITIVE_INFINITY;
    report.verdict(
      `policy of one identity of ${index.eventCount.toLocaleString('en-US')} indexed events < ${ONE_IDENTITY_TARGET_MS} ms`,
      ms(one),
      one < ONE_IDENTITY_TARGET_MS,
    );
    report.verdict(`policy of the whole index < ${WHOLE_INDEX_TARGET_MS} ms`, ms(whole), whole < WHOLE_INDEX_TARGET_MS);
  },
};
