/**
 * What a `sourceIPAddress` holds: an IPv4 or IPv6 address (and which kind of range it is in), the
 * host name of an AWS service acting for the caller, or `AWS Internal`.
 */
import { serviceForHostName } from './services';

export type SourceKind = 'ipv4' | 'ipv6' | 'aws-service' | 'aws-internal' | 'other';

export interface SourceReading {
  kind: SourceKind;
  /** One phrase: "public IPv4 address", "private IPv4 address (RFC 1918)", "Amazon EC2 acting for the caller". */
  description: string;
  /** The service name for an AWS host name. */
  service?: string;
  /** Anything odd about the text: leading zeros, an out-of-range part. */
  warnings: string[];
}

interface Range {
  /** First address as a number and prefix length. */
  base: number;
  bits: number;
  name: string;
}

const ipv4 = (a: number, b: number, c: number, d: number): number => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

/** Special IPv4 ranges, most specific first. */
const IPV4_RANGES: Range[] = [
  { base: ipv4(0, 0, 0, 0), bits: 8, name: 'an unspecified address ("this network")' },
  { base: ipv4(10, 0, 0, 0), bits: 8, name: 'a private address (RFC 1918): the caller was inside a private network, such as a VPC' },
  { base: ipv4(100, 64, 0, 0), bits: 10, name: 'a shared address of carrier-grade NAT (RFC 6598)' },
  { base: ipv4(127, 0, 0, 0), bits: 8, name: 'a loopback address' },
  { base: ipv4(169, 254, 0, 0), bits: 16, name: 'a link-local address' },
  { base: ipv4(172, 16, 0, 0), bits: 12, name: 'a private address (RFC 1918): the caller was inside a private network, such as a VPC' },
  { base: ipv4(192, 0, 2, 0), bits: 24, name: 'a documentation address (TEST-NET-1): this record is an example, not a real call' },
  { base: ipv4(192, 168, 0, 0), bits: 16, name: 'a private address (RFC 1918): the caller was inside a private network, such as a VPC' },
  { base: ipv4(198, 18, 0, 0), bits: 15, name: 'a benchmarking address (RFC 2544)' },
  { base: ipv4(198, 51, 100, 0), bits: 24, name: 'a documentation address (TEST-NET-2): this record is an example, not a real call' },
  { base: ipv4(203, 0, 113, 0), bits: 24, name: 'a documentation address (TEST-NET-3): this record is an example, not a real call' },
  { base: ipv4(224, 0, 0, 0), bits: 4, name: 'a multicast address, which cannot send a request' },
  { base: ipv4(240, 0, 0, 0), bits: 4, name: 'a reserved address (240.0.0.0/4) that is not routed on the internet: the log was probably anonymised' },
];

function inRange(address: number, range: Range): boolean {
  const mask = range.bits === 0 ? 0 : (~0 << (32 - range.bits)) >>> 0;
  return (address & mask) >>> 0 === range.base;
}

/** Reads dotted IPv4; undefined when the text is not four numbers. */
export function parseIpv4(text: string): { value: number; warnings: string[] } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) {
    return undefined;
  }
  const warnings: string[] = [];
  const parts = match.slice(1, 5);
  if (parts.some((part) => part.length > 1 && part.startsWith('0'))) {
    warnings.push('a part has a leading zero, which real addresses never have in CloudTrail (some tools read it as octal)');
  }
  const numbers = parts.map(Number);
  if (numbers.some((n) => n > 255)) {
    warnings.push('a part is above 255, so this is not a valid address');
    return { value: -1, warnings };
  }
  return { value: ipv4(numbers[0], numbers[1], numbers[2], numbers[3]), warnings };
}

/** Expands an IPv6 address to eight 16-bit groups; undefined when it is not one. */
export function parseIpv6(text: string): number[] | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || text.length > 45 || !text.includes(':')) {
    return undefined;
  }
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const last = body.slice(lastColon + 1);
  if (last.includes('.')) {
    // `::ffff:192.0.2.1`: the last 32 bits written as IPv4 become two groups.
    const v4 = parseIpv4(last);
    if (!v4 || v4.value < 0) {
      return undefined;
    }
    body = `${body.slice(0, lastColon + 1)}${(v4.value >>> 16).toString(16)}:${(v4.value & 0xffff).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const parse = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups = half.split(':');
    if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) {
    return undefined;
  }
  const known = head.length + rest.length;
  if (halves.length === 1 && known !== 8) {
    return undefined;
  }
  if (halves.length === 2 && known > 7) {
    return undefined;
  }
  const zeros = new Array<number>(8 - known).fill(0);
  return [...head, ...(halves.length === 2 ? zeros : []), ...rest];
}

function describeIpv6(groups: number[]): string {
  const first = groups[0];
  if (groups.every((g) => g === 0)) return 'the unspecified IPv6 address';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'the IPv6 loopback address';
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return 'an IPv4 address written as IPv6 (IPv4-mapped)';
  if ((first & 0xfe00) === 0xfc00) return 'a unique local IPv6 address (private network)';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local IPv6 address';
  if (first === 0x2001 && groups[1] === 0x0db8) return 'a documentation IPv6 address (2001:db8::/32): this record is an example';
  if ((first & 0xff00) === 0xff00) return 'a multicast IPv6 address, which cannot send a request';
  if ((first & 0xe000) === 0x2000) return 'a public IPv6 address';
  return 'an IPv6 address outside the ranges in public use';
}

/** What a sourceIPAddress value is. */
export function readSourceAddress(text: string): SourceReading {
  if (text === 'AWS Internal') {
    return {
      kind: 'aws-internal',
      description: 'a call made inside AWS, usually by the console or by a service on the caller\u2019s behalf, with no client address to show',
      warnings: [],
    };
  }
  const v4 = parseIpv4(text);
  if (v4) {
    if (v4.value < 0) {
      return { kind: 'ipv4', description: 'written like an IPv4 address, but not a valid one', warnings: v4.warnings };
    }
    const range = IPV4_RANGES.find((r) => inRange(v4.value, r));
    return { kind: 'ipv4', description: range ? `IPv4, ${range.name}` : 'IPv4, a public address on the internet', warnings: v4.warnings };
  }
  const v6 = parseIpv6(text);
  if (v6) {
    return { kind: 'ipv6', description: describeIpv6(v6), warnings: [] };
  }
  const service = serviceForHostName(text);
  if (service) {
    return {
      kind: 'aws-service',
      description: `the AWS service ${service.name} made this call for the caller`,
      service: service.name,
      warnings: [],
    };
  }
  return { kind: 'other', description: 'neither an IP address nor the host name of an AWS service', warnings: [] };
}
