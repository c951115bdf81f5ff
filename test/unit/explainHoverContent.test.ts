import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { hoverContent } from '../../server/src/model/explain/hoverContent';
import { listFixtures, readFixture } from '../fixtures';
import { assertInert, ENV, HOSTILE_VALUES, hoverOn, visibleText } from './hoverRendering';

describe('hovers on the AWS examples', () => {
  const importText = readFixture('aws-docs-acm/ct-acm-import.json');

  it('summarises ImportCertificate on its eventName, although the example is broken', () => {
    const hover = hoverOn(importText, '"ImportCertificate"');
    assert.equal(hover.token, '"ImportCertificate"');
    assert.match(hover.text, /^ImportCertificate · AWS Certificate Manager/);
    assert.match(hover.text, /Changes something · API reference/);
    assert.match(hover.markdown, /\(https:\/\/docs\.aws\.amazon\.com\/acm\/latest\/APIReference\/API_ImportCertificate\.html\)/);
    assert.match(hover.text, /Imports a certificate issued outside ACM/);
    assert.match(hover.text, /Who: IAM user Alice, in account 111122223333, long-term access key/);
    assert.match(hover.text, /When: 2016-10-04 16:01:30 UTC · 2016-10-04 18:01:30 GMT\+2 \(Europe\/Madrid\) · 10 years ago/);
    assert.match(hover.text, /From: “54\.240\.193\.129” \(IPv4, a public address on the internet\), using an AWS internal service client/);
    assert.match(hover.text, /Region: ap-southeast-2, Asia Pacific \(Sydney\)$/m);
    assert.match(hover.text, /Result: succeeded/);
    assert.match(hover.text, /certificate: bytes \(CertificateBodyBlob\), required, 1 to 32768 bytes — in this record/);
    assert.match(hover.text, /privateKey: bytes \(PrivateKeyBlob\), required, 1 to 5120 bytes, secret — in this record/);
    assert.match(hover.text, /Java ByteBuffer dumps/);
    assert.match(hover.text, /Errors it can return: InvalidParameterException, .*LimitExceededException, ValidationException, ResourceNotFoundException/);
  });

  it('gives the same summary on the record\u2019s opening brace', () => {
    const brace = hoverOn(importText, '{', 0);
    assert.equal(brace.token, '{');
    assert.equal(brace.markdown, hoverOn(importText, '"ImportCertificate"').markdown);
  });

  it('reads each ByteBuffer dump as a byte count', () => {
    const certificate = hoverOn(importText, '"certificate": {', 3);
    assert.equal(certificate.token, '"certificate"');
    assert.match(certificate.text, /The parameter certificate of ImportCertificate/);
    assert.match(certificate.text, /Logged as: a Java ByteBuffer dump/);
    assert.match(certificate.text, /Reading: certificate, 2503 bytes/);
    assert.match(certificate.text, /This value: ✓ satisfies the model’s constraints/);
    const limit = hoverOn(importText, '"limit": 2105', 3);
    assert.match(limit.text, /limit: where the data ends: the length in bytes/);
    assert.match(limit.text, /The whole value: certificateChain, 2105 bytes/);
    const placeholder = hoverOn(importText, 'byte,', 0);
    assert.equal(placeholder.token, 'byte');
    assert.match(placeholder.text, /not valid JSON/);
    assert.match(placeholder.text, /The whole value: privateKey, 1674 bytes/);
  });

  it('explains the response ARN of ImportCertificate part by part', () => {
    const hover = hoverOn(importText, 'arn:aws:acm:ap-southeast-2');
    assert.match(hover.text, /The response member certificateArn of ImportCertificate/);
    assert.match(hover.text, /ARN of: ACM certificate/);
    assert.match(hover.text, /Region: ap-southeast-2, Asia Pacific \(Sydney\)$/m);
    assert.match(hover.text, /Resource: certificate “6ae06649-ea82-4b58-90ee-dc05870d7e99”/);
  });

  it('reads GetCertificate\u2019s PEM response in the broken example and checks it', () => {
    const text = readFixture('aws-docs-acm/ct-acm-get.json');
    const summary = hoverOn(text, '"GetCertificate"');
    assert.match(summary.text, /Only reads/);
    assert.match(summary.text, /responseElements carry the PEM text/);
    const chain = hoverOn(text, '"certificateChain"');
    assert.match(chain.text, /The response member certificateChain of GetCertificate/);
    assert.match(chain.text, /This value: ✗ it does not match the pattern/);
    assert.match(chain.text, /Value: “-----BEGIN CERTIFICATE----- ⏎/);
  });

  it('explains the ExportCertificate example inside its EventBridge envelope', () => {
    const text = readFixture('aws-docs-acm/ct-acm-export.current.json');
    const passphrase = hoverOn(text, '"passphrase"');
    assert.match(passphrase.text, /The parameter passphrase of ExportCertificate/);
    assert.match(passphrase.text, /Constraints: 4 to 128 bytes/);
    assert.match(passphrase.text, /hidden by CloudTrail/);
    const envelope = hoverOn(text, '"detail-type"');
    assert.match(envelope.text, /of the EventBridge event around the record/);
    assert.match(envelope.text, /AWS API Call via CloudTrail/);
    const summary = hoverOn(text, '"ExportCertificate"');
    assert.match(summary.text, /HIDDEN_DUE_TO_SECURITY_REASONS in place of the passphrase/);
    assert.match(summary.text, /Who: root user of account 123456789012, console session/);
    assert.match(summary.text, /eventVersion “1\.04”, but has fields that only exist in later versions: readOnly|managementEvent \(1\.06\)/);
    const tls = hoverOn(text, '"tlsDetails"');
    assert.match(tls.text, /only exists since 1\.08/);
  });

  it('reads the identity chain and the enum of RevokeCertificate', () => {
    const text = readFixture('aws-docs-acm/ct-acm-revoke.current.json');
    const mfa = hoverOn(text, '"mfaAuthenticated"');
    assert.match(mfa.text, /Who: role Admin, session Role-Session-Name, assumed in account 123456789012, MFA no, console session/);
    assert.match(mfa.text, /Reading: MFA was not used/);
    const reason = hoverOn(text, '"UNSPECIFIED"');
    assert.match(reason.text, /Allowed values: UNSPECIFIED, KEY_COMPROMISE/);
    assert.match(reason.text, /This value: ✓/);
    const agent = hoverOn(text, 'Mozilla');
    assert.match(agent.text, /Client: the AWS Management Console in Firefox 128\.0/);
  });

  it('reads unquoted keys, list items and numbers of the other examples', () => {
    const tags = hoverOn(readFixture('aws-docs-acm/ct-acm-addtags.json'), 'key: "Admin"', 0);
    assert.equal(tags.token, 'key');
    assert.match(tags.text, /The parameter key of AddTagsToCertificate/);
    assert.match(tags.text, /Constraints: 1 to 128 characters/);
    const list = readFixture('aws-docs-acm/ct-acm-list.json');
    assert.match(hoverOn(list, '1000').text, /This value: ✓/);
    const status = hoverOn(list, '"ISSUED"');
    assert.match(status.text, /An item of the parameter certificateStatuses of ListCertificates/);
    const request = readFixture('aws-docs-acm/ct-acm-request.json');
    assert.match(hoverOn(request, '"validationDomain": "example.net"', 3).text, /The parameter validationDomain of RequestCertificate/);
    assert.match(hoverOn(request, '"192.0.2.0"').text, /documentation address \(TEST-NET-1\): this record is an example/);
  });

  it('explains record fields with their since-version', () => {
    const text = readFixture('aws-docs-acm/ct-acm-delete.json');
    const eventTime = hoverOn(text, '"eventTime"');
    assert.match(eventTime.text, /^eventTime\nsince eventVersion 1\.0 · type: string, UTC time YYYY-MM-DDTHH:MM:SSZ · present: every record\n/);
    assert.match(eventTime.text, /UTC: 2016-03-18 00:00:26 UTC/);
    assert.match(eventTime.text, /Epoch: 1458259226 seconds/);
    const recipient = hoverOn(text, '"recipientAccountId"');
    assert.match(recipient.text, /since eventVersion 1\.02/);
    const version = hoverOn(text, '"1.04"');
    assert.match(version.text, /older than the newest \(1\.11\)/);
  });

  it('has nothing to say between fields, and explains the Records key', () => {
    const text = readFixture('aws-docs-acm/ct-acm-delete.json');
    const document = parseCloudTrail(text);
    const afterComma = text.indexOf('"eventTime"') - 3;
    assert.equal(hoverContent(document, afterComma, ENV), undefined);
    const records = hoverOn(text, '"Records"');
    assert.match(records.text, /This file holds 1 record\./);
  });
});

