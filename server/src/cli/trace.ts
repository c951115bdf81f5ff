/**
 * `cloudtrail-explorer trace <paths> --key K | --session ARN | --resource ARN`: who is behind a
 * key, a session or a resource, and every event that holds it, across the files given.
 */
import { LineIndex, parseCloudTrail } from '../model';
import { creatingEvent, DocumentLinks, LinkHit, LinkKind, LinkRole, LinkScope, Trail, walkTrail, withRole } from '../model/links';
import { visibleText } from '../model/text/visibleText';
import { CliEnvironment, listLogFiles, escapeInvisibles, EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE, loadLogText, printable } from './run';

const HELP = `Usage: cloudtrail-explorer trace [options] <file or folder>... (--key ID | --session ARN | --resource ARN)

Follows one access key, assumed-role session or resource through the logs given: walks back
through the events that issued its credentials (AssumeRole, GetSessionToken, SAML and web identity
federation, IAM Identity Center) to the principal behind it, and lists every event that holds it.

Options:
  --key ID          an access key id (AKIA..., ASIA...)
  --session ARN     an assumed-role session, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
  --resource ARN    any resource ARN; the trail is that of the principal that made it
  --format text|json
  -h, --help

With --format json it prints
  { "origin": { "identity", "eventID" }, "chain": [{ "identity", "eventID", "eventName" }],
    "related": [{ "file", "record", "eventID" }], "complete", "end" }
chain runs from the identity that used the value back to the origin; record counts from 0.

Exit status: 0 when the value was found, 1 when no event holds it, 2 on a usage error.
`;

interface Sought {
  kind: 'key' | 'session' | 'resource';
  value: string;
}

interface TraceOptions {
  sought?: Sought;
  format: 'text' | 'json';
  inputs: string[];
}

function parse(argv: readonly string[]): { options: TraceOptions } | { help: true } | { usage: string } {
  const options: TraceOptions = { format: 'text', inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const name = equals >= 0 ? argument.slice(0, equals) : argument;
    const value = (): string | undefined => (equals >= 0 ? argument.slice(equals + 1) : argv[++i]);
    switch (name) {
      case '-h':
      case '--help':
        return { help: true };
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json') return { usage: '--format must be text or json.' };
        options.format = format;
        break;
      }
      case '--key':
      case '--session':
      case '--resource': {
        const given = value();
        if (given === undefined || given === '') return { usage: `${name} needs a value.` };
        if (options.sought) return { usage: 'Give one of --key, --session and --resource.' };
        options.sought = { kind: name.slice(2) as Sought['kind'], value: given };
        break;
      }
      default:
        if (argument.startsWith('-') && argument !== '-') return { usage: `Unknown option ${printable(argument)}.` };
        options.inputs.push(argument);
    }
  }
  if (!options.sought) return { usage: 'Say what to follow: --key, --session or --resource.' };
  if (options.inputs.length === 0) return { usage: 'Name at least one file or folder to read.' };
  return { options };
}

/** The event the trail starts from: the first use of a key or session, or the event that made a resource. */
function startingHit(scope: LinkScope, sought: Sought): { hits: LinkHit[]; start?: LinkHit } {
  const kind = sought.kind === 'key' ? LinkKind.accessKey : LinkKind.arn;
  const hits = scope.hits(kind, sought.value);
  if (sought.kind === 'resource') {
    return { hits, start: creatingEvent(scope, sought.value) ?? hits[0] };
  }
  return { hits, start: withRole(hits, LinkRole.caller)[0] ?? hits[0] };
}

export async function runTrace(env: CliEnvironment): Promise<number> {
  const parsed = parse(env.argv);
  if ('help' in parsed) {
    env.stdout(HELP);
    return EXIT_CLEAN;
  }
  if ('usage' in parsed) {
    env.stderr(`cloudtrail-explorer trace: ${parsed.usage}\nRun cloudtrail-explorer trace --help for the options.\n`);
    return EXIT_USAGE;
  }
  const { options } = parsed;
  const sought = options.sought;
  if (!sought) return EXIT_USAGE;
  const { files, missing } = await listLogFiles(env, options.inputs, 'trace');
  for (const input of missing) env.stderr(`cloudtrail-explorer trace: ${printable(input)}: no such file or folder.\n`);
  const stores: DocumentLinks[] = [];
  for (const file of files) {
    const loaded = await loadLogText(env, file);
    if ('problem' in loaded) {
      env.stderr(`cloudtrail-explorer trace: ${printable(file)}: ${loaded.problem.message}\n`);
      continue;
    }
    const lines = new LineIndex(loaded.text);
    stores.push(new DocumentLinks(parseCloudTrail(loaded.text), file, (offset) => lines.positionAt(offset), file));
  }
  const scope = new LinkScope(stores);
  const { hits, start } = startingHit(scope, sought);
  const startDetails = start ? scope.details(start) : undefined;
  const trail = startDetails ? walkTrail(scope, startDetails) : undefined;
  if (options.format === 'json') {
    env.stdout(`${escapeInvisibles(JSON.stringify(traceJson(sought, hits, trail), null, 2))}\n`);
  } else {
    env.stdout(traceText(sought, hits, trail, stores.length));
  }
  return hits.length > 0 ? EXIT_CLEAN : EXIT_ERRORS;
}

/** The JSON contract: origin, chain from the value's user back to the origin, every related event. */
export function traceJson(sought: Sought, hits: readonly LinkHit[], trail: Trail | undefined): unknown {
  return {
    [sought.kind]: sought.value,
    origin: trail ? { identity: trail.origin.name, eventID: trail.origin.record.eventID ?? null } : null,
    chain: trail ? trail.steps.map((step) => ({ identity: step.name, eventID: step.seenIn.eventID ?? null, eventName: step.seenIn.eventName ?? null })) : [],
    related: hits.map((hit) => ({
      file: hit.uri,
      record: hit.index,
      eventID: hit.eventID ?? null,
      eventTime: hit.eventTime ?? null,
      eventName: hit.eventName ?? null,
    })),
    complete: trail?.complete ?? false,
    end: trail?.end ?? null,
  };
}

function traceText(sought: Sought, hits: readonly LinkHit[], trail: Trail | undefined, fileCount: number): string {
  const show = (text: string | undefined): string => visibleText(text ?? '?', 200);
  let out = '';
  if (hits.length === 0) {
    return `No event of the ${fileCount} files read holds ${sought.kind} ${show(sought.value)}.\n`;
  }
  if (trail) {
    out += `Who is behind ${sought.kind} ${show(sought.value)}: ${show(trail.origin.label)}${trail.complete ? '' : ' (as far as these logs go)'}\n`;
    trail.steps.forEach((step, i) => {
      out += `  ${i + 1}. ${show(step.label)} in ${show(step.seenIn.eventName)} ${show(step.seenIn.eventTime)} (${show(step.seenIn.uri)}, line ${step.seenIn.range.start.line + 1})\n`;
      if (step.issuedBy)
        out += `     credentials issued by ${show(step.issuedBy.eventName)} at ${show(step.issuedBy.eventTime)}, matched by ${show(step.matchedBy)}\n`;
    });
    out += `  ${visibleText(trail.end, 600)}\n`;
  }
  out += `\n${hits.length} event${hits.length === 1 ? '' : 's'} hold it:\n`;
  for (const hit of hits) {
    out += `  ${show(hit.eventTime)}  ${show(hit.eventName)}  ${show(hit.identity?.label)}  ${show(hit.uri)}:${hit.anchor.start.line + 1}\n`;
  }
  return out;
}
