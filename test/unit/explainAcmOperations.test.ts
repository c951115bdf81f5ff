import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acmOperations, acmShape, structureMembers } from '../../server/src/model/acm/acmApiModel';
import { acmMemberMeaning } from '../../server/src/model/explain/acmParameterMeanings';
import { acmOperationFacts, acmOperationGuides, unexplainedAcmOperations } from '../../server/src/model/explain/acmOperations';
import { acmeProtocolEvent, acmeProtocolEvents } from '../../server/src/model/explain/acmeProtocolEvents';
import { byteBufferLength, checkValue, describeShape, isByteBufferDump, resolveAcmParameter } from '../../server/src/model/explain/acmParameters';
import { parseCloudTrail } from '../../server/src/model';
import { readFixture } from '../fixtures';
import { defined } from '../defined';

/** Every (structure, member) reachable from an operation's input or output. */
function reachableMembers(): [string, string][] {
  const seen = new Set<string>();
  const members: [string, string][] = [];
  const walk = (shapeName: string): void => {
    if (seen.has(shapeName)) return;
    seen.add(shapeName);
    const shape = acmShape(shapeName);
    if (!shape || shape.exception) return;
    if (shape.type === 'structure') {
      for (const member of structureMembers(shapeName)) {
        members.push([shapeName, member.name]);
        walk(member.shapeName);
      }
    } else if (shape.type === 'list' && shape.member) {
      walk(shape.member.shape);
    }
  };
  for (const operation of acmOperations()) {
    if (operation.input) walk(operation.input.shape);
    if (operation.output) walk(operation.output.shape);
  }
  return members;
}

/** A value node of a small JSON document, for value checks. */
function valueOf(json: string): { view: ReturnType<typeof parseCloudTrail>['view']; node: number } {
  const document = parseCloudTrail(`{"eventName":"X","v":${json}}`);
  const record = document.records[0];
  return { view: record.source.view, node: record.source.view.property(record.node, 'v') };
}

describe('ACM operations', () => {
  it('explains all 39 operations of the API model, each with its own description', () => {
    assert.equal(acmOperations().length, 39);
    assert.deepEqual(unexplainedAcmOperations(), []);
    assert.equal(acmOperationGuides().length, 39);
    const summaries = new Set(acmOperationGuides().map((guide) => guide.summary));
    assert.equal(summaries.size, 39);
    for (const name of [
      'ExportCertificate',
      'RenewCertificate',
      'RevokeCertificate',
      'UpdateCertificateOptions',
      'GetAccountConfiguration',
      'PutAccountConfiguration',
      'SearchCertificates',
      'CreateAcmeEndpoint',
      'CreateAcmeDomainValidation',
      'CreateAcmeExternalAccountBinding',
      'TagResource',
    ]) {
      assert.ok(acmOperationFacts(name), name);
    }
  });

  it('gives every member reachable from an operation a meaning', () => {
    const missing = reachableMembers()
      .filter(([shape, member]) => !acmMemberMeaning(shape, member))
      .map(([shape, member]) => `${shape}.${member}`);
    assert.deepEqual(missing, []);
  });

  it('classifies reads and writes in line with the model\u2019s readonly marks', () => {
    for (const operation of acmOperations()) {
      const facts = defined(acmOperationFacts(operation.name));
      if ((operation as { readonly?: boolean }).readonly) {
        assert.equal(facts.guide.access, 'read', operation.name);
      }
    }
    assert.equal(acmOperationFacts('ExportCertificate')?.guide.access, 'write');
    assert.equal(acmOperationFacts('GetCertificate')?.guide.access, 'read');
  });

  it('lists parameters with types, required flags, constraints and enums, and the errors', () => {
    const revoke = defined(acmOperationFacts('RevokeCertificate'));
    assert.deepEqual(
      revoke.parameters.map((member) => [member.logName, member.required]),
      [
        ['certificateArn', true],
        ['revocationReason', true],
      ],
    );
    const reason = describeShape(revoke.parameters[1].shapeName, revoke.parameters[1].shape);
    assert.ok(reason.enumValues?.includes('KEY_COMPROMISE'));
    const arn = describeShape(revoke.parameters[0].shapeName, revoke.parameters[0].shape);
    assert.deepEqual(arn.constraints, ['20 to 2048 characters']);
    assert.ok(arn.pattern?.startsWith('arn:'));
    assert.ok(revoke.errors.includes('ResourceInUseException'));
  });

  it('says what CloudTrail records and hides', () => {
    assert.match(defined(acmOperationFacts('ImportCertificate')).logNotes.join(' '), /ByteBuffer/);
    assert.match(defined(acmOperationFacts('ExportCertificate')).logNotes.join(' '), /HIDDEN_DUE_TO_SECURITY_REASONS/);
    assert.match(defined(acmOperationFacts('GetCertificate')).logNotes.join(' '), /PEM/);
    assert.match(defined(acmOperationFacts('DescribeCertificate')).logNotes.join(' '), /null responseElements/);
    assert.match(defined(acmOperationFacts('ListCertificates')).logNotes.join(' '), /null responseElements/);
  });

  it('knows the ACME protocol events, management and data, apart from the API operations', () => {
    assert.equal(acmeProtocolEvents().length, 12);
    assert.deepEqual(
      acmeProtocolEvents()
        .filter((event) => event.category === 'Management')
        .map((event) => event.name),
      ['NewAccount', 'ManageAccount', 'ChangeAccountKey'],
    );
    assert.equal(acmeProtocolEvent('FinalizeOrder')?.category, 'Data');
    assert.notEqual(acmeProtocolEvent('GetCertificate')?.summary, acmOperationFacts('GetCertificate')?.guide.summary);
  });
});

