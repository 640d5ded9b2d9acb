/**
 * Which Management API methods a caller may use. Voximplant documents that a key without roles can call only "basic"
 * methods and that roles extend that (https://voximplant.com/docs/guides/managementapi/authorization), but not which
 * role grants the admin-user methods. The simulator therefore uses this small fixed table, documented in
 * tooling/sim/README.md; role ids are the simulator's own.
 */
export const SIM_METHODS = [
  'AddAdminUser',
  'CreateKey',
  'DelAdminUser',
  'DeleteKey',
  'GetAccountInfo',
  'GetAdminUsers',
  'GetKeyRoles',
  'GetKeys',
  'SetAdminUserInfo',
] as const;

export type SimMethod = (typeof SIM_METHODS)[number];

export function isSimMethod(name: string): name is SimMethod {
  return (SIM_METHODS as readonly string[]).includes(name);
}

export interface KeyRole {
  role_id: number;
  role_name: string;
  methods: readonly SimMethod[];
}

/** GetAccountInfo is the "basic" method: any authenticated caller may ask who it is (a cheap health check). */
export const BASIC_METHODS: readonly SimMethod[] = ['GetAccountInfo'];

export const KEY_ROLES: readonly KeyRole[] = [
  { role_id: 1, role_name: 'Owner', methods: SIM_METHODS },
  {
    role_id: 2,
    role_name: 'Admin users manager',
    methods: ['SetAdminUserInfo', 'GetAdminUsers', 'AddAdminUser', 'DelAdminUser', 'GetAccountInfo'],
  },
  {
    role_id: 3,
    role_name: 'Key manager',
    methods: ['CreateKey', 'GetKeys', 'DeleteKey', 'GetKeyRoles', 'GetAccountInfo'],
  },
  { role_id: 4, role_name: 'Admin users viewer', methods: ['GetAdminUsers', 'GetAccountInfo'] },
];

export const OWNER_ROLE_ID = 1;

export function keyRoleById(id: number): KeyRole | undefined {
  return KEY_ROLES.find((r) => r.role_id === id);
}

export function keyRoleByName(name: string): KeyRole | undefined {
  return KEY_ROLES.find((r) => r.role_name === name);
}

/** The methods a key with these roles may call, sorted (GetAccountInfo's `access_entries`). */
export function methodsForRoles(roleIds: readonly number[]): SimMethod[] {
  const allowed = new Set<SimMethod>(BASIC_METHODS);
  for (const id of roleIds) for (const m of keyRoleById(id)?.methods ?? []) allowed.add(m);
  return [...allowed].sort();
}

/**
 * What an admin user logged in with its own password (the legacy scheme) may call in the simulator: enough to
 * prove the password works (the rotation test step, docs/CONTRACT.md#rotation) and nothing that changes state.
 */
export const ADMIN_PASSWORD_METHODS: readonly SimMethod[] = ['GetAccountInfo', 'GetAdminUsers'];

/**
 * Admin roles (AddAdminUser `admin_role_id` / `admin_role_name`, GetAdminUsers `with_roles`). These are the
 * roles an admin user holds in the control panel, a separate table from key roles. The names are illustrative;
 * only "Owner" is a system role.
 */
export interface AdminRole {
  admin_role_id: number;
  admin_role_name: string;
  system_role: boolean;
  entries: readonly SimMethod[];
}

export const ADMIN_ROLES: readonly AdminRole[] = [
  { admin_role_id: 1, admin_role_name: 'Owner', system_role: true, entries: SIM_METHODS },
  { admin_role_id: 2, admin_role_name: 'Developer', system_role: false, entries: SIM_METHODS },
  { admin_role_id: 3, admin_role_name: 'Supervisor', system_role: false, entries: ['GetAccountInfo', 'GetAdminUsers'] },
  { admin_role_id: 4, admin_role_name: 'Support', system_role: false, entries: ['GetAccountInfo'] },
];

export const OWNER_ADMIN_ROLE_ID = 1;

export function adminRoleById(id: number): AdminRole | undefined {
  return ADMIN_ROLES.find((r) => r.admin_role_id === id);
}

export function adminRoleByName(name: string): AdminRole | undefined {
  return ADMIN_ROLES.find((r) => r.admin_role_name === name);
}
