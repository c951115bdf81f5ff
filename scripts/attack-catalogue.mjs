// Writes server/src/model/detections/traildiscover-catalogue.json, the compact copy of the
// TrailDiscover catalogue (https://github.com/adanalvarez/TrailDiscover, docs/events.json,
// CC BY 4.0, by Adan Alvarez) that the extension ships.
//
//   node scripts/attack-catalogue.mjs <path to TrailDiscover's events.json> [commit]
//
// The copy keeps, per (eventSource, eventName): the service, the ATT&CK tactics and techniques,
// whether the event was used in the wild, the incidents and research links, and the security
// implications. Its `attribution.changes` lists what differs from the source.
import { readFileSync, writeFileSync } from 'node:fs';

const [source, commit = 'f96cbdb0591f78d16b1948e84c211becce6258e6'] = process.argv.slice(2);
if (!source) {
  console.error('usage: node scripts/attack-catalogue.mjs <events.json> [commit]');
  process.exit(2);
}
const entries = JSON.parse(readFileSync(source, 'utf8'));

/** "TA0003 - Persistence", "T1078.004: Valid Accounts: Cloud Accounts", "T1562.001 Impair Defenses: ..." -> [id, name]. */
function splitAttackId(text) {
  const match = /^(TA\d{4}|T\d{4}(?:\.\d{3})?)\s*(?:-|:)?\s*(.*)$/.exec(text.trim());
  if (!match) throw new Error(`not an ATT&CK id: ${text}`);
  return [match[1], match[2].trim()];
}

const tactics = {};
const events = new Map();
const movedTechniques = new Set();
let merged = 0;
for (const entry of entries) {
  const tacticIds = [];
  const techniques = [];
  const addTechnique = ([id, name]) => {
    if (!techniques.some(([known]) => known === id)) techniques.push([id, name]);
  };
  for (const text of entry.mitreAttackTactics) {
    const [id, name] = splitAttackId(text);
    if (id.startsWith('TA')) {
      tactics[id] ??= name;
      tacticIds.push(id);
    } else {
      // A technique listed among the tactics is kept as a technique.
      movedTechniques.add(`${entry.eventSource} ${entry.eventName}: ${text}`);
      addTechnique([id, name]);
    }
  }
  for (const text of [...entry.mitreAttackTechniques, ...entry.mitreAttackSubTechniques]) addTechnique(splitAttackId(text));
  const key = `${entry.eventSource} ${entry.eventName}`;
  const links = (list) => list.filter((item) => item.link).map((item) => [item.description, item.link]);
  const compact = {
    eventSource: entry.eventSource,
    eventName: entry.eventName,
    awsService: entry.awsService,
    tactics: tacticIds,
    techniques: techniques.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    usedInWild: entry.usedInWild === true,
    incidents: links(entry.incidents),
    researchLinks: links(entry.researchLinks),
    securityImplications: entry.securityImplications,
  };
  const known = events.get(key);
  if (known) {
    // The same event listed twice: one entry holding both.
    merged++;
    for (const id of compact.tactics) if (!known.tactics.includes(id)) known.tactics.push(id);
    for (const technique of compact.techniques) if (!known.techniques.some(([id]) => id === technique[0])) known.techniques.push(technique);
    known.usedInWild ||= compact.usedInWild;
    for (const field of ['incidents', 'researchLinks']) {
      for (const link of compact[field]) if (!known[field].some(([, url]) => url === link[1])) known[field].push(link);
    }
    continue;
  }
  events.set(key, compact);
}

const changes = [
  'Kept per event: eventSource, eventName, awsService, mitreAttackTactics, mitreAttackTechniques and mitreAttackSubTechniques (as [id, name] pairs), usedInWild, incidents, researchLinks and securityImplications; the other fields are left out.',
  `Events listed more than once are merged into one entry (${merged}).`,
];
if (movedTechniques.size > 0) {
  changes.push(`Techniques listed among the tactics are kept as techniques: ${[...movedTechniques].join('; ')}.`);
}
const catalogue = {
  attribution: {
    title: 'TrailDiscover',
    author: 'Adan Alvarez',
    license: 'CC BY 4.0',
    licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
    url: 'https://github.com/adanalvarez/TrailDiscover',
    file: 'docs/events.json',
    commit,
    changes,
  },
  tactics,
  events: [...events.values()].sort((a, b) => (a.eventSource + a.eventName < b.eventSource + b.eventName ? -1 : 1)),
};
const target = new URL('../server/src/model/detections/traildiscover-catalogue.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(catalogue)}\n`);
console.log(`wrote ${catalogue.events.length} events and ${Object.keys(tactics).length} tactics to ${target.pathname}`);
