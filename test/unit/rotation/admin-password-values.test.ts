import { describe, expect, it } from 'vitest';
import { adminPasswordSecretSchema } from '../../../src/rotation/admin-password/admin-password-secret';
import { NEW_PASSWORD_REQUEST, newAdminPassword } from '../../../src/rotation/admin-password/new-password';
import { loadRotationConfig } from '../../../src/rotation/rotation-config';
import type { RotationSecretStore } from '../../../src/rotation/secret-versions';

describe('the admin password secret', () => {
  it("reads the contract's secret shape, numbers quoted or not, and keeps extra fields", () => {
    const parsed = adminPasswordSecretSchema.parse({
      admin_user_id: '12',
      admin_user_name: 'ops-bot',
      password: '',
      account_id: 123,
      note: 'break-glass',
    });
    expect(parsed).toEqual({
      admin_user_id: 12,
      admin_user_name: 'ops-bot',
      password: '',
      account_id: 123,
      note: 'break-glass',
    });
  });

  it('refuses the setup placeholder (no admin_user_id)', () => {
    expect(adminPasswordSecretSchema.safeParse({ admin_user_name: 'ops-bot', password: '' }).success).toBe(false);
  });
});

describe('a new admin password', () => {
  const storeAnswering = (password: string) => {
    const requests: unknown[] = [];
    const store = {
      randomPassword: async (request: unknown) => {
        requests.push(request);
        return password;
      },
    } as unknown as RotationSecretStore;
    return { store, requests };
  };

  it('asks GetRandomPassword for 32 characters of every class, without whitespace', async () => {
    const { store, requests } = storeAnswering('aB3$'.repeat(8));
    expect(await newAdminPassword(store)).toBe('aB3$'.repeat(8));
    expect(requests).toEqual([NEW_PASSWORD_REQUEST]);
    expect(NEW_PASSWORD_REQUEST).toMatchObject({
      PasswordLength: 32,
      IncludeSpace: false,
      RequireEachIncludedType: true,
    });
  });

  it.each(['short', 'with a space in it, long enough'])(
    'refuses a generated password Voximplant would refuse: %j',
    async (bad) => {
      await expect(newAdminPassword(storeAnswering(bad).store)).rejects.toMatchObject({ code: 'secrets_manager' });
    },
  );
});

describe('loadRotationConfig', () => {
  it('defaults to the admin login and accepts the check by id', () => {
    expect(loadRotationConfig({}).ROTATION_PASSWORD_CHECK).toBe('login');
    expect(loadRotationConfig({ ROTATION_PASSWORD_CHECK: '' }).ROTATION_PASSWORD_CHECK).toBe('login');
    expect(loadRotationConfig({ ROTATION_PASSWORD_CHECK: 'Admin-By-Id' }).ROTATION_PASSWORD_CHECK).toBe('admin-by-id');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadRotationConfig({ ROTATION_PASSWORD_CHECK: 'none' })).toThrow(/ROTATION_PASSWORD_CHECK/);
  });
});
