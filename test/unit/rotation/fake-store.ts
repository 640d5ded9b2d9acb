import type { RotationSecretStore, SecretDescription } from '../../../src/rotation/secret-versions';

/**
 * A RotationSecretStore for unit tests: DescribeSecret answers from `description`; every other operation records
 * its name and fails, so a test sees at once if the guard or the runner tried to read or write a value.
 */
export function describeOnlyStore(description: SecretDescription) {
  const touched: string[] = [];
  const refuse = (op: string) => async (): Promise<never> => {
    touched.push(op);
    throw new Error(`${op} must not be called here`);
  };
  const store: RotationSecretStore = {
    describe: async () => description,
    getValue: refuse('getValue'),
    putPending: refuse('putPending'),
    moveCurrent: refuse('moveCurrent'),
    randomPassword: refuse('randomPassword'),
  };
  return { store, touched };
}
