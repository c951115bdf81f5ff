import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIpv6, readSourceAddress } from '../../server/src/model/explain/ipAddress';

describe('sourceIPAddress readings', () => {
  it('tells public, private, documentation and reserved IPv4 apart', () => {
    const cases: [string, RegExp][] = [
      ['54.240.193.129', /public address/],
      ['10.0.3.7', /private address/],
      ['172.31.255.1', /private address/],
      ['172.32.0.1', /public address/],
      ['192.168.1.20', /private address/],
      ['192.0.2.0', /documentation address/],
      ['203.0.113.9', /documentation address/],
      ['100.64.1.1', /carrier-grade NAT/],
      ['127.0.0.1', /loopback/],
      ['169.254.169.254', /link-local/],
      ['253.252.51.7', /reserved address/],
    ];
    for (const [address, expected] of cases) {
      const reading = readSourceAddress(address);
      assert.equal(reading.kind, 'ipv4', address);
      assert.match(reading.description, expected, address);
    }
  });

  it('warns about leading zeros and parts above 255', () => {
    assert.equal(readSourceAddress('035.249.253.232').warnings.length, 1);
    const invalid = readSourceAddress('100.200.300.400');
    assert.match(invalid.description, /not a valid one/);
  });

  it('reads IPv6 in its short forms and with an IPv4 tail', () => {
    assert.deepEqual(parseIpv6('2001:db8::1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIpv6('::ffff:192.0.2.1'), [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
    assert.deepEqual(parseIpv6('::'), [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(parseIpv6('2001:db8::1::2'), undefined);
    assert.equal(parseIpv6('12345::'), undefined);
    assert.equal(parseIpv6('1:2:3:4:5:6:7'), undefined);
    assert.match(readSourceAddress('2600:1f18:4a3:6901::10').description, /public IPv6/);
    assert.match(readSourceAddress('fd00::5').description, /unique local/);
    assert.match(readSourceAddress('fe80::1').description, /link-local/);
    assert.match(readSourceAddress('::1').description, /loopback/);
    assert.match(readSourceAddress('2001:db8:4006:812::200e').description, /documentation/);
  });

  it('names the AWS service behind a host name, and AWS Internal', () => {
    const service = readSourceAddress('cloudformation.amazonaws.com');
    assert.equal(service.kind, 'aws-service');
    assert.equal(service.service, 'AWS CloudFormation');
    assert.equal(readSourceAddress('autoscaling.amazonaws.com').service, 'Amazon EC2 Auto Scaling');
    assert.equal(readSourceAddress('AWS Internal').kind, 'aws-internal');
    assert.equal(readSourceAddress('evil.example.com').kind, 'other');
  });
});