describe('ACM parameters', () => {
  it('resolves nested request members: tags, domain validation options, filters', () => {
    const tagKey = resolveAcmParameter('AddTagsToCertificate', 'requestParameters', ['tags', 0, 'key']);
    assert.equal(tagKey?.member?.name, 'Key');
    assert.equal(tagKey.parentShape, 'Tag');
    assert.equal(tagKey.shape.max, 128);
    const option = resolveAcmParameter('RequestCertificate', 'requestParameters', ['domainValidationOptions', 1, 'validationDomain']);
    assert.equal(option?.member?.logName, 'validationDomain');
    const filter = resolveAcmParameter('ListCertificates', 'requestParameters', ['includes', 'keyTypes']);
    assert.equal(filter?.member?.name, 'keyTypes');
    const item = resolveAcmParameter('ListCertificates', 'requestParameters', ['certificateStatuses', 0]);
    assert.equal(item?.listItem, true);
    assert.ok(item.shape.enum?.includes('ISSUED'));
  });

  it('resolves response members and reports unknown names', () => {
    assert.equal(resolveAcmParameter('ImportCertificate', 'responseElements', ['certificateArn'])?.meaning, 'The ARN of the imported certificate.');
    const unknown = resolveAcmParameter('DeleteCertificate', 'requestParameters', ['certificateARN2']);
    assert.deepEqual(unknown?.unknown, { name: 'certificateARN2', parentShape: 'DeleteCertificateRequest' });
    assert.equal(resolveAcmParameter('DeleteCertificate', 'responseElements', ['x']), undefined);
    assert.equal(resolveAcmParameter('NotAnOperation', 'requestParameters', []), undefined);
  });

  it('reads the ByteBuffer dumps of ImportCertificate as byte counts, from the broken AWS example too', () => {
    const document = parseCloudTrail(readFixture('aws-docs-acm/ct-acm-import.json'));
    const record = document.records[0];
    const view = record.source.view;
    const parameters = view.property(record.node, 'requestParameters');
    const certificate = view.property(parameters, 'certificate');
    assert.equal(isByteBufferDump(view, certificate), true);
    assert.equal(byteBufferLength(view, certificate), 2503);
    const resolved = defined(resolveAcmParameter('ImportCertificate', 'requestParameters', ['certificate']));
    assert.deepEqual(checkValue(view, certificate, resolved.shapeName, resolved.shape, 'certificate'), {
      ok: true,
      reading: 'certificate, 2503 bytes',
      notes: [],
    });
    const key = defined(resolveAcmParameter('ImportCertificate', 'requestParameters', ['privateKey', 'limit']));
    assert.equal(key.byteBufferField, 'limit');
    assert.deepEqual(key.byteBufferPath, ['privateKey']);
    const tooBig = valueOf('{"hb":[],"limit":6000,"capacity":6000}');
    const privateKey = defined(resolveAcmParameter('ImportCertificate', 'requestParameters', ['privateKey']));
    assert.deepEqual(checkValue(tooBig.view, tooBig.node, privateKey.shapeName, privateKey.shape, 'privateKey'), {
      ok: false,
      reading: 'privateKey, 6000 bytes',
      notes: ['6000 bytes is more than the 5120 allowed'],
    });
  });

  it('checks values against length, pattern, enum, range and required members', () => {
    const arn = defined(resolveAcmParameter('DeleteCertificate', 'requestParameters', ['certificateArn']));
    const check = (json: string, resolved = arn) => {
      const value = valueOf(json);
      return checkValue(value.view, value.node, resolved.shapeName, resolved.shape, 'value');
    };
    assert.equal(check('"arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"').ok, true);
    assert.deepEqual(check('"arn:short"'), { ok: false, notes: ['it has 9 characters, fewer than the 20 required'] });
    assert.deepEqual(check('"not-an-arn-but-long-enough"'), { ok: false, notes: ['it does not match the pattern'] });
    assert.deepEqual(check('42'), { ok: false, notes: ['it is a number, not a string'] });
    assert.deepEqual(check('"HIDDEN_DUE_TO_SECURITY_REASONS"'), {
      reading: 'hidden by CloudTrail: the value is secret and was not logged',
      notes: ['a hidden value cannot be checked'],
    });
    const reason = defined(resolveAcmParameter('RevokeCertificate', 'requestParameters', ['revocationReason']));
    assert.deepEqual(check('"BECAUSE"', reason), { ok: false, notes: ['it is not one of the allowed values'] });
    const maxItems = defined(resolveAcmParameter('ListCertificates', 'requestParameters', ['maxItems']));
    assert.equal(check('1000', maxItems).ok, true);
    assert.deepEqual(check('1001', maxItems), { ok: false, notes: ['it is above the maximum 1000'] });
    const statuses = defined(resolveAcmParameter('ListCertificates', 'requestParameters', ['certificateStatuses']));
    assert.deepEqual(check('["ISSUED","NOPE"]', statuses), { ok: false, reading: '2 items', notes: ['item 1: it is not one of the allowed values'] });
    const tags = defined(resolveAcmParameter('AddTagsToCertificate', 'requestParameters', ['tags']));
    assert.deepEqual(check('[]', tags), { ok: false, reading: '0 items', notes: ['it has 0 items, fewer than the 1 required'] });
    const request = defined(resolveAcmParameter('DeleteCertificate', 'requestParameters', []));
    assert.deepEqual(check('{"extra":1}', request), { ok: false, notes: ['required member missing: certificateArn', 'not in the model: extra'] });
  });
});