describe('hovers on real logs', () => {
  it('reads a console sign-in from another service without ACM depth', () => {
    const text = readFixture('real/stratus-red-team/aws.initial-access.console-login-without-mfa.json');
    const summary = hoverOn(text, '"ConsoleLogin"');
    assert.match(summary.text, /^ConsoleLogin · AWS sign-in/);
    assert.match(summary.text, /Changes something \(readOnly: false\) · Management event/);
    assert.doesNotMatch(summary.text, /API reference/);
    assert.match(summary.text, /A sign-in to the console \(or a sign-in attempt\), recorded by AWS sign-in\./);
    const region = hoverOn(text, '"eu-west-2r"');
    assert.match(region.text, /is not a region this project knows/);
    const address = hoverOn(text, '"225.01.00.16"');
    assert.match(address.text, /multicast address/);
    assert.match(address.text, /leading zero/);
    const parameters = hoverOn(text, '"requestParameters"');
    assert.match(parameters.text, /This record: null\./);
    assert.match(parameters.text, /Part of a call to AWS sign-in for ConsoleLogin/);
    const response = hoverOn(text, '"ConsoleLogin": "Success"', 3);
    assert.match(response.text, /Part of a call to AWS sign-in for ConsoleLogin/);
  });

  it('explains an EC2 authorization failure in a delivered file', () => {
    const file = listFixtures('real/grycap-sample').find((name) => readFixture(name).includes('Client.UnauthorizedOperation'));
    assert.ok(file);
    const text = readFixture(file);
    const hover = hoverOn(text, '"Client.UnauthorizedOperation"');
    assert.match(hover.text, /Meaning: EC2 refused the action/);
    assert.match(hover.text, /Fault: the caller/);
    const summary = hoverOn(text, '"eventName"', 1, text.slice(0, text.indexOf('"Client.UnauthorizedOperation"')).split('"eventName"').length - 2);
    assert.match(summary.text, /Result: failed with “Client\.UnauthorizedOperation”/);
    assert.match(summary.text, /Message: “You are not authorized/);
  });

  it('reads a service-invoked call and an old record without eventType', () => {
    const text = readFixture('real/trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json');
    const document = parseCloudTrail(text);
    assert.ok(document.records.length > 0);
    const first = document.records[0];
    const hover = hoverContent(document, first.start, ENV);
    assert.ok(hover);
    assertInert(hover.markdown);
    assert.match(visibleText(hover.markdown), /Who: /);
  });
});

