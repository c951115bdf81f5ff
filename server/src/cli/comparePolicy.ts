import * as path from 'node:path';
import { nodeFileSystem } from './nodeFileSystem';
/**
 * `cloudtrail-explorer compare-policy <policy.json> <paths> [--identity KEY] [--format json]`:
 * a policy document compared with what the events did, as text or as the JSON
 * `{ used: [{action, count}], unused: [pattern], notGranted: [{action, count}] }`.
 */
import { comparePolicy, comparisonJson, comparisonText, IamCatalogue, parsePolicyDocument } from '../model/iam/policy';
import { iamCatalogue } from '../model/iam/policy/iamCatalogue';
import { jsonWithVisibleEscapes } from '../model/text/visibleText';
import { parseLogSelection, readLogDocuments, selectedUsage } from './policy';
import { CliEnvironment, decodeUtf8, EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE, printable } from './run';

const HELP = `Usage: cloudtrail-explorer compare-policy <policy.json> <file or folder>... [--identity KEY] [--format text|json]

Compares an IAM policy document (identity policy JSON, or aws iam get-policy-version output)
with the calls of the logs: the actions used (with counts and times), the Action entries
granted but never used, and the actions used but not granted by this document.
Actions and resources are evaluated as IAM does; conditions are not evaluated.

Options:
  --identity KEY   only the calls of this identity (its key in the Events view: its ARN)
  --format json    {"used": [{"action", "count"}], "unused": [pattern], "notGranted": [{"action", "count"}]}
  -h, --help       show this help
`;

export async function runComparePolicyCommand(env: CliEnvironment, argv: readonly string[], catalogue: IamCatalogue = iamCatalogue): Promise<number> {
  let format = 'text' as 'text' | 'json';
  let formatProblem: string | undefined;
  const parsed = parseLogSelection(argv, (name, value) => {
    if (name !== '--format') return 'unknown';
    const wanted = value();
    if (wanted === 'text' || wanted === 'json') format = wanted;
    else formatProblem = '--format must be text or json.';
    return formatProblem ? { usage: formatProblem } : 'taken';
  });
  if (parsed === 'help') {
    env.stdout(HELP);
    return EXIT_CLEAN;
  }
  if ('usage' in parsed || parsed.inputs.length < 2) {
    env.stderr(
      `cloudtrail-explorer compare-policy: ${'usage' in parsed ? parsed.usage : 'name the policy file, then at least one log file or folder.'}\nRun cloudtrail-explorer compare-policy --help for the options.\n`,
    );
    return EXIT_USAGE;
  }
  const [policyFile, ...logs] = parsed.inputs;
  let policyBytes: Uint8Array;
  try {
    policyBytes = await nodeFileSystem.readFile(path.resolve(env.cwd, policyFile));
  } catch (error) {
    env.stderr(`cloudtrail-explorer: ${printable(policyFile)}: cannot read the policy: ${printable(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_USAGE;
  }
  const policy = parsePolicyDocument(decodeUtf8(policyBytes).text);
  if (!policy.ok) {
    env.stderr(`cloudtrail-explorer: ${printable(policyFile)}: ${printable(policy.error.message)}\n`);
    return EXIT_ERRORS;
  }
  const documents = await readLogDocuments(env, logs);
  if (!documents) return EXIT_USAGE;
  const { usage, subject } = selectedUsage(env, documents, parsed.identity);
  const comparison = comparePolicy(policy.policy, usage, catalogue);
  if (format === 'json') {
    env.stdout(`${jsonWithVisibleEscapes(JSON.stringify(comparisonJson(comparison), null, 2))}\n`);
  } else {
    env.stdout(comparisonText(comparison, subject, policyFile));
  }
  return EXIT_CLEAN;
}
