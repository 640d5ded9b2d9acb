import { describe, expect, it } from 'vitest';
import { RotationError } from '../../../src/rotation/rotation-error';
import { parseRotationEvent } from '../../../src/rotation/rotation-event';

describe('parseRotationEvent', () => {
  it('reads the three fields Secrets Manager sends and accepts a RotationToken', () => {
    const event = {
      Step: 'setSecret',
      SecretId: 'arn:aws:secretsmanager:x',
      ClientRequestToken: 'tok',
      RotationToken: 'rt',
    };
    expect(parseRotationEvent(event)).toMatchObject({ Step: 'setSecret', SecretId: 'arn:aws:secretsmanager:x' });
  });

  it.each([
    [{ Step: 'create_secret', SecretId: 's', ClientRequestToken: 't' }, 'Step'],
    [{ Step: 'createSecret', ClientRequestToken: 't' }, 'SecretId'],
    [{ Step: 'createSecret', SecretId: 's', ClientRequestToken: '' }, 'ClientRequestToken'],
    ['not an object', '(event)'],
  ])('refuses %j, naming %s', (input, field) => {
    const parse = () => parseRotationEvent(input);
    expect(parse).toThrowError(RotationError);
    expect(parse).toThrowError(
      expect.objectContaining({ code: 'invalid_event', message: expect.stringContaining(field) }),
    );
  });

  it('never quotes a value of the event in its error', () => {
    const parse = () => parseRotationEvent({ Step: 'rotate-now-SECRETVALUE', SecretId: 's', ClientRequestToken: 't' });
    expect(parse).toThrow(RotationError);
    expect(parse).not.toThrow(/SECRETVALUE/);
  });
});