describe('hovers on ACME, Insights and late records', () => {
  const pretty = (record: object): string => JSON.stringify({ Records: [record] }, null, 2);

  it('explains an ACME protocol event keyed by its event source, with an anonymous caller', () => {
    const text = pretty({
      eventVersion: '1.11',
      userIdentity: { type: 'Unknown', principalId: 'anonymous' },
      eventTime: '2026-11-24T10:00:00Z',
      eventSource: 'acm-acme.amazonaws.com',
      eventName: 'GetCertificate',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.50',
      userAgent: 'CertbotACMEClient/2.11.0 (certbot; Ubuntu 24.04) Authenticator/dns-route53',
      requestParameters: { orderId: 'o-123' },
      responseElements: null,
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: false,
      eventCategory: 'Data',
    });
    const summary = hoverOn(text, '"GetCertificate"');
    assert.match(summary.text, /^GetCertificate · AWS Certificate Manager \(ACME protocol\)/);
    assert.match(summary.text, /Only reads \(readOnly: true\) · Data event/);
    assert.match(summary.text, /An ACME client downloaded the certificate issued for one of its orders/);
    assert.match(summary.text, /Who: an anonymous caller/);
    assert.doesNotMatch(summary.text, /Parameters of GetCertificate/);
    assert.doesNotMatch(summary.text, /API reference/);
    const parameter = hoverOn(text, '"orderId"');
    assert.match(parameter.text, /Part of a call to AWS Certificate Manager \(ACME protocol\) for GetCertificate — a call that only reads/);
    assert.match(parameter.text, /not part of the ACM API model/);
  });

  it('summarises an Insights record on its opening brace', () => {
    const text = pretty({
      eventVersion: '1.07',
      eventTime: '2026-11-24T10:00:00Z',
      awsRegion: 'us-east-1',
      eventID: 'a0ed971f-389f-406a-9fcf-887c5ca6903a',
      eventType: 'AwsCloudTrailInsight',
      recipientAccountId: '111122223333',
      sharedEventID: '12345678-1234-1234-1234-123456789012',
      insightDetails: { state: 'Start', eventSource: 'acm.amazonaws.com', eventName: 'DeleteCertificate', insightType: 'ApiCallRateInsight' },
      eventCategory: 'Insight',
    });
    const summary = hoverOn(text, '{', 0, 1);
    assert.match(summary.text, /^CloudTrail Insights record/);
    assert.doesNotMatch(summary.text, /Who:/);
    assert.match(hoverOn(text, '"insightDetails"').text, /since eventVersion 1\.07/);
  });

  it('explains an addendum and a cross-account delivery', () => {
    const text = pretty({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::444455556666:user/bob', accountId: '444455556666', userName: 'bob' },
      eventTime: '2026-11-24T10:00:00Z',
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      awsRegion: 'eu-central-1',
      recipientAccountId: '111122223333',
      addendum: { reason: 'UPDATED_DATA', updatedFields: 'tlsDetails', originalEventID: 'x' },
    });
    assert.match(hoverOn(text, '"UPDATED_DATA"').text, /UPDATED_DATA: this record corrects fields of a record delivered earlier/);
    assert.match(
      hoverOn(text, '"recipientAccountId"').text,
      /Cross-account: the caller belongs to account 444455556666, and this record was delivered to account 111122223333/,
    );
    const summary = hoverOn(text, '"Decrypt"');
    assert.match(summary.text, /Probably only reads \(from the verb Decrypt\)/);
    assert.match(summary.text, /API reference/);
    const unknown = hoverOn(text, '"eu-central-1"');
    assert.match(unknown.text, /Region: Europe \(Frankfurt\)/);
  });
});

