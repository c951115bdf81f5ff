/**
 * Reading a `userAgent`: which program made the call. The string is whatever the client sent, so
 * the reading is a hint, never proof.
 */
import { serviceForHostName } from './services';

export type ClientKind = 'console' | 'cli' | 'sdk' | 'infrastructure-as-code' | 'aws-service' | 'aws-internal' | 'browser' | 'http-tool' | 'unknown';

export interface UserAgentReading {
  kind: ClientKind;
  /** "AWS CLI 2.15.30", "AWS SDK for Go v2 1.32.3", "Terraform 1.5.7". Built from parts of the log. */
  client: string;
  /** Further readings: language and runtime, operating system, the CLI command, the provider. */
  details: string[];
}

/**
 * How much of a userAgent is read. CloudTrail cuts the field at 1 KB, so a longer value was made
 * by hand; its first characters still name the client, and reading no further keeps every
 * reading below linear in a small, fixed length whatever the log holds.
 */
export const USER_AGENT_READ_LIMIT = 2048;

/** Characters of a token's name: ASCII letters, digits, `_`, `.`, `@`, `+`, `-`. */
function isNameCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x2e ||
    code === 0x40 ||
    code === 0x2b ||
    code === 0x2d
  );
}

function isLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/** Characters that end a version: white space, `/`, `(` and `)`. */
function endsVersion(code: number): boolean {
  return (
    code === 0x2f ||
    code === 0x28 ||
    code === 0x29 ||
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * `name/version` tokens of a user agent, in order: a name starts with a letter and runs over
 * name characters up to a `/`, the version runs to the next white space, `/` or parenthesis.
 * One pass over the text, each character looked at a fixed number of times.
 */
function tokens(userAgent: string): Map<string, string> {
  const found = new Map<string, string>();
  const length = userAgent.length;
  let position = 0;
  while (position < length) {
    if (!isNameCharacter(userAgent.charCodeAt(position))) {
      position++;
      continue;
    }
    let nameStart = -1;
    while (position < length && isNameCharacter(userAgent.charCodeAt(position))) {
      if (nameStart < 0 && isLetter(userAgent.charCodeAt(position))) {
        nameStart = position;
      }
      position++;
    }
    const versionStart = position + 1;
    if (nameStart < 0 || userAgent.charCodeAt(position) !== 0x2f || versionStart >= length || endsVersion(userAgent.charCodeAt(versionStart))) {
      continue;
    }
    let versionEnd = versionStart;
    while (versionEnd < length && !endsVersion(userAgent.charCodeAt(versionEnd))) {
      versionEnd++;
    }
    const name = userAgent.slice(nameStart, position);
    const version = userAgent.slice(versionStart, versionEnd);
    if (!found.has(name)) {
      found.set(name, version);
    }
    const lower = name.toLowerCase();
    if (!found.has(lower)) {
      found.set(lower, version);
    }
    position = versionEnd;
  }
  return found;
}

const SDKS: [prefix: string, name: string][] = [
  ['aws-sdk-go-v2', 'AWS SDK for Go v2'],
  ['aws-sdk-go', 'AWS SDK for Go'],
  ['aws-sdk-java', 'AWS SDK for Java'],
  ['aws-sdk-js', 'AWS SDK for JavaScript'],
  ['aws-sdk-nodejs', 'AWS SDK for JavaScript (Node.js)'],
  ['aws-sdk-ruby3', 'AWS SDK for Ruby v3'],
  ['aws-sdk-ruby2', 'AWS SDK for Ruby v2'],
  ['aws-sdk-ruby', 'AWS SDK for Ruby'],
  ['aws-sdk-dotnet-coreclr', 'AWS SDK for .NET'],
  ['aws-sdk-dotnet-framework', 'AWS SDK for .NET'],
  ['aws-sdk-dotnet', 'AWS SDK for .NET'],
  ['aws-sdk-php', 'AWS SDK for PHP'],
  ['aws-sdk-cpp', 'AWS SDK for C++'],
  ['aws-sdk-rust', 'AWS SDK for Rust'],
  ['aws-sdk-kotlin', 'AWS SDK for Kotlin'],
  ['aws-sdk-swift', 'AWS SDK for Swift'],
  ['Boto3', 'AWS SDK for Python (Boto3)'],
  ['boto3', 'AWS SDK for Python (Boto3)'],
  ['Botocore', 'botocore (the core of the AWS SDK for Python)'],
  ['botocore', 'botocore (the core of the AWS SDK for Python)'],
  ['aws-powershell', 'AWS Tools for PowerShell'],
  ['AWSPowerShell', 'AWS Tools for PowerShell'],
];

const LANGUAGES: [token: string, name: string][] = [
  ['Python', 'Python'],
  ['python', 'Python'],
  ['ruby', 'Ruby'],
  ['Java_HotSpot(TM)_64-Bit_Server_VM', 'Java'],
  ['OpenJDK_64-Bit_Server_VM', 'Java'],
  ['java', 'Java'],
  ['go', 'Go'],
  ['nodejs', 'Node.js'],
  ['Node.js', 'Node.js'],
  ['PHP', 'PHP'],
  ['.NET_Core', '.NET'],
  ['dotnet', '.NET'],
  ['rust', 'Rust'],
];

const SYSTEMS: [token: string, name: string][] = [
  ['Linux', 'Linux'],
  ['linux', 'Linux'],
  ['Windows', 'Windows'],
  ['windows', 'Windows'],
  ['Darwin', 'macOS'],
  ['macos', 'macOS'],
  ['Mac_OS_X', 'macOS'],
];

/** The language (from `lang/go#1.23`, `Python/3.11`, `ruby/1.9.3`) and OS (`os/linux`, `Linux/5.10`). */
function runtimeDetails(userAgent: string, found: Map<string, string>): string[] {
  const details: string[] = [];
  const lang = /\blang\/([a-z.]+)[#/]([\w.-]+)/i.exec(userAgent);
  if (lang) {
    const name = LANGUAGES.find(([token]) => token.toLowerCase() === lang[1].toLowerCase())?.[1] ?? lang[1];
    details.push(`language ${name} ${lang[2]}`);
  } else {
    for (const [token, name] of LANGUAGES) {
      const version = found.get(token);
      if (version) {
        details.push(`language ${name} ${version}`);
        break;
      }
    }
  }
  const os = /\bos\/([a-z]+)(?:[#/]([\w.-]+))?/i.exec(userAgent);
  if (os) {
    const name = SYSTEMS.find(([token]) => token.toLowerCase() === os[1].toLowerCase())?.[1] ?? os[1];
    details.push(`on ${name}${os[2] ? ` ${os[2]}` : ''}`);
  } else {
    for (const [token, name] of SYSTEMS) {
      const version = found.get(token);
      if (version) {
        details.push(`on ${name} ${version}`);
        break;
      }
    }
  }
  const exec = /\bexec-env\/([\w.-]+)/.exec(userAgent);
  if (exec) {
    details.push(`execution environment ${exec[1]}`);
  }
  const api = /\bapi\/([\w.-]+)#([\w.-]+)/.exec(userAgent);
  if (api) {
    details.push(`service client ${api[1]} ${api[2]}`);
  }
  return details;
}

function browserName(userAgent: string): string {
  const patterns: [RegExp, string][] = [
    [/Edg(?:e|A|iOS)?\/([\d.]+)/, 'Microsoft Edge'],
    [/OPR\/([\d.]+)/, 'Opera'],
    [/Firefox\/([\d.]+)/, 'Firefox'],
    [/Chrome\/([\d.]+)/, 'Chrome'],
  ];
  for (const [pattern, name] of patterns) {
    const match = pattern.exec(userAgent);
    if (match) {
      return `${name} ${match[1]}`;
    }
  }
  // Safari names its version before the word Safari; looked up with two searches, not `.*`.
  const version = /Version\/([\d.]+)/.exec(userAgent);
  if (version && userAgent.includes('Safari/', version.index)) {
    return `Safari ${version[1]}`;
  }
  return 'a web browser';
}

function browserSystem(userAgent: string): string | undefined {
  if (userAgent.includes('Windows NT')) return 'Windows';
  if (userAgent.includes('Android')) return 'Android';
  if (/iPhone|iPad/.test(userAgent)) return 'iOS';
  if (/Mac OS X|Macintosh/.test(userAgent)) return 'macOS';
  if (/Linux|X11/.test(userAgent)) return 'Linux';
  return undefined;
}

/** Reads a userAgent value. `consoleSession` is the record's `sessionCredentialFromConsole`. */
export function readUserAgent(userAgent: string, options: { consoleSession?: boolean } = {}): UserAgentReading {
  const text = userAgent.slice(0, USER_AGENT_READ_LIMIT).trim();
  const found = tokens(text);

  if (text === '') {
    return { kind: 'unknown', client: 'no client name', details: [] };
  }
  if (text === 'AWS Internal') {
    return { kind: 'aws-internal', client: 'AWS itself', details: ['the call came from inside AWS, often from the console or a service'] };
  }
  if (text === 'signin.amazonaws.com') {
    return { kind: 'console', client: 'the AWS sign-in page', details: ['a console sign-in, not an API client'] };
  }
  if (/^console(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(text) || text === 'console.amazonaws.com') {
    return { kind: 'console', client: 'the AWS Management Console', details: [] };
  }
  if (text === 'cloudformation.amazonaws.com') {
    return { kind: 'infrastructure-as-code', client: 'AWS CloudFormation', details: ['a stack operation made this call'] };
  }
  const host = /^[a-z0-9.-]+\.amazonaws\.com$/.test(text) ? serviceForHostName(text) : undefined;
  if (host) {
    return { kind: 'aws-service', client: host.name, details: ['an AWS service calling on the caller\u2019s behalf'] };
  }
  const terraform = found.get('Terraform');
  if (terraform !== undefined || text.includes('terraform-provider-aws')) {
    const provider = found.get('terraform-provider-aws');
    return {
      kind: 'infrastructure-as-code',
      client: terraform ? `Terraform ${terraform}` : 'Terraform',
      details: [provider ? `AWS provider ${provider}` : undefined, ...runtimeDetails(text, found)].filter((d): d is string => !!d),
    };
  }
  if (/\bOpenTofu\//.test(text)) {
    return { kind: 'infrastructure-as-code', client: `OpenTofu ${found.get('OpenTofu') ?? ''}`.trim(), details: [] };
  }
  if (/\bPulumi\b|pulumi\//i.test(text)) {
    return { kind: 'infrastructure-as-code', client: 'Pulumi', details: runtimeDetails(text, found) };
  }
  const cdk = /\baws-cdk\/([\w.-]+)/.exec(text) ?? /\bcdk\/([\w.-]+)/.exec(text);
  if (cdk) {
    return { kind: 'infrastructure-as-code', client: `AWS CDK ${cdk[1]}`, details: runtimeDetails(text, found) };
  }
  if (/cloudformation/i.test(text)) {
    return { kind: 'infrastructure-as-code', client: 'AWS CloudFormation', details: ['a stack operation made this call'] };
  }
  const cli = found.get('aws-cli');
  if (cli !== undefined) {
    const details = runtimeDetails(text, found);
    const command = /\bcommand\/([\w.-]+)/.exec(text);
    if (command) {
      details.unshift(`command aws ${command[1].replace('.', ' ')}`);
    }
    const major = cli.split('.')[0];
    return { kind: 'cli', client: `AWS CLI ${cli}${major === '1' || major === '2' ? ` (version ${major})` : ''}`, details };
  }
  if (text.startsWith('aws-internal/') || /\baws-internal\//.test(text)) {
    return { kind: 'aws-internal', client: 'an AWS internal client', details: ['AWS made this call itself, for example the console or a service'] };
  }
  if (text.startsWith('Coral/')) {
    return { kind: 'aws-internal', client: 'an AWS internal service client', details: ['an AWS service or the console called on the caller\u2019s behalf'] };
  }
  for (const [prefix, name] of SDKS) {
    const version = found.get(prefix);
    if (version !== undefined) {
      const details = runtimeDetails(text, found);
      const before = text.slice(0, text.indexOf(prefix)).trim();
      if (before && !/[/]/.test(before.split(/\s+/).pop() ?? '')) {
        details.unshift(`used by ${before}`);
      }
      return { kind: 'sdk', client: `${name} ${version}`, details };
    }
  }
  if (text.startsWith('Mozilla/')) {
    const system = browserSystem(text);
    const client = browserName(text);
    return {
      kind: options.consoleSession ? 'console' : 'browser',
      client: options.consoleSession ? `the AWS Management Console in ${client}` : client,
      details: system ? [`on ${system}`] : [],
    };
  }
  const httpTools: [RegExp, string][] = [
    [/^curl\/([\w.-]+)/, 'curl'],
    [/^python-requests\/([\w.-]+)/, 'Python requests'],
    [/^Go-http-client\/([\w.-]+)/, 'Go\u2019s HTTP client'],
    [/^PostmanRuntime\/([\w.-]+)/, 'Postman'],
    [/^Wget\/([\w.-]+)/, 'Wget'],
    [/^okhttp\/([\w.-]+)/, 'OkHttp'],
  ];
  for (const [pattern, name] of httpTools) {
    const match = pattern.exec(text);
    if (match) {
      return { kind: 'http-tool', client: `${name} ${match[1]}`, details: ['a general HTTP tool signing requests itself, not an AWS client'] };
    }
  }
  return { kind: 'unknown', client: 'a client this project does not recognise', details: ['the text is whatever the caller chose to send'] };
}
