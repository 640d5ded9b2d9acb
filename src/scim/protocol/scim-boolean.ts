/**
 * A SCIM boolean from a body, a PATCH value filter or a filter literal. RFC 7643 §2.3.2 makes it the JSON literal
 * true or false, but Entra's default mapping for `active` is `Switch([IsSoftDeleted], , "False", "True", "True",
 * "False")`, so it arrives as the string "True" or "False" (Microsoft Learn, "Develop and plan provisioning for a
 * SCIM endpoint", the default attribute mappings). Strings are read case-insensitively with surrounding blanks ignored; anything else
 * is undefined, so the caller refuses it rather than guessing.
 */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}