describe('hovers in lookup-events output', () => {
  const text = readFixture('shapes/lookup-events-acm.json');

  it('works inside the embedded CloudTrailEvent string as in a plain record', () => {
    const hover = hoverOn(text, '\\"RequestCertificate\\"', 2);
    assert.equal(hover.token, '\\"RequestCertificate\\"');
    assert.match(hover.text, /^RequestCertificate · AWS Certificate Manager/);
    assert.match(hover.text, /Who: role CertManager, session alice, assumed in account 111122223333, MFA no/);
    assert.match(hover.text, /using AWS CLI 2\.22\.4 \(version 2\) \(command aws acm request-certificate/);
    const key = hoverOn(text, '\\"keyAlgorithm\\"', 3);
    assert.equal(key.token, '\\"keyAlgorithm\\"');
    assert.match(key.text, /The parameter keyAlgorithm of RequestCertificate/);
    assert.match(key.text, /This value: ✓/);
    const hidden = hoverOn(text, 'HIDDEN_DUE_TO_SECURITY_REASONS', 3, 1);
    assert.match(hidden.text, /The response member privateKey of ExportCertificate/);
    assert.match(hidden.text, /hidden by CloudTrail/);
    const error = hoverOn(text, '\\"ResourceInUseException\\"', 3);
    assert.match(error.text, /Listed: the ACM API model lists this error for DeleteCertificate/);
    const terraform = hoverOn(text, 'Terraform/1.9.8');
    assert.match(terraform.text, /Client: Terraform 1\.9\.8/);
    assert.match(terraform.text, /AWS provider 5\.76\.0/);
  });

  it('explains the lookup-events item around it, reading EventTime as a date', () => {
    const time = hoverOn(text, '1795165964');
    assert.match(time.text, /of a lookup-events item/);
    assert.match(time.text, /UTC: 2026-11-20 09:12:44 UTC/);
    assert.match(time.text, /Age: 5 days ago/);
    const name = hoverOn(text, '"EventName"');
    assert.match(name.text, /Matches the record’s eventName\./);
    const item = hoverOn(text, '{', 0, 1);
    assert.match(item.text, /^RequestCertificate · AWS Certificate Manager/);
    assert.match(hoverOn(text, '"NextToken"').text, /next page of results/);
  });
});

describe('hostile records', () => {
  const hostileRecord = (value: string): string =>
    JSON.stringify(
      {
        Records: [
          {
            eventVersion: '1.11',
            userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${value}`, accountId: '111122223333', userName: value },
            eventTime: '2026-11-20T09:12:44Z',
            eventSource: 'acm.amazonaws.com',
            eventName: 'RequestCertificate',
            awsRegion: 'us-east-1',
            sourceIPAddress: value,
            userAgent: value,
            errorCode: value,
            errorMessage: value,
            requestParameters: { domainName: value, tags: [{ key: value, value }], [value]: value },
            responseElements: null,
            eventID: value,
            [value]: value,
          },
          {
            eventVersion: value,
            eventTime: value,
            eventSource: `${value}.amazonaws.com`,
            eventName: value,
            awsRegion: value,
            userIdentity: { type: value, invokedBy: value, sessionContext: { sessionIssuer: { userName: value }, sourceIdentity: value } },
            requestParameters: { [value]: { nested: value } },
          },
        ],
      },
      null,
      1,
    );

  it('never renders a link, image, command, HTML or code from log content, at any position', () => {
    for (const value of HOSTILE_VALUES) {
      const text = hostileRecord(value);
      const document = parseCloudTrail(text);
      const seen = new Set<string>();
      for (let offset = 0; offset < text.length; offset++) {
        const hover = hoverContent(document, offset, ENV);
        if (hover && !seen.has(hover.markdown)) {
          seen.add(hover.markdown);
          assertInert(hover.markdown);
        }
      }
      assert.ok(seen.size > 20, `only ${seen.size} hovers for ${value}`);
    }
  });

  it('shows hostile values as their own characters where the hover quotes them', () => {
    for (const value of HOSTILE_VALUES) {
      const text = hostileRecord(value);
      const quotedValue = JSON.stringify(value);
      for (const field of ['"userAgent"', '"errorMessage"', '"domainName"', '"sourceIPAddress"']) {
        const hover = hoverOn(text, `${field}: ${quotedValue}`, 2);
        assertInert(hover.markdown, [value]);
      }
    }
  });
});

describe('every position of the examples and corpus files', () => {
  it('either has no hover or an inert one whose range holds the position', () => {
    const files = [...listFixtures('aws-docs-acm'), 'shapes/lookup-events-acm.json', 'real/stratus-red-team/aws.persistence.iam-create-admin-user.json'];
    for (const file of files) {
      const text = readFixture(file);
      const document = parseCloudTrail(text);
      const seen = new Set<string>();
      let hovers = 0;
      for (let offset = 0; offset < text.length; offset++) {
        const hover = hoverContent(document, offset, ENV);
        if (!hover) continue;
        hovers++;
        assert.ok(hover.start <= offset && offset < hover.end, `${file}@${offset}: ${hover.start}-${hover.end}`);
        if (!seen.has(hover.markdown)) {
          seen.add(hover.markdown);
          assertInert(hover.markdown);
        }
      }
      assert.ok(hovers > text.length / 3, `${file}: hovers at only ${hovers} of ${text.length} positions`);
    }
  });
});
