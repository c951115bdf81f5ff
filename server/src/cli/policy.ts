/**
 * `cloudtrail-explorer policy <paths> [--identity KEY] [--include-failed]`: the least-privilege
 * IAM policy the events needed, as JSON on standard output and nothing else; what was left out
 * or granted on every resource goes to standard error.
 */
import { CloudTrailDocument, parseCloudTrail } from '../model';
import {
  documentUsage,
  EventSelection,
  generatePolicy,
  IamCatalogue,
  identitySelection,
  notesText,
  policyText,
  selectDocumentEvents,
  Usage,
  UsageBuilder,
} from '../model/iam/policy';
import { iamCatalogue } from '../model/iam/policy/iamCatalogue';
import { CliEnvironment, listLogFiles, EXIT_CLEAN, EXIT_USAGE, loadLogText, printable, walkArguments } from './run';

const HELP = `Usage: cloudtrail-explorer policy <file or folder>... [--identity KEY] [--include-failed]

Prints the IAM policy (JSON) that the calls of the logs needed: one statement per service,
the actions sorted, resources named where the records name them (else "*").
Notes (resources left as "*" and why, failed calls, calls no IAM action is known for) go to
standard error.

Options:
  --identity KEY     only the calls of this identity: the key of its group in the Events view
                     (its ARN; a role's ARN takes all of its sessions)
  --include-failed   put the actions of failed calls in the policy too
  -h, --help         show this help
`;

export interface LogSelectionOptions {
  inputs: string[];
  identity?: string;
}

/** Reads an `--identity` option and the paths; other options are handed to `other`. */
export function parseLogSelection(
  argv: readonly string[],
  other: (name: string, takeValue: () => string | undefined) => 'taken' | 'unknown' | { usage: string },
): LogSelectionOptions | { usage: string } | 'help' {
  const options: LogSelectionOptions = { inputs: [] };
  const stopped = walkArguments<{ usage: string } | 'help'>(
    argv,
    (input) => options.inputs.push(input),
    (name, _inlineValue, takeValue, argument) => {
      if (name === '-h' || name === '--help') return 'help';
      if (name === '--identity') {
        const value = takeValue();
        if (value === undefined || value === '') return { usage: '--identity needs the key of an identity (its ARN).' };
        options.identity = value;
        return undefined;
      }
      const handled = other(name, takeValue);
      if (handled === 'unknown') return { usage: `Unknown option ${printable(argument)}.` };
      return handled === 'taken' ? undefined : handled;
    },
  );
  return stopped ?? options;
}

/** The documents of the logs at `inputs`; files that cannot be read are reported on standard error and skipped. */
export async function readLogDocuments(env: CliEnvironment, inputs: readonly string[]): Promise<CloudTrailDocument[] | undefined> {
  const { files, missing } = await listLogFiles(env, inputs, 'policy');
  for (const input of missing) env.stderr(`cloudtrail-explorer: ${printable(input)}: no such file or folder.\n`);
  if (files.length === 0) {
    if (missing.length === 0) env.stderr(`cloudtrail-explorer: no .json or .gz file found in ${inputs.map(printable).join(', ')}.\n`);
    return undefined;
  }
  const documents: CloudTrailDocument[] = [];
  for (const file of files) {
    const loaded = await loadLogText(env, file);
    if ('problem' in loaded) {
      env.stderr(`cloudtrail-explorer: ${printable(file)}: ${printable(loaded.problem.message)}\n`);
      continue;
    }
    documents.push(parseCloudTrail(loaded.text));
  }
  return documents;
}

/** The usage of the selected events, and what they are in words; an identity that made no call gives an empty usage and a message. */
export function selectedUsage(env: CliEnvironment, documents: readonly CloudTrailDocument[], identity: string | undefined): { usage: Usage; subject: string } {
  const selection: EventSelection = identity === undefined ? { groupBy: [] } : identitySelection(identity);
  const subject = identity === undefined ? 'every event of the logs' : `the calls of ${identity}`;
  const events = selectDocumentEvents(documents, selection);
  if (!events) {
    env.stderr(
      `cloudtrail-explorer: ${printable(identity ?? '')} made no call in these logs (no identity or role of the Events view has this key); the policy is empty.\n`,
    );
    return { usage: new UsageBuilder(true).finish(), subject };
  }
  return { usage: documentUsage(events), subject };
}

export async function runPolicyCommand(env: CliEnvironment, argv: readonly string[], catalogue: IamCatalogue = iamCatalogue): Promise<number> {
  let includeFailed = false;
  const parsed = parseLogSelection(argv, (name) => {
    if (name !== '--include-failed') return 'unknown';
    includeFailed = true;
    return 'taken';
  });
  if (parsed === 'help') {
    env.stdout(HELP);
    return EXIT_CLEAN;
  }
  if ('usage' in parsed || parsed.inputs.length === 0) {
    env.stderr(
      `cloudtrail-explorer policy: ${'usage' in parsed ? parsed.usage : 'name at least one log file or folder.'}\nRun cloudtrail-explorer policy --help for the options.\n`,
    );
    return EXIT_USAGE;
  }
  const documents = await readLogDocuments(env, parsed.inputs);
  if (!documents) return EXIT_USAGE;
  const { usage, subject } = selectedUsage(env, documents, parsed.identity);
  const generated = generatePolicy(usage, catalogue, { includeFailed });
  env.stdout(policyText(generated.policy));
  env.stderr(notesText(generated, subject));
  return EXIT_CLEAN;
}
